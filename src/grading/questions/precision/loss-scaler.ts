/**
 * precision.lossScaler (notebooks/06-profiling-precision.ipynb): one step of a dynamic loss
 * scaler, as PyTorch's GradScaler.
 *
 *   lossScalerStep(state, scaledGradients, options) -> { state, skipped, gradients }
 *
 * The reference is the library's `dynamicLossScalerStep` (src/precision/loss-scaler.ts).
 */
import { dynamicLossScalerStep as libraryDynamicLossScalerStep, type LossScalerState } from "../../../precision/loss-scaler";
import { callAnswer, GradingError, type Implementation, type Question } from "../../question";
import { gradedTest, looksLike, matchingMistakes } from "../expectations";
import { sameFloat } from "./to-fp16";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const dynamicLossScalerStep = recordedReference("dynamicLossScalerStep", libraryDynamicLossScalerStep);

/** The scaler's constants (the answer's third input). */
export interface GradedScalerOptions {
  readonly growthFactor: number;
  readonly backoffFactor: number;
  readonly growthInterval: number;
}

/** What the answer returns. */
export interface GradedScalerStep {
  readonly state: LossScalerState;
  readonly skipped: boolean;
  readonly gradients: number[] | null;
}

type ScalerVariant = "correct" | "no-skip" | "tracker-kept" | "grows-late" | "new-scale-unscale" | "multiplies" | "nan-missed" | "no-backoff";

/** One step with the typical mistakes written out. */
export function lossScalerStepWith(state: LossScalerState, grads: readonly number[], o: GradedScalerOptions, variant: ScalerVariant = "correct"): GradedScalerStep {
  if (variant === "correct") return dynamicLossScalerStep(state, grads, o);
  const S = state.scale;
  const bad = grads.some((g) => (variant === "nan-missed" ? Math.abs(g) === Infinity : !Number.isFinite(g)));
  if (bad) {
    const next = { scale: variant === "no-backoff" ? S : S * o.backoffFactor, growthTracker: variant === "tracker-kept" ? state.growthTracker : 0 };
    return variant === "no-skip" ? { state: next, skipped: false, gradients: grads.map((g) => g / S) } : { state: next, skipped: true, gradients: null };
  }
  const successful = state.growthTracker + 1;
  const grow = variant === "grows-late" ? state.growthTracker === o.growthInterval : successful === o.growthInterval;
  const next = grow ? { scale: S * o.growthFactor, growthTracker: 0 } : { scale: S, growthTracker: successful };
  const unscaleBy = variant === "new-scale-unscale" ? next.scale : S;
  return { state: next, skipped: false, gradients: grads.map((g) => (variant === "multiplies" ? g * unscaleBy : g / unscaleBy)) };
}

const SCALER_MISTAKES: readonly { variant: ScalerVariant; description: string }[] = [
  { variant: "no-skip", description: "the step was not skipped on overflow: with an infinite or NaN gradient return skipped: true and gradients: null" },
  { variant: "tracker-kept", description: "the growth tracker was not reset on overflow: set it to 0 when the scale backs off" },
  { variant: "grows-late", description: "the scale grew one step late: increment the tracker first, then grow when it equals growthInterval" },
  { variant: "new-scale-unscale", description: "the gradients were divided by the new scale: divide by the scale the backward pass used (the old one)" },
  { variant: "multiplies", description: "the gradients were multiplied by the scale: unscaling divides by it" },
  { variant: "nan-missed", description: "a NaN gradient was not treated as an overflow: check with Number.isFinite" },
  { variant: "no-backoff", description: "the scale did not back off on overflow: multiply it by backoffFactor" },
];

function readStep(result: unknown, what: string): GradedScalerStep {
  if (typeof result !== "object" || result === null) throw new GradingError(`${what} should return { state, skipped, gradients }, got ${result === null ? "null" : typeof result}.`);
  const r = result as Record<string, unknown>;
  const state = r["state"] as Record<string, unknown> | null | undefined;
  if (typeof state !== "object" || state === null || typeof state["scale"] !== "number" || typeof state["growthTracker"] !== "number") {
    throw new GradingError(`${what}.state should be { scale: number, growthTracker: number }, got ${JSON.stringify(state)}.`);
  }
  if (typeof r["skipped"] !== "boolean") throw new GradingError(`${what}.skipped should be true or false, got ${String(r["skipped"])}.`);
  const g = r["gradients"];
  if (g !== null && !(Array.isArray(g) && g.every((x) => typeof x === "number"))) throw new GradingError(`${what}.gradients should be an array of numbers, or null when the step is skipped.`);
  return { state: { scale: state["scale"] as number, growthTracker: state["growthTracker"] as number }, skipped: r["skipped"] as boolean, gradients: g as number[] | null };
}

function sameStep(a: GradedScalerStep, b: GradedScalerStep): boolean {
  const sameGrads = a.gradients === null || b.gradients === null ? a.gradients === b.gradients : a.gradients.length === b.gradients.length && a.gradients.every((x, i) => sameFloat(x, b.gradients![i]!));
  return a.state.scale === b.state.scale && a.state.growthTracker === b.state.growthTracker && a.skipped === b.skipped && sameGrads;
}

function showStep(s: GradedScalerStep): string {
  return `{ state: { scale: ${s.state.scale}, growthTracker: ${s.state.growthTracker} }, skipped: ${s.skipped}, gradients: ${s.gradients === null ? "null" : `[${s.gradients.join(", ")}]`} }`;
}

/** Check `lossScalerStep` on one input; shared by public and hidden tests. */
export async function checkLossScalerCase(impl: Implementation, state: LossScalerState, grads: readonly number[], options: GradedScalerOptions, label?: string): Promise<void> {
  const what = label ?? `lossScalerStep({ scale: ${state.scale}, growthTracker: ${state.growthTracker} }, [${grads.join(", ")}], { growthFactor: ${options.growthFactor}, backoffFactor: ${options.backoffFactor}, growthInterval: ${options.growthInterval} })`;
  const expected = lossScalerStepWith(state, grads, options);
  const mistakes = SCALER_MISTAKES.map((m) => ({ value: lossScalerStepWith(state, grads, options, m.variant), description: m.description }));
  const received = readStep(await callAnswer(impl, "precision.lossScaler", "lossScalerStep", { ...state }, [...grads], { ...options }), what);
  if (sameStep(received, expected)) return;
  const matched = matchingMistakes(received, expected, mistakes, sameStep);
  const why = matched.length === 0 ? " Check the overflow test, the new scale and tracker, and the unscaled gradients." : looksLike(matched);
  throw new GradingError(`${what} is wrong.${why}`, showStep(expected), showStep(received));
}

/** PyTorch's GradScaler constants (torch/amp/grad_scaler.py). */
export const TORCH_SCALER: GradedScalerOptions = { growthFactor: 2, backoffFactor: 0.5, growthInterval: 2000 };

export const precisionLossScalerQuestion: Question = {
  id: "precision.lossScaler",
  notebook: "06-profiling-precision.ipynb",
  title: "One step of a dynamic loss scaler (PyTorch's GradScaler)",
  exports: ["lossScalerStep"],
  references: ["dynamicLossScalerStep", "simulateDynamicLossScaling"],
  publicTests: [
    gradedTest("a clean step divides the gradients by the scale and counts one more clean step", 1, "gradients = scaled / scale; growthTracker + 1.", (impl) =>
      checkLossScalerCase(impl, { scale: 65536, growthTracker: 0 }, [65536, -32768, 6.5536], TORCH_SCALER),
    ),
    gradedTest("an infinite gradient skips the step, halves the scale and resets the tracker", 2, "On overflow: skipped = true, gradients = null, scale × backoffFactor, growthTracker = 0.", (impl) =>
      checkLossScalerCase(impl, { scale: 65536, growthTracker: 1234 }, [1, Infinity, 2], TORCH_SCALER),
    ),
    gradedTest("the 2000th clean step in a row doubles the scale and resets the tracker", 1, "Increment the tracker first; when it reaches growthInterval, scale × growthFactor and tracker = 0.", (impl) =>
      checkLossScalerCase(impl, { scale: 1024, growthTracker: 1999 }, [2048, 512], TORCH_SCALER),
    ),
  ],
};
