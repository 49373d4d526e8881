/**
 * Mini-batch stochastic gradient descent: shuffle, cut into batches, one step per batch.
 *
 * Goodfellow et al., *Deep Learning*, 2016, §8.3.1, Algorithm 8.1:
 *   sample a minibatch {x_1..x_B}; ĝ ← (1/B) Σ_i ∇ loss(f_w(x_i), y_i); w ← w − η ĝ.
 * "Sampling" is done as most frameworks do: each epoch visits every example once, in
 * an order drawn from a seeded shuffle (so an epoch is reproducible).
 */
import { tf } from "../tensor";
import type { Rng } from "../foundation/random";
import { expectLinearShapes, mseGradient } from "./mse";
import { gdUpdate, type LinearGradient } from "./gradient-descent";
import { expectPositive } from "../foundation/validate";

/**
 * Row indices for one epoch: a seeded permutation of 0..n−1 cut into batches of
 * `batchSize` (the last batch is smaller when batchSize does not divide n).
 * @example
 *   shuffledBatches(5, 2, createRng(0)); // e.g. [[3, 0], [4, 1], [2]]
 */
export function shuffledBatches(n: number, batchSize: number, rng: Rng): number[][] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`Expected n to be an integer >= 1, got ${n}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`Expected batchSize to be an integer >= 1, got ${batchSize}. Use n for full-batch gradient descent.`);
  }
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const batches: number[][] = [];
  for (let start = 0; start < n; start += batchSize) batches.push(order.slice(start, start + batchSize));
  return batches;
}

/**
 * One epoch of mini-batch SGD on linear regression with the MSE loss. For each batch B
 * (in the given order):
 *
 *   w ← w − η (2/|B|) X_Bᵀ (X_B w − y_B)
 *
 * The answer to the graded question `gd.sgdEpoch`. The caller chooses the batches
 * (use `shuffledBatches`), so the result is deterministic and testable.
 * @param X [N, D]
 * @param y [N, 1]
 * @param w initial weights, [D, 1] (not changed)
 * @param lr η > 0
 * @param batches row indices of each mini-batch, e.g. [[3, 0], [4, 1], [2]]
 * @param gradient ∇L as a function of (X_B, y_B, w). @default mseGradient
 * @returns the weights after the last batch, [D, 1]
 */
export function sgdEpoch(
  X: tf.Tensor2D,
  y: tf.Tensor2D,
  w: tf.Tensor2D,
  lr: number,
  batches: readonly (readonly number[])[],
  gradient: LinearGradient = mseGradient,
): tf.Tensor2D {
  // BEGIN SOLUTION gd.sgdEpoch
  expectLinearShapes(X, y, w, "sgdEpoch");
  expectPositive("lr", lr, "Try 0.01 and adjust by factors of 3.");
  const N = X.shape[0];
  for (const batch of batches) {
    for (const i of batch) {
      if (!Number.isInteger(i) || i < 0 || i >= N) {
        throw new Error(`sgdEpoch: batch index ${i} is not a row of X (rows 0..${N - 1}).`);
      }
    }
  }
  return tf.tidy(() => {
    let wt: tf.Tensor2D = tf.clone(w);
    for (const batch of batches) {
      const idx = tf.tensor1d(Array.from(batch), "int32");
      const XB = tf.gather(X, idx); // [B, D]
      const yB = tf.gather(y, idx); // [B, 1]
      const g = gradient(XB, yB, wt); // [D, 1], averaged over the B rows of the batch
      wt = gdUpdate(wt, g, lr) as tf.Tensor2D; // w − η ĝ
    }
    return wt;
  });
  // END SOLUTION
}
