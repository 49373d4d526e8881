import { describe, expect, it } from "vitest";
import { findModel, findNode, layerActivationBytes, planParallelism, stageMemories, summarizeStages, zeroModelStates, type StageLayout } from "../../src/memory";
import { formatStageLine } from "../../src/memory/plan-table";

const gpt3 = findModel("gpt3-175b");
const layout: StageLayout = { dataParallel: 8, tensorParallel: 4, pipelineParallel: 32, zeroStage: 1, microBatch: 1, recompute: "selective", sequenceParallel: true };

describe("memory per pipeline stage (Megatron-LM theoretical_memory_usage.py; Korthikanti et al. 2022 §4.2.3)", () => {
  const stages = stageMemories(gpt3, layout, { globalBatch: 1536 });
  const { h, V, s } = { h: 12288, V: 51200, s: 2048 };

  it("stage s keeps p − s micro-batches in flight under 1F1B", () => {
    expect(stages.map((x) => x.microbatchesInFlight)).toEqual(Array.from({ length: 32 }, (_, i) => 32 - i));
  });

  it("the first stage adds the (V + s)·h embeddings, the last the tied output copy V·h and the final LayerNorm, over t", () => {
    const perLayer = (175e9 - (V + s) * h) / 96;
    expect(stages[1]!.parameterCount).toBeCloseTo((3 * perLayer) / 4, 0);
    expect(stages[0]!.parameterCount - stages[1]!.parameterCount).toBeCloseTo(((V + s) * h) / 4, 0);
    expect(stages[31]!.parameterCount - stages[1]!.parameterCount).toBeCloseTo((V * h + 2 * h) / 4, 0);
    // model states follow ZeRO stage 1 on the stage's own parameters
    expect(stages[0]!.optimizerStates).toBeCloseTo(zeroModelStates(stages[0]!.parameterCount, "mixed-adam", 1, 8).optimizerStates, 0);
  });

  it("activations: 3 layers × in-flight micro-batches, plus the embedding dropout on the first and the logits on the last", () => {
    const perLayer = layerActivationBytes({ seq: s, batch: 1, hidden: h, heads: 96 }, { tensorParallel: 4, sequenceParallel: true, recompute: "selective" }).total;
    expect(stages[1]!.activations).toBe(perLayer * 3 * 31);
    expect(stages[0]!.activations).toBe(perLayer * 3 * 32 + s * h * 32);
    expect(stages[31]!.activations).toBe(perLayer * 3 * 1 + 2 * ((s * V) / 4 + s * h));
  });

  it("the first stage is the fullest for GPT-3; the last holds far less", () => {
    const summary = summarizeStages(stages);
    expect(summary.fullest.stage).toBe(0);
    expect(summary.middle!.stage).toBe(1);
    expect(summary.last.total).toBeLessThan(summary.first.total / 2);
  });

  it("interleaving multiplies the activations by 1 + (p − 1)/(p·v)", () => {
    const plain = stageMemories(gpt3, { ...layout, recompute: "none" }, { globalBatch: 1536 })[5]!;
    const interleaved = stageMemories(gpt3, { ...layout, recompute: "none" }, { globalBatch: 1536, virtualStages: 3 })[5]!;
    const perLayer = layerActivationBytes({ seq: s, batch: 1, hidden: h, heads: 96 }, { tensorParallel: 4, sequenceParallel: true }).total;
    expect(interleaved.activations - plain.activations).toBeCloseTo(perLayer * 3 * 27 * (31 / 96), 0);
  });

  it("offload moves optimizer states and gradients (and under ZeRO-3 parameters) from the GPU to host memory", () => {
    const z3 = { ...layout, pipelineParallel: 1, dataParallel: 256, zeroStage: 3 as const };
    const [kept] = stageMemories(gpt3, z3, { globalBatch: 1536 });
    const [opt] = stageMemories(gpt3, { ...z3, offloadOptimizer: true }, { globalBatch: 1536 });
    const [all] = stageMemories(gpt3, { ...z3, offloadOptimizer: true, offloadParams: true }, { globalBatch: 1536 });
    expect(opt!.total).toBeCloseTo(kept!.total - kept!.gradients - kept!.optimizerStates, 0);
    expect(opt!.hostBytes).toBeCloseTo(kept!.gradients + kept!.optimizerStates, 0);
    expect(all!.parameters).toBe(0);
    expect(all!.hostBytes).toBeCloseTo(kept!.parameters + kept!.gradients + kept!.optimizerStates, 0);
    expect(() => stageMemories(gpt3, { ...layout, offloadParams: true }, { globalBatch: 1536 })).toThrow(/only under ZeRO stage 3/);
  });
});

describe("the planner with stages and offload", () => {
  it("fits GPT-3 on 1,024 Delta A100s on the fullest stage and reports first, middle and last", () => {
    const best = planParallelism(gpt3, findNode("delta-a100x4"), { gpus: 1024 }).plans[0]!;
    expect(best.memory.total).toBe(best.stages.fullest.total);
    expect(best.memory.total).toBe(Math.max(best.stages.first.total, best.stages.middle!.total, best.stages.last.total));
    expect(formatStageLine(best)).toMatch(/^memory per GPU by pipeline stage: first [\d.]+ GB, middle [\d.]+ GB, last [\d.]+ GB; the fullest is the first$/);
  });

  it("says when offload is what makes a model fit: Llama 2 7B on 2 Delta A40s, charged to the node's 256 GB", () => {
    const node = findNode("delta-a40x4");
    const result = planParallelism(findModel("llama2-7b"), node, { gpus: 2, globalBatch: 16 });
    expect(result.offloadMakesItFit).toBe(true);
    for (const plan of result.plans) {
      expect(plan.layout.offloadOptimizer).toBe(true);
      expect(plan.hostBytesPerNode).toBeGreaterThan(0);
      expect(plan.hostBytesPerNode).toBeLessThanOrEqual(0.9 * 256e9);
      // PCIe copies are in the step time: (2 + 2)·Ψ/d bytes at 32 GB/s for the optimizer's gradients and parameters
      expect(plan.time.offloadSeconds).toBeGreaterThan(0);
    }
    const best = result.plans[0]!;
    expect(best.time.offloadSeconds).toBeCloseTo(((2 + 2) * 6.74e9) / 2 / 32e9 + (best.layout.offloadParams ? (4 * 6.74e9) / 2 / 32e9 : 0), 6);
    // with 8 GPUs the states fit on the GPUs and offload is no longer needed
    expect(planParallelism(findModel("llama2-7b"), node, { gpus: 8, globalBatch: 64 }).offloadMakesItFit).toBe(false);
  });

  it("offers no offload on a node whose RAM is not recorded", () => {
    const plans = planParallelism(findModel("gpt2-1.5b"), findNode("a100-80gb"), { gpus: 8, globalBatch: 64 }).plans;
    expect(plans.some((p) => p.layout.offloadOptimizer === true)).toBe(false);
  });
});

describe("efflab plan reports stages and offload", () => {
  it("--json carries first/middle/last stage bytes, the fullest, offload flags and offloadMakesItFit; the text says it", async () => {
    const { main } = await import("../../src/cli/main");
    const run = async (argv: string[]) => {
      const out: string[] = [];
      const code = await main(argv, { out: (t) => out.push(t), err: () => undefined });
      return { code, out: out.join("\n") };
    };
    const json = JSON.parse((await run(["plan", "--model", "gpt3", "--gpu", "delta-a100x4", "--gpus", "1024", "--json"])).out);
    const best = json.plans[0];
    expect(best.stages.fullest).toBe(0);
    expect(best.bytesPerDevice).toBe(best.stages.first.bytesPerDevice);
    expect(best.stages.middle.microbatchesInFlight).toBe(best.pp - 1);
    expect(best.stages.last.microbatchesInFlight).toBe(1);
    expect(json.offloadMakesItFit).toBe(false);
    const text = await run(["plan", "--model", "llama2-7b", "--gpu", "delta-a40x4", "--gpus", "2", "--global-batch", "16"]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/Offload is what makes it fit/);
    expect(text.out).toMatch(/offload uses [\d.]+ GB of CPU memory per node/);
  });
});
