/**
 * A two-layer perceptron with manual backpropagation.
 *
 * Forward (shapes for a batch of N examples, D features, H hidden units, K classes):
 *
 *   a = X W1 + b1                         [N, H]   pre-activation
 *   h = relu(a) = max(a, 0)               [N, H]
 *   z = h W2 + b2                         [N, K]   logits
 *   L = (1/N) Σ_i [logsumexp(z_i) − z_{i, y_i}]
 *
 * Backward, one line per local derivative (Goodfellow et al., *Deep Learning*, 2016,
 * §6.5.7, Algorithm 6.4; Rumelhart, Hinton & Williams, Nature 323, 1986):
 *
 *   dz  = (softmax(z) − Y) / N            [N, K]
 *   dW2 = hᵀ dz                           [H, K]
 *   db2 = Σ_i dz_i                        [K]
 *   dh  = dz W2ᵀ                          [N, H]
 *   da  = dh ⊙ 1[a > 0]                   [N, H]   relu'(a)
 *   dW1 = Xᵀ da                           [D, H]
 *   db1 = Σ_i da_i                        [H]
 *
 * Initialisation: W1 ~ N(0, 2/D) (He et al., ICCV 2015, eq. 10, for relu),
 * W2 ~ N(0, 1/H) (LeCun-style), biases 0.
 */
import { tf } from "../tensor";
import type { Rng } from "../foundation/random";
import { softmaxCrossEntropy } from "../optim/softmax-cross-entropy";
import { crossEntropyFromLogits } from "./softmax-regression";
import { expectInputWidth, countParameters, disposeParameters, type LossAndGradients, type Model } from "./model";
import { expectInteger } from "../foundation/validate";

export interface MlpOptions {
  /** D, input features. */
  readonly inputs: number;
  /** H, hidden units. @default 32 */
  readonly hidden?: number;
  /** K, classes. */
  readonly classes: number;
}

export class Mlp implements Model {
  readonly kind = "mlp" as const;
  readonly params: {
    readonly W1: tf.Variable;
    readonly b1: tf.Variable;
    readonly W2: tf.Variable;
    readonly b2: tf.Variable;
  };
  readonly D: number;
  readonly H: number;
  readonly K: number;

  constructor(options: MlpOptions, rng: Rng) {
    this.D = options.inputs;
    this.H = options.hidden ?? 32;
    this.K = options.classes;
    expectInteger("inputs", this.D, 1);
    expectInteger("hidden", this.H, 1);
    expectInteger("classes", this.K, 1);
    const { D, H, K } = this;
    // tf.variable(x) shares x's buffer but counts it again in tf.memory(); tidy disposes x,
    // so each parameter is held once: 4 bytes per parameter (test/models/memory-accounting.test.ts).
    this.params = {
      W1: tf.tidy(() => tf.variable(tf.tensor2d(rng.normalArray(D * H, Math.sqrt(2 / D)), [D, H]))), // [D, H]
      b1: tf.tidy(() => tf.variable(tf.zeros([H]))), // [H]
      W2: tf.tidy(() => tf.variable(tf.tensor2d(rng.normalArray(H * K, Math.sqrt(1 / H)), [H, K]))), // [H, K]
      b2: tf.tidy(() => tf.variable(tf.zeros([K]))), // [K]
    };
  }

  predict(X: tf.Tensor2D): tf.Tensor2D {
    expectInputWidth(X, this.D, "Mlp.predict");
    const { W1, b1, W2, b2 } = this.params;
    return tf.tidy(() => {
      const a = tf.add(tf.matMul(X, W1), b1); // [N, H]
      const h = tf.relu(a); // [N, H]
      return tf.add(tf.matMul(h, W2), b2); // [N, K]
    });
  }

  loss(X: tf.Tensor2D, Y: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => crossEntropyFromLogits(this.predict(X), Y));
  }

  lossAndGradients(X: tf.Tensor2D, Y: tf.Tensor2D): LossAndGradients {
    expectInputWidth(X, this.D, "Mlp.lossAndGradients");
    const { W1, b1, W2, b2 } = this.params;
    return tf.tidy(() => {
      // forward
      const a = tf.add(tf.matMul(X, W1), b1); // [N, H]
      const h = tf.relu(a); // [N, H]
      const z = tf.add(tf.matMul(h, W2), b2) as tf.Tensor2D; // [N, K]
      const { loss, dYHat: dz } = softmaxCrossEntropy(z, Y); // dz [N, K]
      // backward
      const dW2 = tf.matMul(h, dz, true, false); // hᵀ dz, [H, K]
      const db2 = tf.sum(dz, 0); // [K]
      const dh = tf.matMul(dz, W2, false, true); // dz W2ᵀ, [N, H]
      const da = tf.mul(dh, tf.step(a)); // dh ⊙ 1[a > 0], [N, H]
      const dW1 = tf.matMul(X, da, true, false); // Xᵀ da, [D, H]
      const db1 = tf.sum(da, 0); // [H]
      return { loss, grads: { W1: dW1, b1: db1, W2: dW2, b2: db2 } };
    });
  }

  parameterCount(): number {
    return countParameters(this.params);
  }

  dispose(): void {
    disposeParameters(this.params);
  }
}

/** `mlp({ inputs: 4, hidden: 32, classes: 3 }, createRng(0))`. */
export function mlp(options: MlpOptions, rng: Rng): Mlp {
  return new Mlp(options, rng);
}
