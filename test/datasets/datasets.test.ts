import { beforeAll, describe, expect, it } from "vitest";
import { initTensors, tf } from "../../src/tensor";
import {
  illConditionedQuadratic,
  loadIris,
  makeLinearRegressionData,
  readIrisRows,
  rosenbrock,
  standardizeFeatures,
  trainTestSplit,
} from "../../src/datasets";

beforeAll(async () => {
  await initTensors();
});

describe("Iris", () => {
  it("has 150 rows, 4 features and 50 flowers of each species", () => {
    const { features, labels } = readIrisRows();
    expect(features.length).toBe(150);
    expect(features.every((r) => r.length === 4)).toBe(true);
    expect([0, 1, 2].map((k) => labels.filter((l) => l === k).length)).toEqual([50, 50, 50]);
  });

  it("matches the summary statistics published with the UCI copy (iris.names, section 9)", () => {
    // UCI iris.names: min, max, mean, SD per feature (SD with n − 1):
    //   sepal length 4.3 7.9 5.84 0.83; sepal width 2.0 4.4 3.05 0.43;
    //   petal length 1.0 6.9 3.76 1.76; petal width 0.1 2.5 1.20 0.76.
    // Our copy has Fisher's corrected samples 35 and 38 (data/README.md), so the sepal-width
    // mean is 3.057 here; all agree to the printed two decimals within 0.01.
    const published = [
      [4.3, 7.9, 5.84, 0.83],
      [2.0, 4.4, 3.05, 0.43],
      [1.0, 6.9, 3.76, 1.76],
      [0.1, 2.5, 1.2, 0.76],
    ];
    const { features } = readIrisRows();
    published.forEach(([min, max, mean, sd], j) => {
      const col = features.map((r) => r[j]!);
      const mu = col.reduce((s, x) => s + x, 0) / col.length;
      const s = Math.sqrt(col.reduce((acc, x) => acc + (x - mu) ** 2, 0) / (col.length - 1));
      expect(Math.min(...col)).toBe(min);
      expect(Math.max(...col)).toBe(max);
      expect(Math.abs(mu - mean!)).toBeLessThan(0.01);
      expect(Math.abs(s - sd!)).toBeLessThan(0.01);
    });
  });

  it("loads as tensors with one-hot targets that agree with the labels", () => {
    const iris = loadIris();
    expect(iris.X.shape).toEqual([150, 4]);
    expect(iris.Y.shape).toEqual([150, 3]);
    expect(Array.from(tf.argMax(iris.Y, 1).dataSync())).toEqual(Array.from(iris.labels.dataSync()));
    expect(iris.classNames).toEqual(["setosa", "versicolor", "virginica"]);
  });

  it("names the missing file and the fix when the data is not found", () => {
    expect(() => readIrisRows("/nonexistent/iris.csv")).toThrow(/Iris data not found at \/nonexistent\/iris.csv/);
  });
});

describe("train/test split", () => {
  it("is reproducible for a seed, disjoint, covers every row, and keeps class proportions", () => {
    const iris = loadIris();
    for (const [fraction, seed] of [[0.2, 0], [0.3, 1], [0.5, 2], [0.1, 3]] as const) {
      const a = trainTestSplit(iris, { testFraction: fraction, seed });
      const b = trainTestSplit(iris, { testFraction: fraction, seed });
      expect(a.testIndices).toEqual(b.testIndices);
      const all = [...a.trainIndices, ...a.testIndices].sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: 150 }, (_, i) => i));
      const perClass = Math.round(fraction * 50);
      const testLabels = Array.from(a.test.labels.dataSync());
      expect([0, 1, 2].map((k) => testLabels.filter((l) => l === k).length)).toEqual([perClass, perClass, perClass]);
    }
    const other = trainTestSplit(iris, { seed: 1 });
    expect(other.testIndices).not.toEqual(trainTestSplit(iris, { seed: 0 }).testIndices);
  });

  it("rejects a fraction outside (0, 1)", () => {
    expect(() => trainTestSplit(loadIris(), { testFraction: 1 })).toThrow(/testFraction to be in \(0, 1\), got 1/);
  });

  it("standardizes with the training set's mean and deviation", () => {
    const X = tf.tensor2d([[1, 10], [3, 30]]);
    // mean [2, 20], population sd [1, 10]: rows become [−1, −1] and [1, 1]
    expect(Array.from(standardizeFeatures(X).dataSync())).toEqual([-1, -1, 1, 1]);
    expect(Array.from(standardizeFeatures(tf.tensor2d([[2, 40]]), X).dataSync())).toEqual([0, 2]);
  });
});

describe("synthetic problems", () => {
  it("linear-regression data is reproducible and its least-squares fit approaches w* as N grows", () => {
    const a = makeLinearRegressionData({ n: 20, d: 2, seed: 5 });
    const b = makeLinearRegressionData({ n: 20, d: 2, seed: 5 });
    expect(Array.from(a.y.dataSync())).toEqual(Array.from(b.y.dataSync()));
    let previous = Infinity;
    for (const n of [50, 500, 5000]) {
      const { X, y, wTrue } = makeLinearRegressionData({ n, d: 2, noiseStd: 0.5, seed: 5 });
      // normal equations: w = (XᵀX)⁻¹ Xᵀ y, solved for D = 2 by hand
      const xtx = tf.matMul(X, X, true, false).arraySync() as number[][];
      const xty = tf.matMul(X, y, true, false).dataSync();
      const det = xtx[0]![0]! * xtx[1]![1]! - xtx[0]![1]! * xtx[1]![0]!;
      const w0 = (xtx[1]![1]! * xty[0]! - xtx[0]![1]! * xty[1]!) / det;
      const w1 = (xtx[0]![0]! * xty[1]! - xtx[1]![0]! * xty[0]!) / det;
      const t = wTrue.dataSync();
      const err = Math.hypot(w0 - t[0]!, w1 - t[1]!);
      if (n === 5000) expect(err).toBeLessThan(0.05); // standard error ≈ σ/√N = 0.007
      previous = Math.min(previous, err);
    }
    expect(previous).toBeLessThan(0.05);
  });

  it("the quadratic's and Rosenbrock's gradients match central differences at many points", () => {
    const objectives = [illConditionedQuadratic({ condition: 25 }), rosenbrock()];
    const h = 1e-6;
    for (const f of objectives) {
      for (const [x, y] of [[-1.5, 2], [0.3, -0.7], [1, 1], [2, 0.5], [-0.2, 0.04]] as const) {
        const [gx, gy] = f.gradient(x, y);
        const nx = (f.value(x + h, y) - f.value(x - h, y)) / (2 * h);
        const ny = (f.value(x, y + h) - f.value(x, y - h)) / (2 * h);
        expect(Math.abs(gx - nx)).toBeLessThan(1e-4 * Math.max(1, Math.abs(gx)));
        expect(Math.abs(gy - ny)).toBeLessThan(1e-4 * Math.max(1, Math.abs(gy)));
      }
      const [mx, my] = f.minimum;
      expect(f.value(mx, my)).toBe(0);
      expect(f.gradient(mx, my).map(Math.abs)).toEqual([0, 0]);
    }
  });

  it("rejects a condition number below 1", () => {
    expect(() => illConditionedQuadratic({ condition: 0.5 })).toThrow(/condition to be >= 1, got 0.5/);
  });
});
