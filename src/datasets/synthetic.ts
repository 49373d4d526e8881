/**
 * Synthetic problems, generated from a seed (never stored):
 *   - linear regression with Gaussian noise: y = X w* + b* + ε, ε ~ N(0, σ²);
 *   - an ill-conditioned quadratic bowl f(w) = ½ (λ1 w1² + λ2 w2²), κ = λ2/λ1;
 *   - the Rosenbrock function f(x, y) = (a − x)² + b (y − x²)² (Rosenbrock, The
 *     Computer Journal 3(3), 1960), minimum 0 at (a, a²).
 * The two 2-D objectives carry their gradients (derived by hand below) so the labs can
 * draw optimizer trajectories over their contours.
 */
import { tf } from "../tensor";
import { createRng } from "../foundation/random";
import type { Objective2D } from "../foundation/objective";

export interface LinearRegressionDataOptions {
  /** N, rows. @default 100 */
  readonly n?: number;
  /** D, features. @default 1 */
  readonly d?: number;
  /** σ, standard deviation of the noise. @default 0.1 */
  readonly noiseStd?: number;
  /** Seed. @default 0 */
  readonly seed?: number;
}

export interface LinearRegressionData {
  /** Features ~ N(0, 1), [N, D]. */
  readonly X: tf.Tensor2D;
  /** Targets X w* + ε, [N, 1]. */
  readonly y: tf.Tensor2D;
  /** The true weights w* ~ N(0, 1), [D, 1]. */
  readonly wTrue: tf.Tensor2D;
}

/**
 * y = X w* + ε with X, w* ~ N(0, 1) and ε ~ N(0, σ²). No bias term (add a column of ones to X
 * for one). The least-squares solution tends to w* as N grows.
 * @example
 *   const { X, y, wTrue } = makeLinearRegressionData({ n: 200, d: 2, noiseStd: 0.1, seed: 1 });
 */
export function makeLinearRegressionData(options: LinearRegressionDataOptions = {}): LinearRegressionData {
  const n = options.n ?? 100;
  const d = options.d ?? 1;
  const sigma = options.noiseStd ?? 0.1;
  if (!Number.isInteger(n) || n < 1) throw new Error(`Expected n to be an integer >= 1, got ${n}.`);
  if (!Number.isInteger(d) || d < 1) throw new Error(`Expected d to be an integer >= 1, got ${d}.`);
  if (!(sigma >= 0)) throw new Error(`Expected noiseStd to be >= 0, got ${sigma}.`);
  const rng = createRng(options.seed ?? 0);
  const w = rng.normalArray(d); // w*
  const x = rng.normalArray(n * d); // row-major [N, D]
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += x[i * d + j]! * w[j]!;
    y[i] = dot + rng.normal(0, sigma); // y_i = x_iᵀ w* + ε_i
  }
  return { X: tf.tensor2d(x, [n, d]), y: tf.tensor2d(y, [n, 1]), wTrue: tf.tensor2d(w, [d, 1]) };
}

export interface QuadraticOptions {
  /** κ = λ2 / λ1, the condition number of the Hessian. @default 10 */
  readonly condition?: number;
  /** λ1, the smaller curvature. @default 1 */
  readonly lambda1?: number;
}

/**
 * f(x, y) = ½ (λ1 x² + κ λ1 y²), ∇f = (λ1 x, κ λ1 y). Gradient descent converges only for
 * η < 2/(κ λ1) (the largest curvature), and then along x at rate (1 − η λ1): the larger
 * κ, the slower (Nocedal & Wright, *Numerical Optimization*, 2006, §3.3, eq. 3.29).
 */
export function illConditionedQuadratic(options: QuadraticOptions = {}): Objective2D {
  const kappa = options.condition ?? 10;
  const lambda1 = options.lambda1 ?? 1;
  if (!(kappa >= 1)) throw new Error(`Expected condition to be >= 1, got ${kappa}.`);
  if (!(lambda1 > 0)) throw new Error(`Expected lambda1 to be > 0, got ${lambda1}.`);
  const lambda2 = kappa * lambda1;
  return {
    name: `quadratic (κ = ${kappa})`,
    value: (x, y) => 0.5 * (lambda1 * x * x + lambda2 * y * y),
    gradient: (x, y) => [lambda1 * x, lambda2 * y],
    minimum: [0, 0],
    start: [-4, 1],
  };
}

export interface RosenbrockOptions {
  /** @default 1 */
  readonly a?: number;
  /** @default 100 */
  readonly b?: number;
}

/**
 * f(x, y) = (a − x)² + b (y − x²)²
 * ∂f/∂x = −2 (a − x) − 4 b x (y − x²)
 * ∂f/∂y = 2 b (y − x²)
 * Minimum 0 at (a, a²), at the end of a long curved valley.
 */
export function rosenbrock(options: RosenbrockOptions = {}): Objective2D {
  const a = options.a ?? 1;
  const b = options.b ?? 100;
  return {
    name: `Rosenbrock (a = ${a}, b = ${b})`,
    value: (x, y) => (a - x) ** 2 + b * (y - x * x) ** 2,
    gradient: (x, y) => [-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)],
    minimum: [a, a * a],
    start: [-1.5, 2],
  };
}
