import { beforeAll, describe, expect, it } from "vitest";
import { initTensors, tf } from "../../src/tensor";
import { createRng } from "../../src/foundation";
import { leastSquaresObjective, makeLinearRegressionData } from "../../src/datasets";
import { linearMseLoss, mseGradient } from "../../src/optim";

beforeAll(async () => {
  await initTensors();
});

describe("leastSquaresObjective: the MSE of a 2-feature linear regression as a 2-D bowl", () => {
  it("works by hand on X = [[1, 0], [0, 2]], y = [[1], [2]]", () => {
    // A = XᵀX/N = [[1/2, 0], [0, 2]], b = Xᵀy/N = [1/2, 2], c = (1 + 4)/2 = 5/2
    // w* = A⁻¹ b = [1, 1]; Hessian 2A = diag(1, 4): curvatures [1, 4], 2/λ_max = 0.5
    const f = leastSquaresObjective(tf.tensor2d([[1, 0], [0, 2]]), tf.tensor2d([[1], [2]]));
    expect(f.minimum[0]).toBeCloseTo(1, 12);
    expect(f.minimum[1]).toBeCloseTo(1, 12);
    expect(f.curvatures[0]).toBeCloseTo(1, 12);
    expect(f.curvatures[1]).toBeCloseTo(4, 12);
    expect(f.maxStableLearningRate).toBeCloseTo(0.5, 12);
    expect(f.value(1, 1)).toBeCloseTo(0, 12); // exact fit
    expect(f.value(0, 0)).toBeCloseTo(2.5, 12); // c
  });

  it("agrees with the tensor loss and gradient (oracle: linearMseLoss, mseGradient) for many data sets", () => {
    const rng = createRng(5);
    for (const [n, seed] of [[2, 1], [10, 2], [100, 3], [1000, 4]] as const) {
      const { X, y } = makeLinearRegressionData({ n, d: 2, noiseStd: 0.3, seed });
      const f = leastSquaresObjective(X, y);
      for (let k = 0; k < 5; k++) {
        const w = [rng.normal(0, 2), rng.normal(0, 2)] as const;
        const wT = tf.tensor2d([[w[0]], [w[1]]]);
        const L = linearMseLoss(X, y, wT).dataSync()[0]!;
        const g = mseGradient(X, y, wT).dataSync();
        expect(Math.abs(f.value(w[0], w[1]) - L) / Math.max(1, L)).toBeLessThan(1e-5);
        const [g1, g2] = f.gradient(w[0], w[1]);
        expect(Math.abs(g1 - g[0]!) / Math.max(1, Math.abs(g[0]!))).toBeLessThan(1e-5);
        expect(Math.abs(g2 - g[1]!) / Math.max(1, Math.abs(g[1]!))).toBeLessThan(1e-5);
      }
      // the gradient vanishes at the minimum, and the minimum is the lowest point around
      const [m1, m2] = f.minimum;
      expect(Math.hypot(...f.gradient(m1, m2))).toBeLessThan(1e-9 * Math.max(1, f.curvatures[1]));
      for (const [d1, d2] of [[0.01, 0], [0, -0.01], [0.01, 0.01]]) expect(f.value(m1 + d1!, m2 + d2!)).toBeGreaterThan(f.value(m1, m2));
      expect(f.curvatures[0]).toBeGreaterThan(0);
      expect(f.curvatures[0]).toBeLessThanOrEqual(f.curvatures[1]);
    }
  });

  it("gradient descent converges just below 2/λ_max and diverges just above it", () => {
    const { X, y } = makeLinearRegressionData({ n: 50, d: 2, seed: 9 });
    const f = leastSquaresObjective(X, y, [3, -3]);
    const run = (eta: number): number => {
      let [w1, w2] = f.start;
      for (let t = 0; t < 400; t++) {
        const [g1, g2] = f.gradient(w1, w2);
        w1 -= eta * g1;
        w2 -= eta * g2;
      }
      return Math.hypot(w1 - f.minimum[0], w2 - f.minimum[1]);
    };
    expect(run(0.95 * f.maxStableLearningRate)).toBeLessThan(1e-3);
    expect(run(1.05 * f.maxStableLearningRate)).toBeGreaterThan(10);
  });

  it("rejects data that is not [N, 2] or collinear, naming the problem", () => {
    expect(() => leastSquaresObjective(tf.zeros([4, 3]) as tf.Tensor2D, tf.zeros([4, 1]) as tf.Tensor2D)).toThrow(/expected X of shape \[N, 2\], got \[4,3\]/);
    expect(() => leastSquaresObjective(tf.tensor2d([[1, 2], [2, 4]]), tf.tensor2d([[1], [2]]))).toThrow(/collinear/);
    expect(() => leastSquaresObjective(tf.tensor2d([[1, 0], [0, 1]]), tf.tensor2d([1, 2], [1, 2]))).toThrow(/expected y of shape \[2, 1\]/);
  });
});
