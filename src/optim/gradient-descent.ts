/**
 * Gradient descent: full batch (one step per pass over the data) and the plain
 * SGD update rule used by mini-batch training.
 *
 * COURSE.md item 1, the lecture's update: for t = 1..T,
 *
 *   Δw = η · (1/N) Σ_i ∇ loss(f_w(x_i), y_i)
 *   w ← w − Δw
 *
 * (Goodfellow et al., *Deep Learning*, 2016, §4.3, eq. 4.21; §8.3.1, Algorithm 8.1 for SGD.)
 */
import { tf } from "../tensor";
import { expectLinearShapes, mseGradient } from "./mse";
import { OptimizerBase, type SlotMap, type UpdateResult } from "./optimizer";
import { expectPositive } from "../foundation/validate";

export interface SgdOptions {
  /** η, the learning rate. @default 0.01 */
  readonly lr?: number;
}

/**
 * w ← w − η g: the update shared by gradient descent and SGD. Whether it is "full
 * batch" or "stochastic" depends only on which examples produced g.
 * Equivalent to `tf.train.sgd(lr)` (tested).
 */
export class SgdOptimizer extends OptimizerBase {
  readonly kind = "sgd" as const;
  readonly slotNames: readonly string[] = [];
  /** η, the learning rate. */
  readonly lr: number;

  constructor(options: SgdOptions = {}) {
    super();
    // BEGIN SOLUTION gd.step
    this.lr = options.lr ?? 0.01;
    expectPositive("lr", this.lr, "Try 0.01 and adjust by factors of 3.");
    // END SOLUTION
  }

  protected update(w: tf.Tensor, g: tf.Tensor, _slots: SlotMap, _t: number): UpdateResult {
    // BEGIN SOLUTION gd.step
    return { w: gdUpdate(w, g, this.lr), slots: {} }; // w − η g
    // END SOLUTION
  }
}

/** Factory with the defaults: `sgd({ lr: 0.1 })`. */
export function sgd(options: SgdOptions = {}): SgdOptimizer {
  // BEGIN SOLUTION gd.step
  return new SgdOptimizer(options);
  // END SOLUTION
}

/**
 * w − η g, functional form (no state): the update of every GD/SGD step in the library
 * (`gdStep`, `sgdEpoch`, `SgdOptimizer` and the data-parallel replicas call it).
 * @param w parameters, any shape
 * @param g gradient, same shape
 * @param lr η
 */
export function gdUpdate(w: tf.Tensor, g: tf.Tensor, lr: number): tf.Tensor {
  // BEGIN SOLUTION gd.step
  return tf.tidy(() => tf.sub(w, tf.mul(lr, g)));
  // END SOLUTION
}

/** A gradient of a linear-regression loss: same signature as `mseGradient`. */
export type LinearGradient = (X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/**
 * One full-batch gradient-descent step on linear regression:
 *
 *   w ← w − η ∇L(w),   with ∇L(w) = (2/N) Xᵀ (X w − y) for the MSE loss
 *
 * The answer to the graded question `gd.step`. The gradient is a parameter so the
 * notebook can pass the student's own `mseGradient` (and the grader the reference one).
 * @param X [N, D]
 * @param y [N, 1]
 * @param w [D, 1]
 * @param lr η > 0
 * @param gradient ∇L as a function of (X, y, w). @default mseGradient
 * @returns the new weights, [D, 1] (the input `w` is not changed)
 * @example
 *   // X = [[1], [2]], y = [[1], [2]], w = [[0]], η = 0.1: gradient = -5, w = 0 − 0.1·(−5) = 0.5
 *   gdStep(X, y, w, 0.1).dataSync(); // [0.5]
 */
export function gdStep(X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D, lr: number, gradient: LinearGradient = mseGradient): tf.Tensor2D {
  // BEGIN SOLUTION gd.step
  expectLinearShapes(X, y, w, "gdStep");
  expectPositive("lr", lr, "Try 0.01 and adjust by factors of 3.");
  return tf.tidy(() => {
    const g = gradient(X, y, w); // [D, 1]
    return gdUpdate(w, g, lr) as tf.Tensor2D; // w − η ∇L(w)
  });
  // END SOLUTION
}

/** Result of running gradient descent for several steps. */
export interface GdRun {
  /** Final weights, [D, 1]. */
  readonly w: tf.Tensor2D;
  /** Loss before each step and after the last one: length steps + 1. */
  readonly losses: readonly number[];
}

/**
 * Run `steps` full-batch GD steps from `w0` on linear regression, recording the loss.
 * @example
 *   const { losses } = gradientDescent(X, y, tf.zeros([D, 1]), 0.1, 50);
 */
export function gradientDescent(X: tf.Tensor2D, y: tf.Tensor2D, w0: tf.Tensor2D, lr: number, steps: number): GdRun {
  // BEGIN SOLUTION gd.step
  if (!Number.isInteger(steps) || steps < 0) {
    throw new Error(`Expected steps to be an integer >= 0, got ${steps}.`);
  }
  const losses: number[] = [];
  let w = tf.clone(w0);
  for (let t = 1; t <= steps; t++) {
    losses.push(lossOf(X, y, w));
    const next = gdStep(X, y, w, lr);
    w.dispose();
    w = next;
  }
  losses.push(lossOf(X, y, w));
  return { w, losses };
  // END SOLUTION
}

function lossOf(X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D): number {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(tf.matMul(X, w), y))).dataSync()[0]!);
}
