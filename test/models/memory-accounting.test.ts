/**
 * Predicted vs measured memory of training (issue 6, "Predicted vs measured"): for the
 * lab 2 MLP trained in fp32 with our Adam, the model states predicted by the memory
 * unit — parameters + gradients + optimizer states, the `fp32-adam` recipe
 * 4 + 4 + 8 = 16 bytes per parameter (Kingma & Ba 2015, Algorithm 1: m and v per
 * parameter) — must match what TensorFlow.js actually holds, `tf.memory().numBytes`,
 * within 5%.
 *
 * Worked by hand for the Iris MLP 4-32-3 of lab 2:
 *   P = D·H + H + H·K + K = 4·32 + 32 + 32·3 + 3 = 128 + 32 + 96 + 3 = 259 parameters
 *   parameters 4·259 = 1036 B, gradients 1036 B, Adam m and v 2·1036 = 2072 B: 4144 B in all.
 *   Measured while the gradients are held: 4144 B + 4 B for the loss scalar.
 *
 * The test also pins each component on its own, because a model that keeps the initial
 * tensor next to its `tf.variable` holds its parameters twice (8 B instead of 4 per
 * parameter: 20 B per parameter with Adam) and would still be within 25% overall.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { initTensors, tf } from "../../src/tensor";
import { createRng } from "../../src/foundation";
import { adam } from "../../src/optim";
import { linearRegression, mlp, softmaxRegression, trainModel, type Model } from "../../src/models";
import { loadIris, standardizeFeatures } from "../../src/datasets";
import { modelStateMemory } from "../../src/memory";

beforeAll(async () => {
  await initTensors();
});

const FLOAT32_BYTES = 4;

/** Bytes tfjs holds now. */
function heldBytes(): number {
  return tf.memory().numBytes;
}

interface MeasuredStates {
  readonly parameters: number;
  readonly gradients: number;
  readonly optimizerStates: number;
  readonly total: number;
  readonly P: number;
}

/**
 * Build `makeModel()`, train it a few epochs with Adam on (X, Y), then hold one set of
 * gradients and measure what each model state adds to `tf.memory().numBytes`.
 */
function measureTraining(makeModel: () => Model, X: tf.Tensor2D, Y: tf.Tensor2D): MeasuredStates {
  const start = heldBytes();
  const model = makeModel();
  const afterParams = heldBytes();
  const optimizer = adam({ lr: 0.01 });
  trainModel(model, optimizer, { X, Y }, { epochs: 2, batchSize: 16 });
  const afterStates = heldBytes();
  const { loss, grads } = model.lossAndGradients(X, Y);
  const afterGrads = heldBytes();
  const measured: MeasuredStates = {
    parameters: afterParams - start,
    optimizerStates: afterStates - afterParams,
    gradients: afterGrads - afterStates - loss.size * FLOAT32_BYTES, // the loss scalar is not a model state
    total: afterGrads - start,
    P: model.parameterCount(),
  };
  loss.dispose();
  for (const g of Object.values(grads)) g.dispose();
  optimizer.reset();
  model.dispose();
  expect(heldBytes()).toBe(start); // and everything is freed again
  return measured;
}

describe("predicted model-state bytes match tf.memory() for training with our Adam", () => {
  it("the lab 2 MLP on Iris (4-32-3, 259 parameters) holds 16 bytes per parameter, as the fp32-adam recipe predicts", () => {
    const iris = loadIris();
    const X = standardizeFeatures(iris.X);
    const measured = measureTraining(() => mlp({ inputs: 4, hidden: 32, classes: 3 }, createRng(0)), X, iris.Y);
    expect(measured.P).toBe(259); // worked by hand above
    const predicted = modelStateMemory(measured.P, { recipe: "fp32-adam" });
    expect(predicted.total).toBe(4144);
    expect(Math.abs(measured.total - predicted.total) / predicted.total).toBeLessThan(0.05);
    expect(measured.parameters).toBe(predicted.parameters); // no second copy of the initial values
    expect(measured.gradients).toBe(predicted.gradients);
    expect(measured.optimizerStates).toBe(predicted.optimizerStates);
  });

  it("holds for MLPs of many widths, within 5% in total and exactly per component", () => {
    const rng = createRng(7);
    for (const [N, D, H, K] of [[20, 2, 1, 2], [64, 4, 8, 3], [128, 16, 64, 10], [256, 32, 256, 5]] as const) {
      const X = tf.tensor2d(rng.normalArray(N * D), [N, D]);
      const labels = tf.tensor1d(Array.from({ length: N }, () => rng.int(K)), "int32");
      const Y = tf.cast(tf.oneHot(labels, K), "float32") as tf.Tensor2D;
      const measured = measureTraining(() => mlp({ inputs: D, hidden: H, classes: K }, createRng(H)), X, Y);
      expect(measured.P).toBe(D * H + H + H * K + K);
      const predicted = modelStateMemory(measured.P, { recipe: "fp32-adam" });
      expect(Math.abs(measured.total - predicted.total) / predicted.total).toBeLessThan(0.05);
      expect([measured.parameters, measured.gradients, measured.optimizerStates]).toEqual([
        predicted.parameters,
        predicted.gradients,
        predicted.optimizerStates,
      ]);
      tf.dispose([X, labels, Y]);
    }
  });

  it("the linear and softmax regression models hold their parameters once too", () => {
    const rng = createRng(3);
    const X = tf.tensor2d(rng.normalArray(40 * 5), [40, 5]);
    const Y = tf.tensor2d(rng.normalArray(40 * 3), [40, 3]);
    const makers: readonly (() => Model)[] = [
      () => linearRegression({ inputs: 5, outputs: 3, initStd: 1 }, createRng(1)),
      () => softmaxRegression({ inputs: 5, classes: 3, initStd: 1 }, createRng(1)),
    ];
    for (const make of makers) {
      const measured = measureTraining(make, X, Y);
      expect(measured.P).toBe(5 * 3 + 3);
      const predicted = modelStateMemory(measured.P, { recipe: "fp32-adam" });
      expect([measured.parameters, measured.gradients, measured.optimizerStates]).toEqual([
        predicted.parameters,
        predicted.gradients,
        predicted.optimizerStates,
      ]);
    }
    tf.dispose([X, Y]);
  });
});
