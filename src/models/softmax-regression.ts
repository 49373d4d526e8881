/**
 * Softmax (multinomial logistic) regression: z = X W + b, trained on softmax cross-entropy.
 *
 *   L = (1/N) Σ_i [logsumexp(z_i) − z_{i, y_i}]
 *   ∂L/∂z = (softmax(z) − Y) / N         [N, K]
 *   ∂L/∂W = Xᵀ ∂L/∂z                     [D, K]
 *   ∂L/∂b = Σ_i (∂L/∂z)_i                [K]
 *
 * (Goodfellow et al., *Deep Learning*, 2016, §6.2.2.3; Bishop, *Pattern Recognition and
 * Machine Learning*, 2006, §4.3.4, eq. 4.109.)
 */
import { tf } from "../tensor";
import type { Rng } from "../foundation/random";
import { logSumExp, softmaxCrossEntropy } from "../optim/softmax-cross-entropy";
import { expectInputWidth, countParameters, disposeParameters, type LossAndGradients, type Model } from "./model";
import { expectInteger } from "../foundation/validate";

export interface SoftmaxRegressionOptions {
  /** D, input features. */
  readonly inputs: number;
  /** K, classes. */
  readonly classes: number;
  /** Initial weights ~ N(0, initStd²). @default 0.01 */
  readonly initStd?: number;
}

/** Mean cross-entropy from logits with autodiff-friendly ops (the oracle for the hand-written gradient). */
export function crossEntropyFromLogits(z: tf.Tensor2D, Y: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sub(logSumExp(z), tf.sum(tf.mul(Y, z), 1))) as tf.Scalar);
}

/**
 * The loss and its gradients at W, b: the formulas of this file's comment, written once.
 * `SoftmaxRegression` calls it with its variables; the data-parallel workers
 * (parallel/softmax-regression.ts) call it with their flat parameter vector unpacked.
 * @param X [N, D]
 * @param Y one-hot labels [N, K]
 * @param W [D, K]
 * @param b [K]
 * @returns the mean loss and `{ W: ∂L/∂W [D, K], b: ∂L/∂b [K] }`
 */
export function softmaxRegressionGradients(X: tf.Tensor2D, Y: tf.Tensor2D, W: tf.Tensor, b: tf.Tensor): LossAndGradients {
  return tf.tidy(() => {
    const z = tf.add(tf.matMul(X, W), b) as tf.Tensor2D; // logits z = X W + b, [N, K]
    const { loss, dYHat: dz } = softmaxCrossEntropy(z, Y); // dz = (softmax(z) − Y)/N, [N, K]
    const gW = tf.matMul(X, dz, true, false); // ∂L/∂W = Xᵀ dz, [D, K]
    const gb = tf.sum(dz, 0); // ∂L/∂b = Σ_i dz_i, [K]
    return { loss, grads: { W: gW, b: gb } };
  });
}

export class SoftmaxRegression implements Model {
  readonly kind = "softmax-regression" as const;
  readonly params: { readonly W: tf.Variable; readonly b: tf.Variable };
  readonly D: number;
  readonly K: number;

  constructor(options: SoftmaxRegressionOptions, rng: Rng) {
    this.D = options.inputs;
    this.K = options.classes;
    expectInteger("inputs", this.D, 1);
    expectInteger("classes", this.K, 1);
    const std = options.initStd ?? 0.01;
    this.params = {
      W: tf.tidy(() => tf.variable(tf.tensor2d(rng.normalArray(this.D * this.K, std), [this.D, this.K]))), // [D, K]
      b: tf.tidy(() => tf.variable(tf.zeros([this.K]))), // [K]
    };
  }

  predict(X: tf.Tensor2D): tf.Tensor2D {
    expectInputWidth(X, this.D, "SoftmaxRegression.predict");
    return tf.tidy(() => tf.add(tf.matMul(X, this.params.W), this.params.b)); // logits [N, K]
  }

  loss(X: tf.Tensor2D, Y: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => crossEntropyFromLogits(this.predict(X), Y));
  }

  lossAndGradients(X: tf.Tensor2D, Y: tf.Tensor2D): LossAndGradients {
    expectInputWidth(X, this.D, "SoftmaxRegression.lossAndGradients");
    return softmaxRegressionGradients(X, Y, this.params.W, this.params.b);
  }

  parameterCount(): number {
    return countParameters(this.params);
  }

  dispose(): void {
    disposeParameters(this.params);
  }
}

/** `softmaxRegression({ inputs: 4, classes: 3 }, createRng(0))`. */
export function softmaxRegression(options: SoftmaxRegressionOptions, rng: Rng): SoftmaxRegression {
  return new SoftmaxRegression(options, rng);
}
