/**
 * Lab 6 (notebooks/06-profiling-precision.ipynb): the graded questions on mixed-precision numerics.
 *
 *   precision.toFp16       toFp16(x)                                       -> the fp16 value nearest x
 *                          IEEE binary16: round to nearest, ties to even, subnormals, overflow to ±∞
 *   precision.lossScaler   lossScalerStep(state, scaledGradients, options) -> { state, skipped, gradients }
 *                          one dynamic loss-scaler step, as PyTorch's GradScaler
 *
 * The reference answers are the library's `roundToFormat(x, "fp16")` and
 * `dynamicLossScalerStep` (src/precision). A wrong answer is compared with what typical
 * mistakes return, so the message can name the mistake.
 */
import { pow2, roundHalfToEven, toFloat16 } from "../../precision/formats";
import { dynamicLossScalerStep, type LossScalerState } from "../../precision/loss-scaler";
import { callAnswer, GradingError, type GradedTest, type Implementation, type Question } from "../question";

// ---------------------------------------------------------------------------------------
// precision.toFp16
// ---------------------------------------------------------------------------------------

type Fp16Variant = "correct" | "truncate" | "ties-away" | "flush-subnormals" | "saturate" | "no-overflow";

/** fp16 rounding with the typical mistakes written out (the "correct" variant is IEEE binary16). */
export function toFp16With(x: number, variant: Fp16Variant = "correct"): number {
  if (variant === "correct") return toFloat16(x);
  if (Number.isNaN(x) || x === 0) return x;
  if (!Number.isFinite(x)) return variant === "saturate" ? Math.sign(x) * 65504 : x;
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (variant === "flush-subnormals" && a < 2 ** -14) return sign * 0;
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  const ulp = pow2(Math.min(Math.max(e - 10, -1022), 1023));
  const n = a / ulp;
  const k = variant === "truncate" ? Math.floor(n) : variant === "ties-away" ? Math.round(n) : roundHalfToEven(n);
  const r = k * ulp;
  if (r > 65504) return variant === "saturate" ? sign * 65504 : variant === "no-overflow" ? sign * r : sign * Infinity;
  return sign * r;
}

const FP16_MISTAKES: readonly { variant: Fp16Variant; description: string }[] = [
  { variant: "truncate", description: "the value was truncated (rounded toward zero): round to the nearest fp16 number" },
  { variant: "ties-away", description: "a tie was rounded away from zero: IEEE 754 rounds ties to the neighbour with an even last fraction bit" },
  { variant: "flush-subnormals", description: "subnormals were flushed to zero: below 2^-14 fp16 still has numbers, multiples of 2^-24" },
  { variant: "saturate", description: "overflow was clamped to 65504: in fp16 a value that rounds above 65504 becomes ±Infinity" },
  { variant: "no-overflow", description: "the result exceeds fp16's largest finite value (65504): it must overflow to ±Infinity" },
];

function sameFloat(a: number, b: number): boolean {
  return Object.is(a, b) || (a === 0 && b === 0) || (Number.isNaN(a) && Number.isNaN(b));
}

/** Check `toFp16` on a list of inputs; shared by public and hidden tests. */
export async function checkToFp16Cases(impl: Implementation, xs: readonly number[]): Promise<void> {
  for (const x of xs) {
    const received = await callAnswer(impl, "precision.toFp16", "toFp16", x);
    if (typeof received !== "number") throw new GradingError(`toFp16(${x}) should return a number, got ${received === null ? "null" : typeof received}.`);
    const expected = toFloat16(x);
    if (sameFloat(received, expected)) continue;
    const mistake = FP16_MISTAKES.find((m) => sameFloat(received, toFp16With(x, m.variant)) && !sameFloat(toFp16With(x, m.variant), expected));
    const why = mistake === undefined ? " Find x's binade, its spacing 2^(e − 10) (2^-24 below 2^-14), round x/spacing to the nearest integer (ties to even)." : ` Looks like ${mistake.description}.`;
    throw new GradingError(`toFp16(${x}) is not the nearest fp16 value.${why}`, String(expected), String(received));
  }
}

export const precisionToFp16Question: Question = {
  id: "precision.toFp16",
  notebook: "06-profiling-precision.ipynb",
  title: "Rounding to fp16 (IEEE binary16) from the bit layout",
  exports: ["toFp16"],
  publicTests: [
    precisionTest("numbers fp16 holds exactly come back unchanged; 0.1 becomes 0.0999755859375", 1, "1, 0.5, 65504 are fp16 numbers; 0.1 is not: its spacing is 2^-14 (binade 2^-4).", (impl) =>
      checkToFp16Cases(impl, [1, 0.5, -2, 65504, 0.1, 3.14159]),
    ),
    precisionTest("ties go to the even neighbour: 1 + 2^-11 → 1, 1 + 3·2^-11 → 1 + 2^-9, 2049 → 2048, 2051 → 2052", 2, "At a tie, pick the neighbour whose last fraction bit is 0.", (impl) =>
      checkToFp16Cases(impl, [1 + 2 ** -11, 1 + 3 * 2 ** -11, 2049, 2051, -2049]),
    ),
    precisionTest("subnormals: 2^-24 is the smallest, 1e-7 rounds to 2^-23, 2^-25 ties to 0", 2, "Below 2^-14 the spacing stays 2^-24 (exponent field 0, no implicit 1).", (impl) =>
      checkToFp16Cases(impl, [2 ** -24, 1e-7, 2 ** -25, 3 * 2 ** -26, 6e-5, -1e-6]),
    ),
    precisionTest("overflow: 65519 → 65504, 65520 → Infinity, -1e5 → -Infinity", 1, "Round first; a result above 65504 is ±Infinity.", (impl) =>
      checkToFp16Cases(impl, [65519, 65520, -1e5, 1e6]),
    ),
  ],
};

// ---------------------------------------------------------------------------------------
// precision.lossScaler
// ---------------------------------------------------------------------------------------

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
export async function checkLossScalerCase(impl: Implementation, state: LossScalerState, grads: readonly number[], options: GradedScalerOptions): Promise<void> {
  const what = `lossScalerStep({ scale: ${state.scale}, growthTracker: ${state.growthTracker} }, [${grads.join(", ")}], { growthFactor: ${options.growthFactor}, backoffFactor: ${options.backoffFactor}, growthInterval: ${options.growthInterval} })`;
  const expected = lossScalerStepWith(state, grads, options);
  const received = readStep(await callAnswer(impl, "precision.lossScaler", "lossScalerStep", { ...state }, [...grads], { ...options }), what);
  if (sameStep(received, expected)) return;
  const mistake = SCALER_MISTAKES.find((m) => {
    const value = lossScalerStepWith(state, grads, options, m.variant);
    return sameStep(received, value) && !sameStep(value, expected);
  });
  const why = mistake === undefined ? " Check the overflow test, the new scale and tracker, and the unscaled gradients." : ` Looks like ${mistake.description}.`;
  throw new GradingError(`${what} is wrong.${why}`, showStep(expected), showStep(received));
}

/** PyTorch's GradScaler constants (torch/amp/grad_scaler.py). */
export const TORCH_SCALER: GradedScalerOptions = { growthFactor: 2, backoffFactor: 0.5, growthInterval: 2000 };

export const precisionLossScalerQuestion: Question = {
  id: "precision.lossScaler",
  notebook: "06-profiling-precision.ipynb",
  title: "One step of a dynamic loss scaler (PyTorch's GradScaler)",
  exports: ["lossScalerStep"],
  publicTests: [
    precisionTest("a clean step divides the gradients by the scale and counts one more clean step", 1, "gradients = scaled / scale; growthTracker + 1.", (impl) =>
      checkLossScalerCase(impl, { scale: 65536, growthTracker: 0 }, [65536, -32768, 6.5536], TORCH_SCALER),
    ),
    precisionTest("an infinite gradient skips the step, halves the scale and resets the tracker", 2, "On overflow: skipped = true, gradients = null, scale × backoffFactor, growthTracker = 0.", (impl) =>
      checkLossScalerCase(impl, { scale: 65536, growthTracker: 1234 }, [1, Infinity, 2], TORCH_SCALER),
    ),
    precisionTest("the 2000th clean step in a row doubles the scale and resets the tracker", 1, "Increment the tracker first; when it reaches growthInterval, scale × growthFactor and tracker = 0.", (impl) =>
      checkLossScalerCase(impl, { scale: 1024, growthTracker: 1999 }, [2048, 512], TORCH_SCALER),
    ),
  ],
};

/** Lab 6's precision questions, in notebook order. */
export const precisionQuestions: readonly Question[] = [precisionToFp16Question, precisionLossScalerQuestion];

/** A graded test (the precision questions create no tensors). */
export function precisionTest(name: string, points: number, hint: string, run: (impl: Implementation) => Promise<void>): GradedTest {
  return { name, points, hint, run };
}
