import { beforeAll, describe, expect, it } from "vitest";
import { initTensors, tf } from "../../src/tensor";
import { createRng } from "../../src/foundation";
import { adam, adamStep } from "../../src/optim";
import { adamStepUpdate, compareAdamWithTfjs, mlp, optimizerUpdate } from "../../src/models";

beforeAll(async () => {
  await initTensors();
});

const makeModel = () => mlp({ inputs: 3, hidden: 8, classes: 2 }, createRng(0));
function data(): { X: tf.Tensor2D; Y: tf.Tensor2D } {
  const rng = createRng(1);
  const X = tf.tensor2d(Array.from({ length: 20 }, () => [rng.normal(), rng.normal(), rng.normal()]));
  const Y = tf.oneHot(tf.tensor1d(Array.from({ length: 20 }, (_, i) => i % 2), "int32"), 2).toFloat() as tf.Tensor2D;
  return { X, Y };
}

describe("compareAdamWithTfjs (lab 2, section 7)", () => {
  it("the library's Adam with float32 powers of β matches tf.train.adam bit for bit", () => {
    const { X, Y } = data();
    const r = compareAdamWithTfjs(optimizerUpdate(adam({ lr: 0.01, eps: 1e-7, betaPowerArithmetic: "float32" })), { makeModel, X, Y, checkpoints: [1, 20] });
    expect(r).toEqual({ normwise: [0, 0], elementwise: 0 });
  });

  it("a functional Adam step with exact powers differs by float32 rounding of 1 − β2^t, not more", () => {
    const { X, Y } = data();
    const r = compareAdamWithTfjs(adamStepUpdate(adamStep, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-7 }), { makeModel, X, Y, checkpoints: [1] });
    expect(r.normwise[0]).toBeGreaterThan(0);
    expect(r.normwise[0]).toBeLessThan(1e-4);
  });

  it("a wrong step is far from tfjs (the comparison can fail)", () => {
    const { X, Y } = data();
    const noBiasCorrection = adamStepUpdate((w, g, s, hp) => adamStep(w, g, { ...s, t: 1e6 }, hp), { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-7 });
    const r = compareAdamWithTfjs(noBiasCorrection, { makeModel, X, Y, checkpoints: [1] });
    expect(r.normwise[0]).toBeGreaterThan(1e-3);
  });

  it("rejects checkpoints that are not positive integers", () => {
    const { X, Y } = data();
    expect(() => compareAdamWithTfjs(optimizerUpdate(adam()), { makeModel, X, Y, checkpoints: [0] })).toThrow(/checkpoints to be integers >= 1, got \[0\]/);
  });
});
