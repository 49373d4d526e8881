import { beforeAll, describe, expect, it } from "vitest";
import { initTensors, tf } from "../../src/tensor";
import { createRng } from "../../src/foundation";
import {
  adam,
  adamw,
  float32BetaPower,
  gradientDescent,
  gdStep,
  momentum,
  sgd,
  type Optimizer,
} from "../../src/optim";
import { compareWithTfjsOptimizer, mlp } from "../../src/models";
import { makeLinearRegressionData } from "../../src/datasets";

beforeAll(async () => {
  await initTensors();
});

/** One parameter w, one fixed gradient per step: the first steps, by hand. */
function stepsOn(opt: Optimizer, w0: number[], grads: number[][]): number[][] {
  const w = tf.variable(tf.tensor1d(w0));
  const path: number[][] = [];
  for (const g of grads) {
    const gt = tf.tensor1d(g);
    opt.step({ w }, { w: gt });
    gt.dispose();
    path.push(Array.from(w.dataSync()));
  }
  w.dispose();
  opt.reset();
  return path;
}

describe("first steps worked by hand", () => {
  it("SGD moves each parameter by −η g", () => {
    // w = [1, 2], g = [4, 8], η = 0.1: w = [1 − 0.4, 2 − 0.8] = [0.6, 1.2]
    const [w1] = stepsOn(sgd({ lr: 0.1 }), [1, 2], [[4, 8]]);
    expect(w1![0]).toBeCloseTo(0.6, 6);
    expect(w1![1]).toBeCloseTo(1.2, 6);
  });

  it("momentum accumulates the velocity u = μu + g", () => {
    // μ = 0.9, η = 0.1, g = [1] twice: u1 = 1, w1 = −0.1; u2 = 0.9 + 1 = 1.9, w2 = −0.1 − 0.19 = −0.29
    const [w1, w2] = stepsOn(momentum({ lr: 0.1, momentum: 0.9 }), [0], [[1], [1]]);
    expect(w1![0]).toBeCloseTo(-0.1, 6);
    expect(w2![0]).toBeCloseTo(-0.29, 6);
  });

  it("Adam's first steps move by about α whatever the gradient's scale (bias correction)", () => {
    // g = [2], α = 0.1, β1 = 0.9, β2 = 0.999: m1 = 0.2, v1 = 0.004, m̂ = 0.2/0.1 = 2, v̂ = 0.004/0.001 = 4,
    // w1 = 0 − 0.1·2/(2 + 1e-8) = −0.1. Step 2: m2 = 0.38, m̂ = 0.38/0.19 = 2; v2 = 0.007996, v̂ = 4: w2 = −0.2.
    // With g = [2000] the same: the step is scale free.
    for (const g of [2, 2000, 0.002]) {
      const [w1, w2] = stepsOn(adam({ lr: 0.1 }), [0], [[g], [g]]);
      expect(w1![0]).toBeCloseTo(-0.1, 5);
      expect(w2![0]).toBeCloseTo(-0.2, 5);
    }
  });

  it("the lecture's denominator √(v̂ + ε) shrinks steps for small gradients, the paper's √v̂ + ε much less", () => {
    // g = 0.01, ε = 1e-4, α = 1: paper: 0.01/(0.01 + 1e-4) = 0.990; lecture: 0.01/√(1e-4 + 1e-4) = 0.707
    const [paper] = stepsOn(adam({ lr: 1, eps: 1e-4 }), [0], [[0.01]]);
    const [lecture] = stepsOn(adam({ lr: 1, eps: 1e-4, denominator: "lecture" }), [0], [[0.01]]);
    expect(paper![0]).toBeCloseTo(-0.01 / 0.0101, 4);
    expect(lecture![0]).toBeCloseTo(-0.01 / Math.sqrt(2e-4), 4);
  });

  it("AdamW with zero gradient decays weights geometrically: w_t = (1 − ηλ)^t w_0", () => {
    // g = 0 ⇒ m̂ = 0, so Algorithm 2 line 12 leaves w − η λ w
    const path = stepsOn(adamw({ lr: 0.1, weightDecay: 0.1 }), [1, -2], [[0, 0], [0, 0], [0, 0]]);
    path.forEach((w, i) => {
      expect(w[0]).toBeCloseTo(0.9 ** (i + 1), 6);
      expect(w[1]).toBeCloseTo(-2 * 0.9 ** (i + 1), 6);
    });
  });

  it("AdamW with weightDecay 0 is Adam", () => {
    const grads = [[1, -3], [0.5, 2], [-1, 1]];
    const a = stepsOn(adam({ lr: 0.05 }), [0.3, 0.7], grads);
    const b = stepsOn(adamw({ lr: 0.05, weightDecay: 0 }), [0.3, 0.7], grads);
    expect(b).toEqual(a);
  });
});

describe("equivalence with TensorFlow.js's optimizers", () => {
  const data = () => {
    const rng = createRng(7);
    const X = tf.tensor2d(rng.normalArray(64 * 4), [64, 4]);
    const labels = tf.tensor1d(Array.from({ length: 64 }, () => rng.int(3)), "int32");
    const Y = tf.cast(tf.oneHot(labels, 3), "float32") as tf.Tensor2D;
    return { X, Y };
  };

  /**
   * Two identical MLPs (same seed); each step both get gradients from the same
   * hand-written backward pass at their own parameters; ours vs tfjs's optimizer.
   */
  function race(ours: Optimizer, theirs: tf.Optimizer, steps: number): number {
    const { X, Y } = data();
    return compareWithTfjsOptimizer(() => mlp({ inputs: 4, hidden: 16, classes: 3 }, createRng(1)), ours, theirs, X, Y, steps).worst;
  }

  it("our Adam matches tf.train.adam over 200 steps to 1e-5 relative (same ε = 1e-7, β^t accumulated in float32 as tfjs does)", () => {
    const diff = race(
      adam({ lr: 0.01, eps: 1e-7, betaPowerArithmetic: "float32" }),
      tf.train.adam(0.01, 0.9, 0.999, 1e-7),
      200,
    );
    expect(diff).toBeLessThanOrEqual(1e-5);
  });

  it("with β^t in double precision (the default) our Adam stays within float32 noise of tf.train.adam for the first step", () => {
    // tfjs keeps β2^t in a float32 variable: 1 − fround(0.999) = 9.99987e-4, 1.29e-5 relative below 1e-3,
    // so its v̂ is 1.29e-5 too large and its step ~6.4e-6 too small. One step changes W by α·O(1):
    // the parameters differ by under 1e-3 relative (entries near 0 amplify the relative error), but not by zero.
    expect(1 - float32BetaPower(0.999, 1)).toBeCloseTo(9.99987125e-4, 11);
    expect((1e-3 - (1 - float32BetaPower(0.999, 1))) / 1e-3).toBeCloseTo(1.2875e-5, 8);
    const diff = race(adam({ lr: 0.01, eps: 1e-7 }), tf.train.adam(0.01, 0.9, 0.999, 1e-7), 1);
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(1e-3);
  });

  it("the comparison reports every parameter and rejects a model factory that is not reproducible", () => {
    const { X, Y } = data();
    const cmp = compareWithTfjsOptimizer(() => mlp({ inputs: 4, hidden: 4, classes: 3 }, createRng(2)), sgd(), tf.train.sgd(0.01), X, Y, 3);
    expect(cmp.rows.map((r) => [r.name, r.size])).toEqual([["W1", 16], ["b1", 4], ["W2", 12], ["b2", 3]]);
    expect(cmp.steps).toBe(3);
    const rng = createRng(3); // shared: the two models differ
    expect(() => compareWithTfjsOptimizer(() => mlp({ inputs: 4, hidden: 4, classes: 3 }, rng), sgd(), tf.train.sgd(0.01), X, Y, 1)).toThrow(
      /must build identical models/,
    );
  });

  it("our SGD matches tf.train.sgd over 200 steps to 1e-5 relative", () => {
    expect(race(sgd({ lr: 0.1 }), tf.train.sgd(0.1), 200)).toBeLessThan(1e-5);
  });

  it("our momentum matches tf.train.momentum over 200 steps to 1e-5 relative", () => {
    expect(race(momentum({ lr: 0.05, momentum: 0.9 }), tf.train.momentum(0.05, 0.9), 200)).toBeLessThan(1e-5);
  });
});

describe("optimizer state", () => {
  it("holds 0, 1 and 2 float32 tensors per parameter for SGD, momentum and Adam (bytes = 4 × elements)", () => {
    // MLP 4-16-3: 4·16 + 16 + 16·3 + 3 = 131 parameters. Adam keeps m and v: 2 · 131 · 4 = 1048 bytes,
    // the "8 bytes per parameter" of fp32 Adam's optimizer states (Rajbhandari et al., ZeRO, SC 2020, §3.1).
    const model = mlp({ inputs: 4, hidden: 16, classes: 3 }, createRng(0));
    expect(model.parameterCount()).toBe(131);
    const X = tf.ones([2, 4]) as tf.Tensor2D;
    const Y = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);
    for (const [opt, slots] of [[sgd(), 0], [momentum(), 1], [adam(), 2], [adamw(), 2]] as const) {
      expect(opt.stateBytes()).toBe(0);
      tf.tidy(() => opt.step(model.params, model.lossAndGradients(X, Y).grads));
      expect(opt.stateBytes()).toBe(slots * 131 * 4);
      expect(opt.iterations).toBe(1);
      expect(Object.keys(opt.state()).sort()).toEqual(slots === 0 ? [] : ["W1", "W2", "b1", "b2"]);
      opt.reset();
      expect(opt.iterations).toBe(0);
      expect(opt.stateBytes()).toBe(0);
    }
    model.dispose();
  });

  it("exposes Adam's moments after a step: m = (1 − β1) g, v = (1 − β2) g²", () => {
    const opt = adam({ lr: 0.1 });
    const w = tf.variable(tf.tensor1d([0, 0]));
    opt.step({ w }, { w: tf.tensor1d([2, -4]) });
    const { m, v } = opt.state().w!;
    expect(Array.from(m!.dataSync()).map((x) => +x.toFixed(6))).toEqual([0.2, -0.4]);
    expect(Array.from(v!.dataSync()).map((x) => +x.toFixed(6))).toEqual([0.004, 0.016]);
    opt.reset();
    w.dispose();
  });

  it("does not leak tensors: tf.memory().numTensors is constant across steps", () => {
    const model = mlp({ inputs: 4, hidden: 8, classes: 3 }, createRng(0));
    const X = tf.ones([5, 4]) as tf.Tensor2D;
    const Y = tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    for (const opt of [sgd(), momentum(), adam(), adamw({ weightDecay: 0.01 }), adam({ denominator: "lecture" })]) {
      tf.tidy(() => opt.step(model.params, model.lossAndGradients(X, Y).grads)); // creates the slots
      const before = tf.memory().numTensors;
      for (let t = 0; t < 20; t++) tf.tidy(() => opt.step(model.params, model.lossAndGradients(X, Y).grads));
      expect(tf.memory().numTensors).toBe(before);
      opt.reset();
    }
    model.dispose();
  });

  it("rejects bad options and mismatched gradients with messages that name the value", () => {
    expect(() => adam({ beta1: 1 })).toThrow(/beta1 to be in \[0, 1\), got 1/);
    expect(() => sgd({ lr: 0 })).toThrow(/lr to be a finite number > 0, got 0/);
    expect(() => adamw({ weightDecay: -1 })).toThrow(/weightDecay .* got -1/);
    const w = tf.variable(tf.zeros([2]));
    expect(() => sgd().step({ w }, { u: tf.zeros([2]) })).toThrow(/Gradient "u" has no parameter/);
    expect(() => sgd().step({ w }, { w: tf.zeros([3]) })).toThrow(/shape \[3\] but its parameter has shape \[2\]/);
    w.dispose();
  });
});

describe("gradient descent on linear regression", () => {
  it("one step matches a hand computation", () => {
    // X = [[1], [2]], y = [[1], [2]], w = 0, η = 0.1: gradient −5, w = 0.5
    expect(gdStep(tf.tensor2d([[1], [2]]), tf.tensor2d([[1], [2]]), tf.tensor2d([[0]]), 0.1).dataSync()[0]).toBeCloseTo(0.5, 6);
  });

  it("converges to the least-squares solution for a small enough rate and diverges above 2/L", () => {
    // L(w) = (1/N)‖Xw − y‖²; Hessian 2XᵀX/N. GD converges iff η < 2/λ_max(Hessian)
    // (Nocedal & Wright 2006, §3.3). For D = 1: λ = 2 Σx²/N.
    const { X, y } = makeLinearRegressionData({ n: 100, d: 1, noiseStd: 0.1, seed: 3 });
    const x = X.dataSync();
    const lambda = (2 * Array.from(x).reduce((s, v) => s + v * v, 0)) / 100;
    const good = gradientDescent(X, y, tf.zeros([1, 1]) as tf.Tensor2D, 0.5 / lambda, 100);
    const bad = gradientDescent(X, y, tf.zeros([1, 1]) as tf.Tensor2D, 2.2 / lambda, 100);
    const xy = Array.from(x).reduce((s, v, i) => s + v * y.dataSync()[i]!, 0);
    const xx = Array.from(x).reduce((s, v) => s + v * v, 0);
    expect(good.w.dataSync()[0]).toBeCloseTo(xy / xx, 4); // closed form w = Σxy/Σx²
    for (let t = 1; t < good.losses.length; t++) expect(good.losses[t]!).toBeLessThanOrEqual(good.losses[t - 1]! + 1e-7);
    expect(bad.losses[100]!).toBeGreaterThan(bad.losses[0]! * 1e3);
  });
});
