import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesPerParameter, modelStateMemory } from "../../src/memory";
import { initTensors, tf } from "../../src/tensor";

/**
 * Oracle: tfjs's own allocator. We build an fp32 MLP, take one real gradient with tf.variableGrads,
 * allocate Adam's two moments, and compare tf.memory().numBytes with the prediction of the
 * "fp32-adam" recipe (4 + 4 + 8 bytes per parameter).
 */
describe("predicted model states match tfjs's measured bytes", () => {
  beforeAll(async () => {
    await initTensors();
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it("for an fp32 MLP 784-256-10 with Adam, within 5%", () => {
    const sizes = [784, 256, 10];
    // P = 784·256 + 256 + 256·10 + 10 = 203,530
    const P = sizes.slice(1).reduce((sum, out, i) => sum + sizes[i]! * out + out, 0);
    expect(P).toBe(203_530);

    /** tf.variable copies its initial value: dispose the initial tensor so only the variable is counted. */
    const variableFrom = (initial: tf.Tensor, trainable: boolean, name?: string): tf.Variable => {
      const variable = tf.variable(initial, trainable, name);
      initial.dispose();
      return variable;
    };
    const before = tf.memory().numBytes;
    const params: tf.Variable[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      params.push(variableFrom(tf.randomNormal([sizes[i]!, sizes[i + 1]!], 0, 0.05, "float32", 1 + i), true, `w${i}`)); // [in, out]
      params.push(variableFrom(tf.zeros([sizes[i + 1]!]), true, `b${i}`)); // [out]
    }
    const x = tf.randomNormal([32, 784], 0, 1, "float32", 7); // [batch, in]
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, k) => k % 10), "int32"), 10)); // [batch, 10]
    const { value, grads } = tf.variableGrads(() => {
      let h: tf.Tensor = x;
      for (let i = 0; i < params.length; i += 2) {
        h = tf.add(tf.matMul(h, params[i]!), params[i + 1]!);
        if (i + 2 < params.length) h = tf.relu(h);
      }
      return tf.losses.softmaxCrossEntropy(y, h).asScalar();
    });
    value.dispose();
    x.dispose();
    y.dispose();
    const gradients = Object.values(grads);
    const m = params.map((p) => variableFrom(tf.zerosLike(p), false)); // first moment
    const v = params.map((p) => variableFrom(tf.zerosLike(p), false)); // second moment
    const measured = tf.memory().numBytes - before;

    const predicted = modelStateMemory(P, { recipe: "fp32-adam" });
    expect(predicted.total).toBe(16 * P);
    expect(bytesPerParameter("fp32-adam")).toBe(16);
    expect(Math.abs(measured - predicted.total) / predicted.total).toBeLessThan(0.05);

    // Each part separately: parameters, gradients, optimizer states.
    const bytesOf = (ts: readonly tf.Tensor[]) => ts.reduce((sum, t) => sum + t.size * 4, 0);
    expect(bytesOf(params)).toBe(predicted.parameters);
    expect(bytesOf(gradients)).toBe(predicted.gradients);
    expect(bytesOf([...m, ...v])).toBe(predicted.optimizerStates);

    gradients.forEach((g) => g.dispose());
    [...params, ...m, ...v].forEach((t) => t.dispose());
    expect(tf.memory().numBytes).toBe(before);
  });
});
