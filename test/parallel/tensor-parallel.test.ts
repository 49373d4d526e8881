import { beforeAll, describe, expect, it } from "vitest";
import {
  geluTanh,
  splitMlpWeights,
  tensorParallelMlpBackward,
  tensorParallelMlpForward,
  unsplitMlpBackward,
  unsplitMlpForward,
  type MlpWeights,
} from "../../src/parallel/tensor-parallel";
import { initTensors, tf } from "../../src/tensor";
import { createRng } from "../../src/foundation";
import { expectTensorClose as expectClose } from "./tensor-close";

beforeAll(async () => {
  await initTensors();
});

/** Seeded MLP of hidden size h and width f = 4h, and an input of n rows. */
function randomMlp(seed: number, n: number, h: number): { X: tf.Tensor2D; weights: MlpWeights; dZ: tf.Tensor2D } {
  const rng = createRng(seed);
  const f = 4 * h;
  return {
    X: tf.tensor2d(rng.normalArray(n * h), [n, h]),
    weights: { A: tf.tensor2d(rng.normalArray(h * f, 0.5), [h, f]), B: tf.tensor2d(rng.normalArray(f * h, 0.5), [f, h]) },
    dZ: tf.tensor2d(rng.normalArray(n * h), [n, h]),
  };
}

describe("worked by hand", () => {
  it("GeLU (tanh form) gives 0.8412 at 1, −0.1588 at −1 and 0 at 0", () => {
    // 0.5·1·(1 + tanh(√(2/π)(1 + 0.044715))) = 0.5·(1 + tanh(0.83356)) = 0.5·(1 + 0.68238) = 0.84119
    const y = geluTanh(tf.tensor1d([1, -1, 0])).dataSync();
    expect(y[0]).toBeCloseTo(0.841192, 5);
    expect(y[1]).toBeCloseTo(-0.158808, 5); // GeLU(−x) = GeLU(x) − x
    expect(y[2]).toBe(0);
  });

  it("A is split by columns and B by rows", () => {
    // A = [[1 2 3 4], [5 6 7 8]] (h = 2, f = 4); t = 2: A_0 = [[1 2], [5 6]], A_1 = [[3 4], [7 8]]
    // B = [[1 2], [3 4], [5 6], [7 8]]:               B_0 = [[1 2], [3 4]],  B_1 = [[5 6], [7 8]]
    const A = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]);
    const B = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    const [s0, s1] = splitMlpWeights({ A, B }, 2);
    expect(s0!.A.arraySync()).toEqual([[1, 2], [5, 6]]);
    expect(s1!.A.arraySync()).toEqual([[3, 4], [7, 8]]);
    expect(s0!.B.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(s1!.B.arraySync()).toEqual([[5, 6], [7, 8]]);
  });

  it("counts one all-reduce of n·h float32 values each way: ring sends 2(t − 1)/t · S per device", () => {
    // n = 3, h = 8: S = 3 · 8 · 4 bytes = 96; t = 4: 2 · 3/4 · 96 = 144 bytes per device.
    const { X, weights, dZ } = randomMlp(1, 3, 8);
    const shards = splitMlpWeights(weights, 4);
    const forward = tensorParallelMlpForward(X, shards);
    const backward = tensorParallelMlpBackward(X, shards, dZ);
    for (const c of [forward.communication, backward.communication]) {
      expect(c).toEqual({ allReduces: 1, bytesPerAllReduce: 96, bytesSentPerDevice: 144 });
    }
    expect(tensorParallelMlpForward(X, splitMlpWeights(weights, 1)).communication.allReduces).toBe(0);
  });
});

describe("equal to the unsplit MLP (oracle: the same MLP on one device, tfjs autodiff)", () => {
  it("outputs match for t = 1, 2, 4, 8 and several sizes", () => {
    for (const [n, h] of [[1, 2], [3, 4], [5, 8], [4, 16]] as const) {
      const { X, weights } = randomMlp(10 * n + h, n, h);
      const reference = unsplitMlpForward(X, weights);
      for (const t of [1, 2, 4, 8]) {
        if ((4 * h) % t !== 0) continue;
        const { output, partialOutputs } = tensorParallelMlpForward(X, splitMlpWeights(weights, t));
        expectClose(output, reference);
        expect(partialOutputs.length).toBe(t);
        // each device alone holds only a partial sum (t > 1): the all-reduce is needed
        if (t > 1) expect(tf.max(tf.abs(tf.sub(partialOutputs[0]!, reference))).dataSync()[0]).toBeGreaterThan(1e-3);
      }
    }
  });

  it("gradients match: dX after the all-reduce, dA and dB reassembled from the shards", () => {
    for (const t of [1, 2, 4]) {
      const { X, weights, dZ } = randomMlp(7 + t, 3, 8);
      const reference = unsplitMlpBackward(X, weights, dZ);
      const parallel = tensorParallelMlpBackward(X, splitMlpWeights(weights, t), dZ);
      expectClose(parallel.dX, reference.dX);
      expectClose(tf.concat(parallel.dA as tf.Tensor2D[], 1), reference.dA);
      expectClose(tf.concat(parallel.dB as tf.Tensor2D[], 0), reference.dB);
    }
  });

  it("the reference gradient agrees with central differences", () => {
    // d/dX_00 of sum(Z ⊙ dZ) ≈ (L(X + εe) − L(X − εe)) / 2ε
    const { X, weights, dZ } = randomMlp(3, 2, 4);
    const loss = (x: tf.Tensor2D): number => tf.sum(tf.mul(unsplitMlpForward(x, weights), dZ)).dataSync()[0]!;
    const eps = 1e-2;
    const e = tf.oneHot([0], 2 * 4).reshape([2, 4]).mul(eps) as tf.Tensor2D;
    const numeric = (loss(tf.add(X, e)) - loss(tf.sub(X, e))) / (2 * eps);
    expect(unsplitMlpBackward(X, weights, dZ).dX.dataSync()[0]).toBeCloseTo(numeric, 2);
  });
});

describe("boundaries and memory", () => {
  it("rejects a degree that does not divide f, naming the fix", () => {
    const { weights } = randomMlp(1, 1, 2); // f = 8
    expect(() => splitMlpWeights(weights, 3)).toThrow("Expected t to divide the MLP width f = 8, got t = 3. Use a divisor of 8.");
    expect(() => splitMlpWeights(weights, 0)).toThrow("Expected t to be an integer >= 1, got 0.");
  });

  it("leaves no tensors behind once the results are disposed", () => {
    const { X, weights, dZ } = randomMlp(5, 2, 4);
    const before = tf.memory().numTensors;
    const shards = splitMlpWeights(weights, 2);
    const forward = tensorParallelMlpForward(X, shards);
    const backward = tensorParallelMlpBackward(X, shards, dZ);
    tf.dispose([forward.output, ...forward.partialOutputs, backward.dX, ...backward.dA, ...backward.dB]);
    tf.dispose(shards.flatMap((s) => [s.A, s.B]));
    expect(tf.memory().numTensors).toBe(before);
  });
});
