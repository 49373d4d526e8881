import { beforeAll, describe, expect, it } from "vitest";
import { initTensors, tf } from "../../src/tensor";
import { createRng } from "../../src/foundation";
import {
  linearMseLoss,
  logSumExp,
  normRelativeDifference,
  mseGradient,
  mseLoss,
  mseLossAndGradient,
  softmaxCrossEntropy,
  stableSoftmax,
} from "../../src/optim";

beforeAll(async () => {
  await initTensors();
});

function randomMatrix(rng: ReturnType<typeof createRng>, rows: number, cols: number, std = 1): tf.Tensor2D {
  return tf.tensor2d(rng.normalArray(rows * cols, std), [rows, cols]);
}

describe("mean squared error", () => {
  it("matches a value and gradient worked by hand", () => {
    // ŷ = [1, 2], y = [0, 0]: L = (1 + 4)/2 = 2.5; ∂L/∂ŷ = (2/2)(ŷ − y) = [1, 2]
    const { loss, dYHat } = mseLossAndGradient(tf.tensor1d([1, 2]), tf.tensor1d([0, 0]));
    expect(loss.dataSync()[0]).toBeCloseTo(2.5, 6);
    expect(Array.from(dYHat.dataSync())).toEqual([1, 2]);
  });

  it("linear-regression gradient matches a hand computation", () => {
    // X = [[1], [2]], y = [[1], [2]], w = [[0]]: r = Xw − y = [−1, −2]; (2/2)·Xᵀr = 1·(−1) + 2·(−2) = −5
    const g = mseGradient(tf.tensor2d([[1], [2]]), tf.tensor2d([[1], [2]]), tf.tensor2d([[0]]));
    expect(g.shape).toEqual([1, 1]);
    expect(g.dataSync()[0]).toBeCloseTo(-5, 6);
  });

  it("linear-regression gradient agrees with tf.grad to 1e-5 relative (max norm) for many sizes", () => {
    const rng = createRng(1);
    for (const [N, D] of [[1, 1], [5, 3], [17, 4], [64, 10], [200, 7]] as const) {
      const X = randomMatrix(rng, N, D);
      const y = randomMatrix(rng, N, 1);
      const w = randomMatrix(rng, D, 1);
      const ours = mseGradient(X, y, w);
      const oracle = tf.grad((wv: tf.Tensor) => linearMseLoss(X, y, wv as tf.Tensor2D))(w);
      expect(normRelativeDifference(ours, oracle)).toBeLessThan(1e-5);
    }
  });

  it("gradient with respect to predictions agrees with tf.grad", () => {
    const rng = createRng(2);
    for (const [N, K] of [[3, 1], [10, 4], [50, 3]] as const) {
      const yHat = randomMatrix(rng, N, K);
      const y = randomMatrix(rng, N, K);
      const oracle = tf.grad((p: tf.Tensor) => mseLoss(p, y))(yHat);
      expect(normRelativeDifference(mseLossAndGradient(yHat, y).dYHat, oracle)).toBeLessThan(1e-5);
    }
  });

  it("rejects targets of another shape with a message naming both shapes", () => {
    expect(() => mseLoss(tf.zeros([3, 1]), tf.zeros([3]))).toThrow(/\[3,1\] and \[3\]/);
    expect(() => mseGradient(tf.zeros([3, 2]), tf.zeros([3, 1]), tf.zeros([3, 1]))).toThrow(/w \[3,1\]/);
  });
});

describe("softmax cross-entropy", () => {
  it("matches a value worked by hand", () => {
    // z = [0, 0], true class 0: softmax = [½, ½], L = −log ½ = log 2; ∂L/∂z = [½ − 1, ½] = [−½, ½]
    const { loss, dYHat } = softmaxCrossEntropy(tf.tensor2d([[0, 0]]), tf.tensor2d([[1, 0]]));
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(2), 6);
    expect(Array.from(dYHat.dataSync())).toEqual([-0.5, 0.5]);
  });

  it("log-sum-exp stays finite for logits of 1000 where the naive form overflows", () => {
    // logsumexp([1000, 1000]) = 1000 + log 2; exp(1000) = Infinity in float32
    const z = tf.tensor2d([[1000, 1000], [-1000, 0]]);
    const lse = logSumExp(z).dataSync();
    expect(lse[0]).toBeCloseTo(1000 + Math.log(2), 2);
    expect(lse[1]).toBeCloseTo(0, 5);
    expect(Number.isFinite(tf.log(tf.sum(tf.exp(z), 1)).dataSync()[0]!)).toBe(false);
    const p = stableSoftmax(z).dataSync();
    expect(Array.from(p)).toEqual([0.5, 0.5, 0, 1]);
  });

  it("gradient agrees with tf.grad of tf.losses.softmaxCrossEntropy to 1e-5 relative (max norm) for many sizes", () => {
    const rng = createRng(3);
    for (const [N, K] of [[1, 2], [4, 3], [16, 5], [64, 10], [150, 3]] as const) {
      const z = randomMatrix(rng, N, K, 3);
      const labels = tf.tensor1d(Array.from({ length: N }, () => rng.int(K)), "int32");
      const Y = tf.cast(tf.oneHot(labels, K), "float32") as tf.Tensor2D;
      const ours = softmaxCrossEntropy(z, Y);
      // tfjs's own loss (mean over rows) as the oracle for both value and gradient
      const oracleLoss = (zv: tf.Tensor) => tf.losses.softmaxCrossEntropy(Y, zv, undefined, 0, tf.Reduction.MEAN);
      const expectedLoss = oracleLoss(z).dataSync()[0]!;
      expect(Math.abs(ours.loss.dataSync()[0]! - expectedLoss) / expectedLoss).toBeLessThan(1e-5);
      const oracleGrad = tf.grad(oracleLoss)(z);
      expect(normRelativeDifference(ours.dYHat, oracleGrad)).toBeLessThan(1e-5);
    }
  });

  it("each row of the gradient sums to zero (softmax rows and one-hot rows both sum to 1)", () => {
    const rng = createRng(4);
    const z = randomMatrix(rng, 20, 6);
    const Y = tf.cast(tf.oneHot(tf.tensor1d(Array.from({ length: 20 }, () => rng.int(6)), "int32"), 6), "float32") as tf.Tensor2D;
    const rowSums = tf.sum(softmaxCrossEntropy(z, Y).dYHat, 1).dataSync();
    for (const s of rowSums) expect(Math.abs(s)).toBeLessThan(1e-7);
  });
});
