/**
 * Why mixed-precision training keeps fp32 master weights (Micikevicius et al. 2018, §3.1).
 *
 * An update w ← w − η·g is lost when η·g is smaller than half the spacing of the numbers
 * around w: in fp16 that spacing is 2^−10 at w = 1, so 1 + 10^−4 rounds back to 1. A model
 * whose weights are *stored* in fp16 stops learning once its updates get that small. Mixed
 * precision computes forward and backward in fp16 but applies every update to an fp32
 * copy of the weights (4 bytes more per parameter: the "12" of 2 + 2 + 12), so small
 * updates accumulate.
 *
 * The experiment: full-batch gradient descent on least squares, L(w) = (1/n)‖Xw − y‖²,
 * with gradient (2/n)·Xᵀ(Xw − y), in three precisions emulated number by number:
 *   "fp32"          everything in fp32 (Math.fround after each operation)
 *   "fp16-weights"  weights stored in fp16, fp16 compute: w ← fp16(w − η·g)
 *   "mixed"         fp16 inputs, weights and residuals, products summed in fp32 (as tensor
 *                   cores accumulate), fp16 gradients; the update goes to fp32 master weights
 *                   and the fp16 working copy is re-rounded from them each step.
 */
import { createRng } from "../foundation/random";
import { roundToFormat } from "./formats";

/** How the emulated training stores and computes. */
export type TrainingPrecisionMode = "fp32" | "fp16-weights" | "mixed";

/** A least-squares problem: rows of X, targets y. */
export interface LeastSquaresData {
  readonly X: readonly (readonly number[])[]; // [n][d]
  readonly y: readonly number[]; // [n]
  /** The weights that generated y (before noise). */
  readonly wTrue: readonly number[]; // [d]
}

/** Options of `masterWeightsProblem`. */
export interface MasterWeightsProblemOptions {
  /** n: examples. @default 64 */
  readonly examples?: number;
  /** d: features. @default 8 */
  readonly features?: number;
  /** Standard deviation of the target noise. @default 0.05 */
  readonly noise?: number;
  /** @default 6 */
  readonly seed?: number;
}

/** Random least squares with weights in [1, 4) (where fp16's spacing is 2^−10 to 2^−8) and standard-normal features. */
export function masterWeightsProblem(options: MasterWeightsProblemOptions = {}): LeastSquaresData {
  const n = options.examples ?? 64;
  const d = options.features ?? 8;
  const noise = options.noise ?? 0.05;
  const rng = createRng(options.seed ?? 6);
  const wTrue = Array.from({ length: d }, () => 1 + 3 * rng.uniform());
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  const y = X.map((row) => row.reduce((sum, x, j) => sum + x * wTrue[j]!, 0) + noise * rng.normal());
  return { X, y, wTrue };
}

/** Options of `trainWithPrecision`. */
export interface PrecisionTrainingOptions {
  /** η, the learning rate. @default 2e-3 */
  readonly lr?: number;
  /** @default 2000 */
  readonly steps?: number;
}

/** Loss per step and the final weights. */
export interface PrecisionTrainingRun {
  readonly mode: TrainingPrecisionMode;
  /** Mean squared error of the fp32 master (or stored) weights, measured in float64, before each step and after the last. */
  readonly losses: number[];
  readonly weights: number[];
  /** Steps whose update changed no stored weight at all. */
  readonly lostUpdates: number;
}

const fp16 = (x: number): number => roundToFormat(x, "fp16");
const fp32 = Math.fround;

function exactLoss(data: LeastSquaresData, w: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < data.y.length; i++) {
    const r = data.X[i]!.reduce((s, x, j) => s + x * w[j]!, 0) - data.y[i]!;
    sum += r * r;
  }
  return sum / data.y.length;
}

/** Gradient descent from w = 0 in one precision mode. */
export function trainWithPrecision(data: LeastSquaresData, mode: TrainingPrecisionMode, options: PrecisionTrainingOptions = {}): PrecisionTrainingRun {
  const eta = options.lr ?? 2e-3; // η
  const steps = options.steps ?? 2000;
  const n = data.y.length;
  const d = data.wTrue.length;
  const low = mode === "fp32" ? fp32 : fp16; // storage of inputs, working weights, residuals, gradients
  const X = data.X.map((row) => row.map(low)); // [n][d]
  const y = data.y.map(low); // [n]
  let w = new Array<number>(d).fill(0); // master weights (fp32) or stored weights (fp16)
  const losses: number[] = [];
  let lostUpdates = 0;
  for (let step = 0; step < steps; step++) {
    losses.push(exactLoss(data, w));
    const wWork = w.map(low); // the working copy the forward pass reads
    // forward: residual r = Xw − y, products summed in fp32, stored in the low precision
    const r = X.map((row, i) => low(fp32(row.reduce((s, x, j) => fp32(s + fp32(x * wWork[j]!)), 0)) - y[i]!));
    // backward: g = (2/n)·Xᵀr
    const g = Array.from({ length: d }, (_, j) => low(fp32((2 / n) * X.reduce((s, row, i) => fp32(s + fp32(row[j]! * r[i]!)), 0))));
    // update: into fp32 master weights ("fp32", "mixed") or into the fp16 weights themselves
    const store = mode === "fp16-weights" ? fp16 : fp32;
    const next = w.map((wj, j) => store(wj - eta * g[j]!));
    if (next.every((v, j) => v === w[j])) lostUpdates++;
    w = next;
  }
  losses.push(exactLoss(data, w));
  return { mode, losses, weights: w, lostUpdates };
}
