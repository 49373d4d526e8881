import { beforeAll, describe, expect, it } from "vitest";
import { initTensors, tf } from "../../src/tensor";
import { createRng } from "../../src/foundation";
import { adam, momentum, normRelativeDifference, sgd } from "../../src/optim";
import { linearRegression, mlp, softmaxRegression, trainModel, type Model } from "../../src/models";
import { loadIris, standardizeFeatures, trainTestSplit } from "../../src/datasets";

beforeAll(async () => {
  await initTensors();
});

function randomClassification(seed: number, N: number, D: number, K: number): { X: tf.Tensor2D; Y: tf.Tensor2D } {
  const rng = createRng(seed);
  const X = tf.tensor2d(rng.normalArray(N * D), [N, D]);
  const labels = tf.tensor1d(Array.from({ length: N }, () => rng.int(K)), "int32");
  return { X, Y: tf.cast(tf.oneHot(labels, K), "float32") as tf.Tensor2D };
}

/** Compare hand-written gradients with tf.grads of the model's autodiff loss, parameter by parameter. */
function worstGradientError(model: Model, X: tf.Tensor2D, Y: tf.Tensor2D): number {
  const names = Object.keys(model.params);
  const ours = model.lossAndGradients(X, Y).grads;
  const { grads } = tf.variableGrads(() => model.loss(X, Y), names.map((n) => model.params[n]!));
  let worst = 0;
  for (const n of names) {
    worst = Math.max(worst, normRelativeDifference(ours[n]!, grads[model.params[n]!.name]!));
  }
  return worst;
}

describe("hand-written backward passes agree with tf.grad to 1e-5 relative", () => {
  it("linear regression, for many sizes", () => {
    for (const [N, D, K] of [[1, 1, 1], [7, 3, 1], [40, 5, 2], [128, 12, 3]] as const) {
      const rng = createRng(N);
      const model = linearRegression({ inputs: D, outputs: K, initStd: 1 }, rng);
      const X = tf.tensor2d(rng.normalArray(N * D), [N, D]);
      const Y = tf.tensor2d(rng.normalArray(N * K), [N, K]);
      expect(worstGradientError(model, X, Y)).toBeLessThan(1e-5);
      model.dispose();
    }
  });

  it("softmax regression, for many sizes", () => {
    for (const [N, D, K] of [[1, 2, 2], [9, 4, 3], [64, 8, 10]] as const) {
      const model = softmaxRegression({ inputs: D, classes: K, initStd: 1 }, createRng(N));
      const { X, Y } = randomClassification(N + 1, N, D, K);
      expect(worstGradientError(model, X, Y)).toBeLessThan(1e-5);
      model.dispose();
    }
  });

  it("the 2-layer MLP, for many sizes", () => {
    for (const [N, D, H, K] of [[1, 2, 3, 2], [10, 4, 8, 3], [50, 6, 32, 5], [150, 4, 64, 3]] as const) {
      const model = mlp({ inputs: D, hidden: H, classes: K }, createRng(H));
      const { X, Y } = randomClassification(N, N, D, K);
      expect(worstGradientError(model, X, Y)).toBeLessThan(1e-5);
      model.dispose();
    }
  });

  it("the MLP's gradient of W1 matches central differences (float32, h = 1e-2) on a few entries", () => {
    // (L(w + h) − L(w − h)) / 2h has error O(h²) plus float32 rounding of order 1e-7·L/h.
    const model = mlp({ inputs: 3, hidden: 4, classes: 2 }, createRng(5));
    const { X, Y } = randomClassification(5, 6, 3, 2);
    const g = model.lossAndGradients(X, Y).grads.W1!.dataSync();
    const W1 = model.params.W1;
    const base = W1.dataSync().slice();
    for (const i of [0, 5, 11]) {
      const h = 1e-2;
      const at = (delta: number): number => {
        const w = base.slice();
        w[i] = w[i]! + delta;
        W1.assign(tf.tensor2d(w, [3, 4]));
        return model.loss(X, Y).dataSync()[0]!;
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs(numeric - g[i]!)).toBeLessThan(1e-3);
    }
    model.dispose();
  });
});

describe("models", () => {
  it("count their parameters: MLP D·H + H + H·K + K", () => {
    // 4·32 + 32 + 32·3 + 3 = 259
    const m = mlp({ inputs: 4, hidden: 32, classes: 3 }, createRng(0));
    expect(m.parameterCount()).toBe(259);
    m.dispose();
    const s = softmaxRegression({ inputs: 4, classes: 3 }, createRng(0));
    expect(s.parameterCount()).toBe(15);
    s.dispose();
  });

  it("leave tf.memory().numTensors where it was after dispose()", () => {
    const before = tf.memory().numTensors;
    mlp({ inputs: 4, hidden: 8, classes: 3 }, createRng(0)).dispose();
    softmaxRegression({ inputs: 4, classes: 3 }, createRng(0)).dispose();
    linearRegression({ inputs: 2 }, createRng(0)).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("are initialised reproducibly from the seed", () => {
    const a = mlp({ inputs: 4, hidden: 8, classes: 3 }, createRng(9));
    const b = mlp({ inputs: 4, hidden: 8, classes: 3 }, createRng(9));
    expect(Array.from(a.params.W1.dataSync())).toEqual(Array.from(b.params.W1.dataSync()));
    a.dispose();
    b.dispose();
  });

  it("reject inputs of the wrong width with a message naming the expected shape", () => {
    const m = mlp({ inputs: 4, classes: 3 }, createRng(0));
    expect(() => m.predict(tf.zeros([2, 5]) as tf.Tensor2D)).toThrow(/expected X of shape \[N, 4\], got \[2,5\]/);
    expect(() => mlp({ inputs: 0, classes: 3 }, createRng(0))).toThrow(/inputs to be an integer >= 1, got 0/);
    m.dispose();
  });
});

describe("training", () => {
  it("an MLP trained with Adam on Iris reaches at least 90% test accuracy", () => {
    // Iris is nearly linearly separable; published linear/MLP classifiers reach 95–98%
    // (e.g. Fisher 1936's discriminant misclassifies 3 of 150 = 98%).
    const iris = loadIris();
    const { train, test } = trainTestSplit(iris, { testFraction: 0.2, seed: 0 });
    const trainX = standardizeFeatures(train.X);
    const testX = standardizeFeatures(test.X, train.X);
    const model = mlp({ inputs: 4, hidden: 16, classes: 3 }, createRng(0));
    const history = trainModel(model, adam({ lr: 0.05 }), { X: trainX, Y: train.Y }, {
      epochs: 30,
      batchSize: 16,
      test: { X: testX, Y: test.Y },
    });
    expect(history.steps).toBe(30 * Math.ceil(120 / 16));
    expect(history.stepLoss.length).toBe(history.steps);
    // the epoch loss is the mean of that epoch's 8 batch losses
    const firstEpoch = history.stepLoss.slice(0, 8);
    expect(history.loss[0]).toBeCloseTo(firstEpoch.reduce((s, x) => s + x, 0) / 8, 6);
    expect(history.loss[29]!).toBeLessThan(history.loss[0]!);
    expect(history.testAccuracy[29]!).toBeGreaterThanOrEqual(0.9);
    model.dispose();
  });

  it("does not grow tf.memory().numTensors across epochs, for every optimizer", () => {
    const { X, Y } = randomClassification(1, 40, 4, 3);
    for (const opt of [sgd({ lr: 0.1 }), momentum(), adam()]) {
      const model = mlp({ inputs: 4, hidden: 8, classes: 3 }, createRng(1));
      trainModel(model, opt, { X, Y }, { epochs: 1, batchSize: 8 });
      const before = tf.memory().numTensors;
      trainModel(model, opt, { X, Y }, { epochs: 3, batchSize: 8 });
      expect(tf.memory().numTensors).toBe(before);
      opt.reset();
      model.dispose();
    }
  });

  it("linear regression trained by full-batch GD recovers the weights of noiseless data", () => {
    const rng = createRng(2);
    const X = tf.tensor2d(rng.normalArray(50 * 3), [50, 3]);
    const wTrue = tf.tensor2d([[1], [-2], [0.5]]);
    const Y = tf.add(tf.matMul(X, wTrue), 0.25) as tf.Tensor2D;
    const model = linearRegression({ inputs: 3 }, rng);
    trainModel(model, sgd({ lr: 0.1 }), { X, Y }, { epochs: 300, batchSize: 50 });
    const w = model.params.w.dataSync();
    expect(w[0]).toBeCloseTo(1, 3);
    expect(w[1]).toBeCloseTo(-2, 3);
    expect(w[2]).toBeCloseTo(0.5, 3);
    expect(model.params.b.dataSync()[0]).toBeCloseTo(0.25, 3);
    model.dispose();
  });
});
