/**
 * Loss scaling: keeping small fp16 gradients from flushing to zero.
 *
 * Micikevicius et al. 2018 ("Mixed Precision Training", §3.2) multiply the loss by a factor
 * S before the backward pass, so every gradient is S times larger and clears fp16's
 * underflow threshold; the optimizer divides by S again (in fp32) before the update. A
 * static S must be chosen by hand; a dynamic scaler finds it by trial:
 *
 *   if any scaled gradient is ±∞ or NaN:   skip the step, S ← S · backoffFactor, tracker ← 0
 *   else:                                 apply g / S; tracker ← tracker + 1;
 *                                         if tracker = growthInterval: S ← S · growthFactor, tracker ← 0
 *
 * This is PyTorch's `GradScaler` (torch/amp/grad_scaler.py: init_scale = 2^16,
 * growth_factor = 2, backoff_factor = 0.5, growth_interval = 2000; the update itself is
 * `_amp_update_scale_` in aten/src/ATen/native/cuda/AmpKernels.cu, which increments the
 * tracker before comparing it with the interval).
 */
import { toFloat16 } from "./formats";

/** What a dynamic loss scaler remembers between steps. */
export interface LossScalerState {
  /** S: the current loss scale. */
  readonly scale: number;
  /** Clean (finite) steps since the scale last changed. */
  readonly growthTracker: number;
}

/** The scaler's constants. Defaults are PyTorch's GradScaler. */
export interface LossScalerOptions {
  /** @default 2 */
  readonly growthFactor?: number;
  /** @default 0.5 */
  readonly backoffFactor?: number;
  /** Clean steps before the scale grows. @default 2000 */
  readonly growthInterval?: number;
}

/** PyTorch's GradScaler defaults (torch/amp/grad_scaler.py). */
export const GRAD_SCALER_DEFAULTS = { initScale: 2 ** 16, growthFactor: 2, backoffFactor: 0.5, growthInterval: 2000 } as const;

/** The result of one step. */
export interface LossScalerStep {
  /** The state for the next step. */
  readonly state: LossScalerState;
  /** True when a gradient was ±∞ or NaN: the optimizer must not step. */
  readonly skipped: boolean;
  /** The gradients divided by the scale (the old one, used in the backward pass), or null when skipped. */
  readonly gradients: number[] | null;
}

/** `options` with PyTorch's defaults filled in. */
function withGradScalerDefaults(options: LossScalerOptions): Required<LossScalerOptions> {
  return {
    growthFactor: options.growthFactor ?? GRAD_SCALER_DEFAULTS.growthFactor,
    backoffFactor: options.backoffFactor ?? GRAD_SCALER_DEFAULTS.backoffFactor,
    growthInterval: options.growthInterval ?? GRAD_SCALER_DEFAULTS.growthInterval,
  };
}

/** The initial state: S = 2^16 and a fresh tracker (PyTorch's default). */
export function initialLossScalerState(scale: number = GRAD_SCALER_DEFAULTS.initScale): LossScalerState {
  if (!(scale > 0 && Number.isFinite(scale))) throw new Error(`Expected a positive finite loss scale, got ${scale}.`);
  return { scale, growthTracker: 0 };
}

/**
 * One dynamic loss-scaler step on the gradients of the scaled loss.
 *
 * @example dynamicLossScalerStep({ scale: 1024, growthTracker: 0 }, [2048, Infinity]) // skipped, scale 512
 */
export function dynamicLossScalerStep(state: LossScalerState, scaledGradients: readonly number[], options: LossScalerOptions = {}): LossScalerStep {
  // BEGIN SOLUTION precision.lossScaler
  const { growthFactor, backoffFactor, growthInterval } = withGradScalerDefaults(options);
  const S = state.scale;
  const foundInf = scaledGradients.some((g) => !Number.isFinite(g)); // ±∞ or NaN
  if (foundInf) {
    return { state: { scale: S * backoffFactor, growthTracker: 0 }, skipped: true, gradients: null };
  }
  const gradients = scaledGradients.map((g) => g / S); // unscale with the scale the backward pass used
  const successful = state.growthTracker + 1;
  const next = successful === growthInterval ? { scale: S * growthFactor, growthTracker: 0 } : { scale: S, growthTracker: successful };
  return { state: next, skipped: false, gradients };
  // STUDENT EDITION
  // type YourStep = (state: LossScalerState, scaledGradients: number[], options: Required<LossScalerOptions>) => LossScalerStep;
  // return yours.answer<YourStep>("lossScalerStep")({ ...state }, [...scaledGradients], withGradScalerDefaults(options));
  // END SOLUTION
}

/** A run of the dynamic scaler: the scale used at each step and the steps skipped. */
export interface LossScalingTrace {
  readonly scales: number[];
  readonly skipped: number[];
}

/**
 * Run the dynamic scaler over steps whose gradients are `gradientsPerStep[t]` (true, unscaled
 * values): each is multiplied by the current S and stored in fp16 (so S·g > 65504 becomes ∞).
 */
export function simulateDynamicLossScaling(gradientsPerStep: readonly (readonly number[])[], initScale: number = GRAD_SCALER_DEFAULTS.initScale, options: LossScalerOptions = {}): LossScalingTrace {
  // BEGIN SOLUTION precision.lossScaler
  let state = initialLossScalerState(initScale);
  const scales: number[] = [];
  const skipped: number[] = [];
  gradientsPerStep.forEach((gradients, t) => {
    scales.push(state.scale);
    const scaled = gradients.map((g) => toFloat16(state.scale * g));
    const step = dynamicLossScalerStep(state, scaled, options);
    if (step.skipped) skipped.push(t);
    state = step.state;
  });
  return { scales, skipped };
  // STUDENT EDITION KEEPS THIS BODY
  // END SOLUTION
}
