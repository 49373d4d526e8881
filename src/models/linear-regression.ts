/**
 * Linear regression: ŷ = X w + b, trained on the mean squared error.
 *
 *   L = (1/N) Σ_i Σ_k (ŷ_ik − y_ik)²
 *   ∂L/∂ŷ = (2/N)(ŷ − y)                 [N, K]
 *   ∂L/∂w = Xᵀ ∂L/∂ŷ                     [D, K]
 *   ∂L/∂b = Σ_i (∂L/∂ŷ)_i                [K]
 *
 * (Goodfellow et al., *Deep Learning*, 2016, §5.1.4.)
 */
import { tf } from "../tensor";
import type { Rng } from "../foundation/random";
import { mseLoss, mseLossAndGradient } from "../optim/mse";
import { expectInputWidth, countParameters, disposeParameters, type LossAndGradients, type Model } from "./model";
import { expectInteger } from "../foundation/validate";

export interface LinearRegressionOptions {
  /** D, input features. */
  readonly inputs: number;
  /** K, outputs. @default 1 */
  readonly outputs?: number;
  /** Initial weights ~ N(0, initStd²); biases start at 0. @default 0 */
  readonly initStd?: number;
}

export class LinearRegression implements Model {
  readonly kind = "linear-regression" as const;
  readonly params: { readonly w: tf.Variable; readonly b: tf.Variable };
  readonly D: number;
  readonly K: number;

  constructor(options: LinearRegressionOptions, rng: Rng) {
    this.D = options.inputs;
    this.K = options.outputs ?? 1;
    expectInteger("inputs", this.D, 1);
    expectInteger("outputs", this.K, 1);
    const std = options.initStd ?? 0;
    this.params = {
      w: tf.tidy(() => tf.variable(tf.tensor2d(rng.normalArray(this.D * this.K, std), [this.D, this.K]))), // [D, K]
      b: tf.tidy(() => tf.variable(tf.zeros([this.K]))), // [K]
    };
  }

  predict(X: tf.Tensor2D): tf.Tensor2D {
    expectInputWidth(X, this.D, "LinearRegression.predict");
    return tf.tidy(() => tf.add(tf.matMul(X, this.params.w), this.params.b)); // [N, K]
  }

  loss(X: tf.Tensor2D, Y: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => mseLoss(this.predict(X), Y));
  }

  lossAndGradients(X: tf.Tensor2D, Y: tf.Tensor2D): LossAndGradients {
    return tf.tidy(() => {
      const yHat = this.predict(X); // [N, K]
      const { loss, dYHat } = mseLossAndGradient(yHat, Y); // dYHat = (2/N)(ŷ − y)
      const w = tf.matMul(X, dYHat, true, false); // ∂L/∂w = Xᵀ dŶ, [D, K]
      const b = tf.sum(dYHat, 0); // ∂L/∂b, [K]
      return { loss, grads: { w, b } };
    });
  }

  parameterCount(): number {
    return countParameters(this.params);
  }

  dispose(): void {
    disposeParameters(this.params);
  }
}

/** `linearRegression({ inputs: 3 }, createRng(0))`. */
export function linearRegression(options: LinearRegressionOptions, rng: Rng): LinearRegression {
  return new LinearRegression(options, rng);
}
