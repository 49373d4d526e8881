/**
 * The mean squared error of a two-feature linear regression as a function of its two
 * weights, so that gradient descent on real data can be drawn over the loss contours
 * (lab 1). With X [N, 2] and y [N, 1]:
 *
 *   L(w) = (1/N) ‖X w − y‖² = wᵀ A w − 2 bᵀ w + c,   A = XᵀX / N,  b = Xᵀy / N,  c = yᵀy / N
 *   ∇L(w) = 2 (A w − b)                      the gradient of gd.mseGradient, in closed form
 *   ∇²L = 2A                                 constant: L is a quadratic bowl
 *   w* = A⁻¹ b                               the least-squares solution (normal equations)
 *
 * Gradient descent w ← w − η ∇L(w) converges iff η < 2 / λ_max(2A), and the ratio
 * κ = λ_max / λ_min sets how slowly it crawls along the flat direction (Nocedal & Wright,
 * *Numerical Optimization*, 2006, §3.3, eq. 3.29; Goodfellow et al., *Deep Learning*,
 * 2016, §4.3.1).
 */
import { tf } from "../tensor";
import type { Objective2D } from "../foundation/objective";

/** An `Objective2D` that also knows the curvatures of its bowl. */
export interface LeastSquaresObjective extends Objective2D {
  /** Eigenvalues [λ_min, λ_max] of the Hessian 2A (per unit of w², same units as L). */
  readonly curvatures: readonly [number, number];
  /** The largest stable learning rate of gradient descent, 2 / λ_max. */
  readonly maxStableLearningRate: number;
}

/**
 * L(w1, w2) = (1/N) ‖X w − y‖² for data with exactly two features.
 * @param X features, [N, 2]
 * @param y targets, [N, 1]
 * @param start where trajectories start. @default [0, 0]
 * @example
 *   const f = leastSquaresObjective(X, y);
 *   f.minimum;               // w* = A⁻¹ b
 *   f.maxStableLearningRate; // 2 / λ_max: GD diverges above it
 */
export function leastSquaresObjective(X: tf.Tensor2D, y: tf.Tensor2D, start: readonly [number, number] = [0, 0]): LeastSquaresObjective {
  if (X.rank !== 2 || X.shape[1] !== 2) {
    throw new Error(`leastSquaresObjective: expected X of shape [N, 2], got [${X.shape}]. The loss surface can be drawn for two features only.`);
  }
  const N = X.shape[0];
  if (y.rank !== 2 || y.shape[0] !== N || y.shape[1] !== 1) {
    throw new Error(`leastSquaresObjective: expected y of shape [${N}, 1], got [${y.shape}].`);
  }
  const x = X.dataSync(); // row-major [N, 2]
  const t = y.dataSync(); // [N]
  // A = XᵀX / N = [[p, q], [q, r]], b = Xᵀy / N = [b1, b2], c = yᵀy / N
  let p = 0, q = 0, r = 0, b1 = 0, b2 = 0, c = 0;
  for (let i = 0; i < N; i++) {
    const x1 = x[2 * i]!;
    const x2 = x[2 * i + 1]!;
    const yi = t[i]!;
    p += (x1 * x1) / N;
    q += (x1 * x2) / N;
    r += (x2 * x2) / N;
    b1 += (x1 * yi) / N;
    b2 += (x2 * yi) / N;
    c += (yi * yi) / N;
  }
  const det = p * r - q * q;
  if (!(det > 1e-12 * Math.max(p * r, 1e-300))) {
    throw new Error("leastSquaresObjective: the two features are (nearly) collinear, so there is no unique minimum. Use two independent features.");
  }
  const wStar: [number, number] = [(r * b1 - q * b2) / det, (p * b2 - q * b1) / det]; // A⁻¹ b
  // eigenvalues of the symmetric 2 × 2 matrix A, doubled for the Hessian 2A
  const mean = (p + r) / 2;
  const radius = Math.sqrt(((p - r) / 2) ** 2 + q * q);
  const curvatures: [number, number] = [2 * (mean - radius), 2 * (mean + radius)];
  return {
    name: `least squares (N = ${N})`,
    value: (w1, w2) => p * w1 * w1 + 2 * q * w1 * w2 + r * w2 * w2 - 2 * (b1 * w1 + b2 * w2) + c, // wᵀAw − 2bᵀw + c
    gradient: (w1, w2) => [2 * (p * w1 + q * w2 - b1), 2 * (q * w1 + r * w2 - b2)], // 2(A w − b)
    minimum: wStar,
    start,
    curvatures,
    maxStableLearningRate: 2 / curvatures[1],
  };
}
