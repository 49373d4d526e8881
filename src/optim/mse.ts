/**
 * Mean squared error and its gradient, derived by hand.
 *
 * The training objective of COURSE.md item 1 with the squared loss:
 *
 *   L(ŷ) = (1/N) Σ_i Σ_k (ŷ_ik − y_ik)²                      (mean over the N examples)
 *   ∂L/∂ŷ = (2/N) (ŷ − y)                                      (elementwise)
 *
 * For linear regression ŷ = X w, the chain rule gives the gradient the labs
 * implement first (Goodfellow, Bengio & Courville, *Deep Learning*, 2016, §5.1.4, eq. 5.6–5.11):
 *
 *   L(w) = (1/N) ‖X w − y‖²
 *   ∇_w L = (2/N) Xᵀ (X w − y)
 *
 * The 1/N makes the loss (and its gradient) a mean, so the learning rate does not
 * have to shrink when the data set grows.
 */
import { tf } from "../tensor";

/** Loss value and gradient with respect to the predictions. */
export interface LossAndGradient {
  /** Scalar loss. */
  readonly loss: tf.Scalar;
  /** ∂L/∂ŷ, the same shape as the predictions. */
  readonly dYHat: tf.Tensor;
}

/**
 * L = (1/N) Σ (ŷ − y)², N = the number of rows (examples).
 * @param yHat predictions, [N] or [N, K]
 * @param y targets, same shape
 * @example
 *   mseLoss(tf.tensor1d([1, 2]), tf.tensor1d([0, 0])).dataSync(); // [2.5]
 */
export function mseLoss(yHat: tf.Tensor, y: tf.Tensor): tf.Scalar {
  expectSameShape(yHat, y, "mseLoss");
  return tf.tidy(() => {
    const N = yHat.shape[0]!;
    const r = tf.sub(yHat, y); // residuals, same shape as y
    return tf.div(tf.sum(tf.square(r)), N) as tf.Scalar;
  });
}

/**
 * Loss and ∂L/∂ŷ = (2/N)(ŷ − y) in one pass.
 * @param yHat predictions, [N] or [N, K]
 * @param y targets, same shape
 */
export function mseLossAndGradient(yHat: tf.Tensor, y: tf.Tensor): LossAndGradient {
  expectSameShape(yHat, y, "mseLossAndGradient");
  return tf.tidy(() => {
    const N = yHat.shape[0]!;
    const r = tf.sub(yHat, y);
    const loss = tf.div(tf.sum(tf.square(r)), N) as tf.Scalar;
    const dYHat = tf.mul(r, 2 / N);
    return { loss, dYHat };
  });
}

/**
 * ∇_w L = (2/N) Xᵀ (X w − y) for linear regression ŷ = X w.
 * This is the answer to the graded question `gd.mseGradient`.
 * @param X design matrix, [N, D] (one example per row)
 * @param y targets, [N, 1]
 * @param w weights, [D, 1]
 * @returns the gradient, [D, 1]
 * @example
 *   // X = [[1], [2]], y = [[1], [2]], w = [[0]]: r = [-1, -2], gradient = (2/2)(1·-1 + 2·-2) = -5
 *   mseGradient(tf.tensor2d([[1], [2]]), tf.tensor2d([[1], [2]]), tf.tensor2d([[0]])).dataSync(); // [-5]
 */
export function mseGradient(X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  // BEGIN SOLUTION gd.mseGradient
  expectLinearShapes(X, y, w, "mseGradient");
  return tf.tidy(() => {
    const N = X.shape[0];
    const r = tf.sub(tf.matMul(X, w), y); // [N, 1] residuals X w − y
    return tf.mul(tf.matMul(X, r, true, false), 2 / N) as tf.Tensor2D; // [D, 1]
  });
  // END SOLUTION
}

/** L(w) = (1/N) ‖X w − y‖² for linear regression, as a scalar tensor. */
export function linearMseLoss(X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D): tf.Scalar {
  expectLinearShapes(X, y, w, "linearMseLoss");
  return tf.tidy(() => mseLoss(tf.matMul(X, w), y));
}

function expectSameShape(a: tf.Tensor, b: tf.Tensor, where: string): void {
  if (a.shape.length === 0 || a.shape.join(",") !== b.shape.join(",")) {
    throw new Error(
      `${where}: expected predictions and targets of the same non-scalar shape, got [${a.shape}] and [${b.shape}]. ` +
        "Reshape the targets to match, e.g. y.reshape([-1, 1]).",
    );
  }
}

/** Validate X [N, D], y [N, 1], w [D, 1]. */
export function expectLinearShapes(X: tf.Tensor, y: tf.Tensor, w: tf.Tensor, where: string): void {
  const [N, D] = X.shape;
  const ok =
    X.rank === 2 && y.rank === 2 && w.rank === 2 && y.shape[0] === N && y.shape[1] === 1 && w.shape[0] === D && w.shape[1] === 1;
  if (!ok) {
    throw new Error(
      `${where}: expected X [N, D], y [N, 1], w [D, 1], got X [${X.shape}], y [${y.shape}], w [${w.shape}]. ` +
        "Use column vectors: tf.tensor2d(values, [n, 1]).",
    );
  }
}
