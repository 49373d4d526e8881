/**
 * The model the data-parallel simulator trains: softmax regression, small enough
 * to train many simulated workers in milliseconds, with its gradient by hand.
 *
 * Parameters θ = (W, b), flattened into one Float32Array of Ψ = C·D + C floats:
 * W [C, D] row-major at θ[0, C·D), then b [C] (C classes, D features).
 * For one sample (x, y):
 *   z = W x + b                      // logits [C]
 *   p = softmax(z)                   // p_c = exp(z_c) / Σ_k exp(z_k)
 *   ℓ = −log p_y = logsumexp(z) − z_y  // cross-entropy
 *   δ = p − onehot(y)                // ∂ℓ/∂z [C]
 *   ∂ℓ/∂W[c, d] = δ_c · x_d,  ∂ℓ/∂b_c = δ_c
 * (Bishop 2006, Pattern Recognition and Machine Learning, §4.3.4, eq. 4.109.)
 */
import { createRng } from "../foundation/random";
import { expectInteger } from "../foundation/validate";

/** A labelled data set: x [samples, features] row-major, y [samples] in 0..classes−1. */
export interface ClassificationData {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly samples: number;
  readonly features: number;
  readonly classes: number;
}

/** Options of makeClassificationData. */
export interface ClassificationDataOptions {
  readonly samples: number;
  readonly features: number;
  readonly classes: number;
  /** Standard deviation of each sample around its class mean. @default 1 */
  readonly noise?: number;
  /** @default 0 */
  readonly seed?: number;
}

/** Gaussian blobs: class means drawn from N(0, 1), samples = mean + noise · N(0, 1). Labels cycle 0, 1, …, C−1. */
export function makeClassificationData(options: ClassificationDataOptions): ClassificationData {
  const { samples, features, classes } = options;
  expectInteger("samples", samples, 1);
  expectInteger("features", features, 1);
  expectInteger("classes", classes, 2);
  const rng = createRng(options.seed ?? 0);
  const noise = options.noise ?? 1;
  const means = rng.normalArray(classes * features); // [C, D]
  const x = new Float32Array(samples * features); // [samples, D]
  const y = new Int32Array(samples); // [samples]
  for (let s = 0; s < samples; s++) {
    const label = s % classes;
    y[s] = label;
    for (let d = 0; d < features; d++) x[s * features + d] = means[label * features + d]! + noise * rng.normal();
  }
  return { x, y, samples, features, classes };
}

/** Ψ = C·D + C: the number of parameters of softmax regression. */
export function softmaxRegressionParamCount(features: number, classes: number): number {
  return classes * features + classes;
}

/** Initial θ: W ~ N(0, 0.01²), b = 0 (seeded). */
export function initSoftmaxRegression(features: number, classes: number, seed = 0): Float32Array {
  const theta = new Float32Array(softmaxRegressionParamCount(features, classes)); // [Ψ]
  const W = createRng(seed).normalArray(classes * features, 0.01); // [C, D]
  theta.set(W, 0);
  return theta;
}

/** Sum over samples of the loss and of its gradient (float64 accumulators). */
export interface LossGradientSum {
  /** Σ ℓ over the samples */
  readonly lossSum: number;
  /** Σ ∇θ ℓ over the samples, [Ψ] */
  readonly gradientSum: Float64Array;
}

/**
 * Loss and gradient summed over `indices` (not averaged: the caller divides by
 * the global batch size, which is what makes uneven shards weigh correctly).
 * @param theta [Ψ] parameters
 * @param data the data set
 * @param indices sample indices of this worker's shard
 */
export function softmaxRegressionLossGradient(
  theta: Float32Array,
  data: ClassificationData,
  indices: readonly number[],
): LossGradientSum {
  const D = data.features;
  const C = data.classes;
  const bOffset = C * D;
  const gradientSum = new Float64Array(theta.length); // [Ψ]
  const z = new Float64Array(C); // logits [C]
  let lossSum = 0;
  for (const s of indices) {
    const xOffset = s * D;
    // forward: z = W x + b
    let zMax = -Infinity;
    for (let c = 0; c < C; c++) {
      let zc = theta[bOffset + c]!;
      for (let d = 0; d < D; d++) zc += theta[c * D + d]! * data.x[xOffset + d]!;
      z[c] = zc;
      if (zc > zMax) zMax = zc;
    }
    let sumExp = 0;
    for (let c = 0; c < C; c++) sumExp += Math.exp(z[c]! - zMax);
    const label = data.y[s]!;
    lossSum += zMax + Math.log(sumExp) - z[label]!; // logsumexp(z) − z_y
    // backward: δ = p − onehot(y)
    for (let c = 0; c < C; c++) {
      const delta = Math.exp(z[c]! - zMax) / sumExp - (c === label ? 1 : 0);
      for (let d = 0; d < D; d++) gradientSum[c * D + d]! += delta * data.x[xOffset + d]!;
      gradientSum[bOffset + c]! += delta;
    }
  }
  return { lossSum, gradientSum };
}

/** Mean loss over `indices` (the forward pass alone). */
export function softmaxRegressionLoss(theta: Float32Array, data: ClassificationData, indices: readonly number[]): number {
  return softmaxRegressionLossGradient(theta, data, indices).lossSum / indices.length;
}
