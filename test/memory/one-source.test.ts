import { beforeAll, describe, expect, it } from "vitest";
import { estimateStepTime, findModel, findNode, PRECISION_RECIPES, RECIPE_NAMES, ringAllReduceSeconds, zeroModelStates, type ZeroStage } from "../../src/memory";
import { allReduceCost, initSoftmaxRegression, trainZero, evenShards, makeClassificationData, zeroFormulaBytes, zeroMemoryHeld, zeroStateBytes } from "../../src/parallel";
import { initTensors } from "../../src/tensor";

beforeAll(async () => {
  await initTensors();
});

const STAGES: readonly ZeroStage[] = [0, 1, 2, 3];

describe("memory accounting and the ZeRO simulation share one byte model", () => {
  it("zeroModelStates is zeroStateBytes with the recipe's bytes, for every recipe, stage and N", () => {
    for (const name of RECIPE_NAMES) {
      const r = PRECISION_RECIPES[name];
      for (const stage of STAGES) {
        for (const N of [1, 3, 64, 1000]) {
          const psi = 7.5e9 / N + 17;
          const shared = zeroStateBytes(stage, psi, N, { param: r.parameterBytes, grad: r.gradientBytes, optimizer: r.optimizerBytes });
          const states = zeroModelStates(psi, name, stage, N);
          expect([states.parameters, states.gradients, states.optimizerStates, states.total]).toEqual([
            shared.paramBytes,
            shared.gradBytes,
            shared.optimizerBytes,
            shared.totalBytes,
          ]);
        }
      }
    }
  });

  it("zeroFormulaBytes is zeroStateBytes at the simulation's fp32 4 + 4 + 8, and the simulated workers hold exactly that", () => {
    const data = makeClassificationData({ samples: 32, features: 7, classes: 4, seed: 2 });
    const Psi = initSoftmaxRegression(7, 4).length; // 32 = 4 · (7 + 1), divisible by N = 4
    for (const stage of STAGES) {
      expect(zeroFormulaBytes(stage, Psi, 4)).toEqual(zeroStateBytes(stage, Psi, 4, { param: 4, grad: 4, optimizer: 8 }));
      const sim = trainZero(data, { shardSizes: evenShards(4, 8), optimizer: { kind: "adam", lr: 0.01 }, stage }, 2);
      for (const worker of sim.workers) expect(zeroMemoryHeld(worker)).toEqual(zeroFormulaBytes(stage, Psi, 4));
    }
  });

  it("ZeRO Figure 1 (Ψ = 7.5B, N = 64, K = 12): 120, 31.4, 16.6 and 1.88 GB from the one model", () => {
    const gb = STAGES.map((stage) => zeroStateBytes(stage, 7.5e9, 64, { param: 2, grad: 2, optimizer: 12 }).totalBytes / 1e9);
    expect(gb[0]).toBeCloseTo(120, 6); // 16 · 7.5
    expect(gb[1]).toBeCloseTo(31.40625, 6); // 4 · 7.5 + 12 · 7.5/64
    expect(gb[2]).toBeCloseTo(16.640625, 6); // 2 · 7.5 + 14 · 7.5/64
    expect(gb[3]).toBeCloseTo(1.875, 6); // 16 · 7.5/64
  });
});

describe("the planner's step time prices all-reduces with the collectives' cost model", () => {
  it("ringAllReduceSeconds is allReduceCost('ring') for many sizes, worker counts and links", () => {
    for (const n of [1, 2, 3, 8, 64, 1024]) {
      for (const S of [0, 1, 1e6, 3.5e9]) {
        for (const [alpha, bandwidth] of [[5e-6, 3e11], [1e-5, 2.5e10], [1, 100]] as const) {
          expect(ringAllReduceSeconds(n, S, alpha, bandwidth)).toBe(allReduceCost("ring", n, S, { latency: alpha, bandwidth }).seconds);
        }
      }
    }
  });

  it("the data-parallel term of a step is the cost model's ring all-reduce of the gradients", () => {
    const model = findModel("gpt3-175b");
    const node = findNode("a100-80gb");
    const layout = { dataParallel: 2, tensorParallel: 8, pipelineParallel: 1, zeroStage: 1, microBatch: 1, recompute: "full", sequenceParallel: false } as const;
    const step = estimateStepTime(model, node, layout, { globalBatch: 16 });
    const gradientBytes = (model.parameters / 8) * PRECISION_RECIPES["mixed-adam"].gradientBytes;
    const link = { latency: 10e-6, bandwidth: Math.min(node.gpu.intraNodeBandwidth, node.interNodeBandwidth / Math.min(node.gpusPerNode, 8)) };
    expect(step.dataParallelSeconds).toBe(allReduceCost("ring", 2, gradientBytes, link).seconds);
  });
});
