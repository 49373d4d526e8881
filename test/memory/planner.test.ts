import { describe, expect, it } from "vitest";
import {
  enumerateLayouts,
  estimateStepTime,
  findModel,
  findNode,
  fitsOnGpu,
  planParallelism,
  ringAllReduceSeconds,
  trainingStepFlops,
  type ParallelLayout,
} from "../../src/memory";

const gpt3 = findModel("gpt3-175b");
const a100 = findNode("a100-80gb");

describe("step-time model", () => {
  it("prices a ring all-reduce by hand: n = 4, S = 1000 B, α = 1 s, 100 B/s gives 6 + 15 = 21 s", () => {
    // 2(n − 1)α = 6; 2(n − 1)/n · S/β = 1.5 · 10 = 15
    expect(ringAllReduceSeconds(4, 1000, 1, 100)).toBe(21);
    expect(ringAllReduceSeconds(1, 1000, 1, 100)).toBe(0);
  });

  it("counts 6·P·B·s FLOPs plus attention scores, and a third more forward under full recompute", () => {
    const B = 1536;
    const s = 2048;
    const attention = 12 * B * s * s * 96 * 12288;
    expect(trainingStepFlops(gpt3, B, s, "none")).toBe(6 * 175e9 * B * s + attention);
    expect(trainingStepFlops(gpt3, B, s, "full")).toBe(8 * 175e9 * B * s + (4 / 3) * attention);
    expect(trainingStepFlops(gpt3, B, s, "selective")).toBe(6 * 175e9 * B * s + (4 / 3) * attention);
  });

  it("makes the pipeline bubble (p − 1)/m of the compute time (Narayanan et al. 2021 §2.2.1)", () => {
    const layout: ParallelLayout = { dataParallel: 8, tensorParallel: 8, pipelineParallel: 16, zeroStage: 1, microBatch: 1, recompute: "none", sequenceParallel: true };
    const time = estimateStepTime(gpt3, a100, layout, { globalBatch: 1536 });
    // m = 1536 / (8 · 1) = 192 micro-batches; bubble = 15/192 of compute
    expect(time.bubbleSeconds / time.computeSeconds).toBeCloseTo(15 / 192, 12);
    expect(time.totalSeconds).toBeCloseTo(
      time.computeSeconds + time.bubbleSeconds + time.tensorParallelSeconds + time.pipelineSeconds + time.dataParallelSeconds,
      9,
    );
  });

  it("rejects a global batch the layout cannot split", () => {
    const layout: ParallelLayout = { dataParallel: 7, tensorParallel: 1, pipelineParallel: 1, zeroStage: 0, microBatch: 1, recompute: "none", sequenceParallel: false };
    expect(() => estimateStepTime(gpt3, a100, layout, { globalBatch: 1536 })).toThrow("Expected globalBatch (1536) to be divisible by dataParallel × microBatch = 7.");
  });
});

describe("planParallelism", () => {
  const result = planParallelism(gpt3, a100, { gpus: 1024 });

  it("finds layouts for GPT-3 on 1024 A100 80GB, every one of which fits", () => {
    expect(result.plans.length).toBeGreaterThan(10);
    expect(result.discardedForMemory).toBeGreaterThan(0);
    for (const plan of result.plans) {
      expect(fitsOnGpu(plan.memory.total, a100.gpu).kind).toBe("fits");
      const { dataParallel: d, tensorParallel: t, pipelineParallel: p } = plan.layout;
      expect(d * t * p).toBe(1024);
    }
  });

  it("ranks plans by step time, fastest first", () => {
    const times = result.plans.map((p) => p.time.totalSeconds);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });

  it("uses t = 8 inside a node plus pipeline stages, as Narayanan et al. 2021 Table 1 does for every model from 18.4B up", () => {
    // Table 1: 18.4B-1008B all use tensor-parallel size 8 (one DGX node) and pipeline parallelism beyond 39.1B.
    for (const plan of result.plans.slice(0, 5)) {
      expect(plan.layout.tensorParallel).toBe(8);
      expect(plan.layout.pipelineParallel).toBeGreaterThan(1);
    }
  });

  it("lands within a factor 1.5 of the 140 TFLOP/s per GPU Narayanan et al. 2021 (§5.1) use for GPT-3 on 1024 A100s, batch 1536", () => {
    const best = result.plans[0]!.modelFlopsPerGpu / 1e12;
    expect(best).toBeGreaterThan(140 / 1.5);
    expect(best).toBeLessThan(140 * 1.5);
  });

  it("discards everything for GPT-3 on a single 4×A100 40GB Delta node", () => {
    const delta = planParallelism(gpt3, findNode("delta-a100x4"), { gpus: 4, globalBatch: 8 });
    expect(delta.plans).toEqual([]);
    expect(delta.discardedForMemory).toBe(delta.candidates);
  });

  it("follows the framework rules in every enumerated layout, for many GPU counts", () => {
    for (const gpus of [1, 2, 6, 8, 12, 64, 96, 256]) {
      for (const l of enumerateLayouts(gpt3, a100, gpus, 1536, [1, 2, 4])) {
        expect(l.tensorParallel).toBeLessThanOrEqual(a100.gpusPerNode);
        expect(gpt3.heads % l.tensorParallel).toBe(0);
        expect(l.dataParallel * l.tensorParallel * l.pipelineParallel).toBe(gpus);
        expect(1536 % (l.dataParallel * l.microBatch)).toBe(0);
        if (l.pipelineParallel > 1) expect(l.zeroStage).toBeLessThanOrEqual(1);
        if (l.dataParallel === 1) expect(l.zeroStage).toBe(0);
        if (l.tensorParallel === 1) expect(l.sequenceParallel).toBe(false);
      }
    }
  });

  it("plans a small model on one GPU with plain data parallelism", () => {
    const plans = planParallelism(findModel("bert-large"), findNode("delta-a40x4"), { gpus: 1, globalBatch: 32 }).plans;
    expect(plans.length).toBeGreaterThan(0);
    expect(plans[0]!.layout).toMatchObject({ dataParallel: 1, tensorParallel: 1, pipelineParallel: 1, zeroStage: 0 });
  });
});
