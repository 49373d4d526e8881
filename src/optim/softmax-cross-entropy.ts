/**
 * Softmax cross-entropy with a hand-derived gradient, computed stably.
 *
 * For logits z ∈ ℝ^{N×K} and one-hot labels Y (Goodfellow et al., *Deep Learning*,
 * 2016, §6.2.2.3, eq. 6.29–6.33):
 *
 *   softmax(z)_k = exp(z_k) / Σ_j exp(z_j)
 *   L = −(1/N) Σ_i Σ_k Y_ik log softmax(z_i)_k
 *     = (1/N) Σ_i [ logsumexp(z_i) − Σ_k Y_ik z_ik ]          (since Σ_k Y_ik = 1)
 *   ∂L/∂z = (1/N) (softmax(z) − Y)
 *
 * Stability (log-sum-exp trick, *ibid.* §4.1, eq. 4.1): with c_i = max_k z_ik,
 *
 *   logsumexp(z_i) = c_i + log Σ_k exp(z_ik − c_i)
 *
 * so no exp() sees a positive argument and nothing overflows, even for logits of 1000.
 */
import { tf } from "../tensor";
import type { LossAndGradient } from "./mse";

/**
 * Row-wise log Σ_k exp(z_ik), computed as c + log Σ exp(z − c) with c the row maximum.
 * @param z logits, [N, K]
 * @returns [N]
 */
export function logSumExp(z: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const c = tf.max(z, 1, true); // [N, 1] row maxima
    const s = tf.sum(tf.exp(tf.sub(z, c)), 1, true); // [N, 1], each in [1, K]
    return tf.reshape(tf.add(c, tf.log(s)), [-1]) as tf.Tensor1D;
  });
}

/**
 * Row-wise softmax, stable: exp(z − c) / Σ exp(z − c).
 * @param z logits, [N, K]
 * @returns probabilities, [N, K], rows sum to 1
 */
export function stableSoftmax(z: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const c = tf.max(z, 1, true); // [N, 1]
    const e = tf.exp(tf.sub(z, c)); // [N, K]
    return tf.div(e, tf.sum(e, 1, true)) as tf.Tensor2D;
  });
}

/**
 * L = (1/N) Σ_i [logsumexp(z_i) − Σ_k Y_ik z_ik] and ∂L/∂z = (softmax(z) − Y)/N.
 * @param z logits, [N, K]
 * @param Y one-hot labels (or any rows summing to 1), [N, K]
 */
export function softmaxCrossEntropy(z: tf.Tensor2D, Y: tf.Tensor2D): LossAndGradient {
  if (z.rank !== 2 || z.shape.join(",") !== Y.shape.join(",")) {
    throw new Error(
      `softmaxCrossEntropy: expected logits and one-hot labels of the same shape [N, K], got [${z.shape}] and [${Y.shape}]. ` +
        "Turn class indices into one-hot rows with tf.oneHot(labels, K).",
    );
  }
  return tf.tidy(() => {
    const N = z.shape[0];
    const lse = logSumExp(z); // [N]
    const zTrue = tf.sum(tf.mul(Y, z), 1); // [N], the logit of the true class
    const loss = tf.div(tf.sum(tf.sub(lse, zTrue)), N) as tf.Scalar;
    const p = stableSoftmax(z); // [N, K]
    const dYHat = tf.div(tf.sub(p, Y), N); // [N, K]
    return { loss, dYHat };
  });
}

/**
 * Fraction of rows whose largest logit is the true class.
 * @param z logits or probabilities, [N, K]
 * @param labels class indices, [N] (int32)
 */
export function classificationAccuracy(z: tf.Tensor2D, labels: tf.Tensor1D): number {
  return tf.tidy(() => {
    const hits = tf.equal(tf.argMax(z, 1), tf.cast(labels, "int32"));
    return tf.mean(tf.cast(hits, "float32")).dataSync()[0]!;
  });
}
