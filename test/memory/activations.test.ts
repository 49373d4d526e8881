import { describe, expect, it } from "vitest";
import {
  attentionScoreRatio,
  deviceActivationBytes,
  findModel,
  inputBatchBytes,
  layerActivationBytes,
  RECOMPUTE_MODES,
  type ActivationShape,
} from "../../src/memory";

const gpt3: ActivationShape = { seq: 2048, batch: 1, hidden: 12288, heads: 96 };

describe("activation memory per layer (Korthikanti et al. 2022)", () => {
  it("works a tiny layer by hand", () => {
    // s = 4, b = 2, h = 8, a = 2: sbh = 64; 34·sbh = 2176; 5as²b = 5·2·16·2 = 320; total 2496 bytes
    const layer = layerActivationBytes({ seq: 4, batch: 2, hidden: 8, heads: 2 });
    expect(layer).toEqual({ replicated: 640, split: 1536, attentionScores: 320, checkpoint: 0, total: 2496 });
  });

  it("sums §4.1's blocks: attention 11sbh + 5as²b, MLP 19sbh, LayerNorms 4sbh = sbh(34 + 5as/h)", () => {
    for (const shape of [gpt3, { seq: 512, batch: 8, hidden: 1024, heads: 16 }, { seq: 1024, batch: 3, hidden: 1600, heads: 25 }]) {
      const { seq: s, batch: b, hidden: h, heads: a } = shape;
      const attention = 11 * s * b * h + 5 * a * s * s * b;
      const mlp = 19 * s * b * h;
      const layerNorms = 4 * s * b * h;
      expect(layerActivationBytes(shape).total).toBe(attention + mlp + layerNorms);
      expect(layerActivationBytes(shape).total).toBeCloseTo(s * b * h * (34 + attentionScoreRatio(shape)), 0);
    }
  });

  it("finds 5as/h = 80 for GPT-3 (Korthikanti et al. 2022, §5): scores are 70% of a layer's activations", () => {
    expect(attentionScoreRatio(gpt3)).toBe(80);
    const layer = layerActivationBytes(gpt3);
    expect(Math.round((100 * layer.attentionScores) / layer.total)).toBe(70);
  });

  it("matches every row of Table 2 for many t", () => {
    const { seq: s, batch: b, hidden: h, heads: a } = gpt3;
    const sbh = s * b * h;
    for (const t of [1, 2, 4, 8, 16, 32]) {
      const r = (5 * a * s) / (h * t); // 5as/(ht)
      expect(layerActivationBytes(gpt3, { tensorParallel: t }).total).toBeCloseTo(sbh * (10 + 24 / t + r), 0);
      expect(layerActivationBytes(gpt3, { tensorParallel: t, sequenceParallel: true }).total).toBeCloseTo(sbh * (34 / t + r), 0);
      expect(layerActivationBytes(gpt3, { tensorParallel: t, recompute: "selective" }).total).toBeCloseTo(sbh * (10 + 24 / t), 0);
      expect(layerActivationBytes(gpt3, { tensorParallel: t, sequenceParallel: true, recompute: "selective" }).total).toBeCloseTo((sbh * 34) / t, 0);
      expect(layerActivationBytes(gpt3, { tensorParallel: t, recompute: "full" }).total).toBe(2 * sbh);
    }
  });

  it("cuts activation memory about 5× with sequence parallelism + selective recompute at t = 8 (abstract; the §6 models)", () => {
    // Korthikanti et al. 2022, abstract: "reduces activation memory by 5x" (vs. tensor parallelism alone).
    for (const name of ["megatron-22b", "gpt3-175b", "megatron-530b", "megatron-1t"]) {
      const m = findModel(name);
      const shape = { seq: m.seq, batch: 1, hidden: m.hidden, heads: m.heads };
      const baseline = layerActivationBytes(shape, { tensorParallel: 8 }).total;
      const reduced = layerActivationBytes(shape, { tensorParallel: 8, sequenceParallel: true, recompute: "selective" }).total;
      expect(baseline / reduced, name).toBeGreaterThan(4.5);
      expect(baseline / reduced, name).toBeLessThan(6.5);
    }
  });

  it("never grows with more recomputation or more parallelism, over many shapes", () => {
    for (const seq of [128, 1024, 4096]) {
      for (const hidden of [256, 2048]) {
        for (const t of [1, 2, 8]) {
          const shape = { seq, batch: 2, hidden, heads: 16 };
          const [none, selective, full] = RECOMPUTE_MODES.map((recompute) => layerActivationBytes(shape, { tensorParallel: t, recompute }).total);
          expect(none!).toBeGreaterThan(selective!);
          expect(selective!).toBeGreaterThan(full!);
          expect(layerActivationBytes(shape, { tensorParallel: t, sequenceParallel: true }).total).toBeLessThanOrEqual(none!);
          expect(layerActivationBytes(shape, { tensorParallel: 2 * t }).total).toBeLessThan(none!);
        }
      }
    }
  });

  it("rejects heads that do not divide the hidden size", () => {
    expect(() => layerActivationBytes({ seq: 8, batch: 1, hidden: 10, heads: 3 })).toThrow("Expected hidden (10) to be divisible by heads, got heads = 3.");
  });
});

describe("activation memory per device", () => {
  it("stores L layers' worth on the first stage of a 1F1B pipeline, whatever p (Korthikanti §4.2.3)", () => {
    const opts = { tensorParallel: 8, sequenceParallel: true, recompute: "selective" as const };
    const one = layerActivationBytes(gpt3, opts).total;
    for (const p of [1, 2, 4, 8, 16, 32, 96]) {
      const device = deviceActivationBytes(gpt3, { ...opts, layers: 96, pipelineParallel: p, microbatches: 128 });
      expect(device.total).toBeCloseTo(96 * one, 0);
    }
  });

  it("multiplies by 1 + (p − 1)/(p·v) with v interleaved chunks (Korthikanti §4.2.3)", () => {
    // p = 8, v = 2: 1 + 7/16 = 1.4375
    const device = deviceActivationBytes(gpt3, { layers: 96, pipelineParallel: 8, interleavedChunks: 2, microbatches: 64 });
    expect(device.interleavingFactor).toBe(1.4375);
    expect(device.total).toBeCloseTo(1.4375 * 96 * layerActivationBytes(gpt3).total, 0);
  });

  it("holds fewer micro-batches than stages when there are fewer micro-batches", () => {
    const device = deviceActivationBytes(gpt3, { layers: 96, pipelineParallel: 8, microbatches: 3 });
    expect(device.microbatchesInFlight).toBe(3);
    expect(device.layersOnDevice).toBe(12);
  });

  it("adds one layer's full activations as workspace under full recomputation", () => {
    const device = deviceActivationBytes(gpt3, { layers: 96, recompute: "full" });
    expect(device.total).toBe(96 * 2 * 2048 * 12288 + layerActivationBytes(gpt3).total);
  });

  it("counts input ids and labels as int64 in the input batch", () => {
    expect(inputBatchBytes(2048, 4)).toBe(2048 * 4 * 8 * 2);
    expect(() => deviceActivationBytes(gpt3, { layers: 4, pipelineParallel: 8 })).toThrow(/pipelineParallel <= layers/);
  });
});
