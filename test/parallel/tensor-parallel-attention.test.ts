import { beforeAll, describe, expect, it } from "vitest";
import {
  splitAttentionWeights,
  tensorParallelAttentionBackward,
  tensorParallelAttentionForward,
  tensorParallelLayerTraffic,
  unsplitAttentionBackward,
  unsplitAttentionForward,
  type AttentionWeights,
} from "../../src/parallel";
import { initTensors, tf } from "../../src/tensor";
import { createRng } from "../../src/foundation";
import { expectTensorClose as expectClose } from "./tensor-close";

beforeAll(async () => {
  await initTensors();
});

const n = 6;
const h = 16;
const heads = 4;

function randomAttention(seed: number): { X: tf.Tensor2D; weights: AttentionWeights; dZ: tf.Tensor2D } {
  const rng = createRng(seed);
  const matrix = () => tf.tensor2d(rng.normalArray(h * h, 0.4), [h, h]);
  return {
    X: tf.tensor2d(rng.normalArray(n * h), [n, h]),
    weights: { Wq: matrix(), Wk: matrix(), Wv: matrix(), Wo: matrix() },
    dZ: tf.tensor2d(rng.normalArray(n * h), [n, h]),
  };
}

describe("tensor-parallel self-attention (Megatron-LM §3, Figure 3b)", () => {
  it("is causal: the first token's output depends on the first token only", () => {
    const { X, weights } = randomAttention(1);
    const Z = unsplitAttentionForward(X, weights, heads);
    const changed = tf.concat([X.slice([0, 0], [1, h]), tf.add(X.slice([1, 0], [n - 1, h]), 1)]) as tf.Tensor2D;
    const Z2 = unsplitAttentionForward(changed, weights, heads);
    expectClose(Z2.slice([0, 0], [1, h]), Z.slice([0, 0], [1, h]), 1e-6);
    expect(Math.abs(Z2.slice([1, 0], [1, h]).sub(Z.slice([1, 0], [1, h])).max().dataSync()[0]!)).toBeGreaterThan(1e-3);
  });

  it.each([1, 2, 4])("forward with t = %i matches the unsplit layer, with one all-reduce", (t) => {
    const { X, weights } = randomAttention(2);
    const shards = splitAttentionWeights(weights, heads, t);
    expect(shards.map((s) => [s.Wq.shape, s.Wo.shape, s.heads])).toEqual(Array(t).fill([[h, h / t], [h / t, h], heads / t]));
    const split = tensorParallelAttentionForward(X, shards);
    expectClose(split.output, unsplitAttentionForward(X, weights, heads));
    expect(split.allReduces).toBe(t > 1 ? 1 : 0);
    // each device's partial output alone is not the answer when t > 1
    if (t > 1) expect(tf.sub(split.partialOutputs[0]!, split.output).abs().max().dataSync()[0]!).toBeGreaterThan(1e-3);
  });

  it.each([2, 4])("backward with t = %i: dX after one all-reduce, and each device's weight gradients are its slice", (t) => {
    const { X, weights, dZ } = randomAttention(3);
    const reference = unsplitAttentionBackward(X, weights, heads, dZ);
    const split = tensorParallelAttentionBackward(X, splitAttentionWeights(weights, heads, t), dZ);
    expectClose(split.dX, reference.dX);
    expect(split.allReduces).toBe(1);
    for (const key of ["dWq", "dWk", "dWv"] as const) expectClose(tf.concat(split.local.map((g) => g[key]), 1), reference[key]);
    expectClose(tf.concat(split.local.map((g) => g.dWo), 0), reference.dWo);
  });

  it("refuses a t that would cut a head in two", () => {
    const { weights } = randomAttention(4);
    expect(() => splitAttentionWeights(weights, heads, 3)).toThrow(/t to divide the 4 heads/);
  });

  it("a layer moves 4 all-reduces of n·h values; GPT-3 with t = 8: 4 · 7/4 · 2·2048·12288 bytes per sequence", () => {
    const traffic = tensorParallelLayerTraffic(2048, 12288, 8, 2);
    expect(traffic).toEqual({ allReducesForward: 2, allReducesBackward: 2, bytesPerAllReduce: 50_331_648, bytesSentPerDevice: 4 * 1.75 * 50_331_648 });
    expect(tensorParallelLayerTraffic(2048, 12288, 1).bytesSentPerDevice).toBe(0);
  });
});
