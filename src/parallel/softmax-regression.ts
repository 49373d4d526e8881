/**
 * The model the data-parallel simulator trains: softmax regression (models/softmax-regression.ts),
 * small enough to train many simulated workers in milliseconds, on one flat parameter vector.
 *
 * Parameters θ = (W, b), flattened into one Float32Array of Ψ = C·D + C floats:
 * W [C, D] row-major at θ[0, C·D), then b [C] (C classes, D features).
 * For one sample (x, y):
 *   z = W x + b                      // logits [C]
 *   p = softmax(z)                   // p_c = exp(z_c) / Σ_k exp(z_k)
 *   ℓ = −log p_y = logsumexp(z) − z_y  // cross-entropy
 *   δ = p − onehot(y)                // ∂ℓ/∂z [C]
 *   ∂ℓ/∂W[c, d] = δ_c · x_d,  ∂ℓ/∂b_c = δ_c
 * (Bishop 2006, Pattern Recognition and Machine Learning, §4.3.4, eq. 4.109.) The loss and
 * gradient are computed once, by `softmaxRegressionGradients` of the models unit, in float32.
 */
import { createRng } from "../foundation/random";
import { softmaxRegressionGradients } from "../models/softmax-regression";
import { expectTensorsStarted, tf } from "../tensor";
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

/** Sum over samples of the loss and of its gradient. */
export interface LossGradientSum {
  /** Σ ℓ over the samples */
  readonly lossSum: number;
  /** Σ ∇θ ℓ over the samples, [Ψ] */
  readonly gradientSum: Float64Array;
}

/**
 * Loss and gradient summed over `indices` (not averaged: the caller divides by
 * the global batch size, which is what makes uneven shards weigh correctly).
 * The shard's rows go through `softmaxRegressionGradients` (models/softmax-regression.ts)
 * with W unpacked from θ; its mean loss and gradient are scaled back to sums.
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
  const n = indices.length;
  const gradientSum = new Float64Array(theta.length); // [Ψ]
  if (n === 0) return { lossSum: 0, gradientSum };
  expectTensorsStarted("Softmax regression on a worker's shard");
  const x = new Float32Array(n * D); // the shard's rows [n, D]
  indices.forEach((s, i) => x.set(data.x.subarray(s * D, (s + 1) * D), i * D));
  const labels = Int32Array.from(indices, (s) => data.y[s]!); // [n]
  let lossSum = 0;
  tf.tidy(() => {
    const X = tf.tensor2d(x, [n, D]);
    const Y = tf.oneHot(tf.tensor1d(labels, "int32"), C).toFloat() as tf.Tensor2D; // [n, C]
    const W = tf.transpose(tf.tensor2d(theta.slice(0, C * D), [C, D])); // [D, C]
    const b = tf.tensor1d(theta.slice(C * D)); // [C]
    const { loss, grads } = softmaxRegressionGradients(X, Y, W, b); // means over the n rows
    const gW = tf.transpose(grads.W!).dataSync(); // ∂L/∂W as [C, D], row-major
    const gb = grads.b!.dataSync(); // [C]
    for (let j = 0; j < C * D; j++) gradientSum[j] = gW[j]! * n;
    for (let c = 0; c < C; c++) gradientSum[C * D + c] = gb[c]! * n;
    lossSum = loss.dataSync()[0]! * n;
  });
  return { lossSum, gradientSum };
}

/** Mean loss over `indices` (the forward pass alone). */
export function softmaxRegressionLoss(theta: Float32Array, data: ClassificationData, indices: readonly number[]): number {
  return softmaxRegressionLossGradient(theta, data, indices).lossSum / indices.length;
}
