/**
 * Profiling one training step of a small network on the tensor backend in use: where do
 * the seconds go (forward, backward, optimizer), how many FLOPs did it do, and what
 * fraction of the measured peak is that (MFU)?
 *
 * The model is a multilayer perceptron with ReLU hidden layers and a mean-squared-error
 * loss, trained with Adam. Its model FLOPs are those of its matrix multiplications, the
 * 6PD rule with D = the batch (Kaplan et al. 2020 §2.1): a dense layer of fan-in k and
 * fan-out n costs 2·B·k·n forward and twice that backward. Biases, ReLUs, the loss and
 * Adam's element-wise update are left out, as MFU's convention (PaLM, Appendix B) leaves
 * out everything but the model's matrix multiplications.
 *
 * Phases, measured by the wall clock after warm-up steps, medians over the timed steps:
 *   forward    the loss alone (tf.tidy, then read the scalar)
 *   backward   tf.variableGrads (forward + backward, read every gradient) minus forward
 *   optimizer  lab 2's Adam step (read every variable)
 * The wall clock is the right clock here: `tf.time` on the wasm and cpu backends reports
 * kernelMs equal to the wall time (their kernels run synchronously), and reading a result's
 * data waits for any queued kernel on the asynchronous ones.
 */
import { tf } from "../tensor";
import { AdamOptimizer } from "../optim/adam";
import { median } from "./timing";
import { utilisation } from "./flops";

/** What to profile. */
export interface StepProfileOptions {
  /** Widths of the layers, input first: [in, hidden..., out]. @default [128, 256, 256, 128] */
  readonly layerSizes?: readonly number[];
  /** B: examples per step. @default 64 */
  readonly batch?: number;
  /** Untimed steps first. @default 2 */
  readonly warmup?: number;
  /** Timed steps. @default 5 */
  readonly steps?: number;
  /** Peak FLOP/s to compute MFU against (measure it with `measureRoofline`). */
  readonly peakFlops?: number;
  /** @default 1 */
  readonly seed?: number;
}

/** Seconds per phase (medians). */
export interface StepPhases {
  readonly forward: number;
  readonly backward: number;
  readonly optimizer: number;
}

/** The profile of one training step. */
export interface StepProfile {
  readonly layerSizes: readonly number[];
  readonly batch: number;
  /** P: weights in the matrix multiplications. */
  readonly parameters: number;
  readonly phases: StepPhases;
  /** forward + backward + optimizer (s). */
  readonly stepSeconds: number;
  /** Model FLOPs of one step: 6·P·B. */
  readonly modelFlops: number;
  /** modelFlops / stepSeconds. */
  readonly achievedFlops: number;
  /** achievedFlops / peakFlops, or null without a peak. */
  readonly mfu: number | null;
  readonly backend: string;
}

/** Matrix-multiplication weights of an MLP: Σ k·n over its layers. */
export function mlpMatmulParameters(layerSizes: readonly number[]): number {
  if (layerSizes.length < 2 || layerSizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`Expected at least two positive integer layer sizes, got [${layerSizes.join(", ")}].`);
  }
  let P = 0;
  for (let i = 0; i + 1 < layerSizes.length; i++) P += layerSizes[i]! * layerSizes[i + 1]!;
  return P;
}

/** Model FLOPs of one training step of the MLP on B examples: 6·P·B (2PB forward, 4PB backward). */
export function mlpStepFlops(layerSizes: readonly number[], batch: number): { forward: number; backward: number; total: number } {
  const P = mlpMatmulParameters(layerSizes);
  return { forward: 2 * P * batch, backward: 4 * P * batch, total: 6 * P * batch };
}

async function readAll(tensors: readonly tf.Tensor[]): Promise<void> {
  for (const t of tensors) await t.data();
}

/** Profile a training step (see the file comment). Leaves no tensors behind. */
export async function profileTrainingStep(options: StepProfileOptions = {}): Promise<StepProfile> {
  const layerSizes = options.layerSizes ?? [128, 256, 256, 128];
  const batch = options.batch ?? 64;
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`Expected batch to be an integer >= 1, got ${batch}.`);
  const warmup = options.warmup ?? 2;
  const steps = options.steps ?? 5;
  const seed = options.seed ?? 1;
  // He initialisation; tidy disposes the initial values a variable copies
  const weights = layerSizes.slice(1).map((n, i) => tf.tidy(() => tf.variable(tf.randomNormal([layerSizes[i]!, n], 0, Math.sqrt(2 / layerSizes[i]!), "float32", seed + i)))); // [k, n]
  const biases = layerSizes.slice(1).map((n) => tf.tidy(() => tf.variable(tf.zeros([n])))); // [n]
  const x = tf.randomNormal([batch, layerSizes[0]!], 0, 1, "float32", seed + 100); // [B, in]
  const y = tf.randomNormal([batch, layerSizes[layerSizes.length - 1]!], 0, 1, "float32", seed + 101); // [B, out]
  const optimizer = new AdamOptimizer({ lr: 1e-3 }); // lab 2's Adam (Kingma & Ba 2015, Algorithm 1)
  const params = Object.fromEntries([...weights, ...biases].map((v) => [v.name, v]));
  const loss = (): tf.Scalar =>
    tf.tidy(() => {
      let a: tf.Tensor = x;
      weights.forEach((W, i) => {
        const z = tf.add(tf.matMul(a, W), biases[i]!); // [B, n]
        a = i + 1 < weights.length ? tf.relu(z) : z;
      });
      return tf.losses.meanSquaredError(y, a) as tf.Scalar;
    });
  const forward: number[] = [];
  const backward: number[] = [];
  const optimizerSeconds: number[] = [];
  try {
    for (let step = 0; step < warmup + steps; step++) {
      const t0 = performance.now();
      const value = loss();
      await value.data();
      value.dispose();
      const t1 = performance.now();
      const { value: v, grads } = tf.variableGrads(loss);
      await readAll([v, ...Object.values(grads)]);
      const t2 = performance.now();
      optimizer.step(params, grads);
      await readAll([...weights, ...biases]);
      const t3 = performance.now();
      v.dispose();
      tf.dispose(grads);
      if (step >= warmup) {
        forward.push((t1 - t0) / 1000);
        backward.push(Math.max(0, (t2 - t1 - (t1 - t0)) / 1000));
        optimizerSeconds.push((t3 - t2) / 1000);
      }
    }
  } finally {
    optimizer.reset();
    tf.dispose([...weights, ...biases, x, y]);
  }
  const phases = { forward: median(forward), backward: median(backward), optimizer: median(optimizerSeconds) };
  const stepSeconds = phases.forward + phases.backward + phases.optimizer;
  const modelFlops = mlpStepFlops(layerSizes, batch).total;
  const mfu = options.peakFlops === undefined ? null : utilisation({ modelFlops, seconds: stepSeconds, peakFlops: options.peakFlops }).mfu;
  return { layerSizes, batch, parameters: mlpMatmulParameters(layerSizes), phases, stepSeconds, modelFlops, achievedFlops: modelFlops / stepSeconds, mfu, backend: tf.getBackend() };
}

/** Profile the same model at several batch sizes (MFU grows with the batch until the matmuls saturate). */
export async function profileBatchSweep(batches: readonly number[], options: Omit<StepProfileOptions, "batch"> = {}): Promise<StepProfile[]> {
  const profiles: StepProfile[] = [];
  for (const batch of batches) profiles.push(await profileTrainingStep({ ...options, batch }));
  return profiles;
}
