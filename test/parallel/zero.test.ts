import { beforeAll, describe, expect, it } from "vitest";
import {
  createZeroSimulation,
  evenShards,
  makeClassificationData,
  softmaxRegressionParamCount,
  trainDataParallel,
  trainZero,
  zeroFormulaBytes,
  zeroMemoryHeld,
  zeroParameters,
  zeroStep,
  type ReplicaOptimizerConfig,
} from "../../src/parallel";
import type { ZeroStage } from "../../src/memory";
import { initTensors } from "../../src/tensor";

// The replicas update their buffers with the optimization unit's tensor rules.
beforeAll(async () => {
  await initTensors();
});

// Ψ = C·(D + 1) = 4 · 16 = 64: divisible by N = 1, 2, 4, 8, 16.
const data = makeClassificationData({ samples: 256, features: 15, classes: 4, seed: 11 });
const Psi = softmaxRegressionParamCount(15, 4);
// Ψ = 3 · 8 = 24 would divide by 3; 5 · 10 = 50 does not divide by 3, 4, 7, 8.
const oddData = makeClassificationData({ samples: 200, features: 9, classes: 5, seed: 12 });

const adam: ReplicaOptimizerConfig = { kind: "adam", lr: 0.01 };
const sgd: ReplicaOptimizerConfig = { kind: "sgd", lr: 0.3 };
const stages: readonly ZeroStage[] = [0, 1, 2, 3];

describe("ZeRO training", () => {
  it("is bit-identical to plain ring data parallelism at every stage (Adam and SGD, N = 1..8)", () => {
    for (const optimizer of [adam, sgd])
      for (const [set, N] of [
        [data, 1],
        [data, 2],
        [data, 4],
        [data, 8],
        [oddData, 3],
        [oddData, 7],
      ] as const) {
        const shardSizes = evenShards(N, 4);
        const plain = trainDataParallel(set, { shardSizes, optimizer, algorithm: "ring" }, 30);
        for (const stage of stages) {
          const zero = trainZero(set, { shardSizes, optimizer, stage }, 30);
          expect(zeroParameters(zero)).toEqual(plain.workers[0]!.params);
          expect(zero.history.map((r) => r.loss)).toEqual(plain.history.map((r) => r.loss));
        }
      }
  });

  it("keeps replicas bit-identical at stages 1 and 2", () => {
    for (const stage of [1, 2] as const) {
      const zero = trainZero(oddData, { shardSizes: evenShards(4, 3), optimizer: adam, stage }, 10);
      for (const w of zero.workers) expect(w.params).toEqual(zero.workers[0]!.params);
    }
  });
});

describe("ZeRO memory held per worker", () => {
  it("equals the ZeRO formulas for fp32 parameters, fp32 gradients and Adam's two fp32 moments (K = 8)", () => {
    // Stage 2 with N = 4, Ψ = 64, by hand: params 4·64 = 256 B, grads 4·64/4 = 64 B, Adam 8·64/4 = 128 B.
    const byHand = createZeroSimulation(data, { shardSizes: evenShards(4, 2), optimizer: adam, stage: 2 });
    expect(zeroMemoryHeld(byHand.workers[0]!)).toEqual({ paramBytes: 256, gradBytes: 64, optimizerBytes: 128, totalBytes: 448 });

    for (const N of [1, 2, 4, 8, 16])
      for (const stage of stages) {
        const sim = createZeroSimulation(data, { shardSizes: evenShards(N, 2), optimizer: adam, stage });
        zeroStep(sim); // buffers are the same after a step
        const formula = zeroFormulaBytes(stage, Psi, N);
        for (const w of sim.workers) expect(zeroMemoryHeld(w)).toEqual(formula);
      }
  });

  it("holds no optimizer state for SGD (K = 0)", () => {
    const sim = createZeroSimulation(data, { shardSizes: evenShards(4, 2), optimizer: sgd, stage: 1 });
    expect(zeroMemoryHeld(sim.workers[3]!)).toEqual(zeroFormulaBytes(1, Psi, 4, { optimizer: 0 }));
  });

  it("splits Ψ not divisible by N into partitions that add up to Ψ and differ by one element", () => {
    const PsiOdd = softmaxRegressionParamCount(9, 5); // 50
    for (const N of [3, 4, 7, 8]) {
      const sim = createZeroSimulation(oddData, { shardSizes: evenShards(N, 2), optimizer: adam, stage: 3 });
      const held = sim.workers.map(zeroMemoryHeld);
      expect(held.reduce((s, h) => s + h.totalBytes, 0)).toBe(16 * PsiOdd); // (4 + 4 + 8)·Ψ across workers
      const totals = held.map((h) => h.totalBytes);
      expect(Math.max(...totals) - Math.min(...totals)).toBeLessThanOrEqual(16);
    }
  });
});

describe("ZeRO communication per step", () => {
  it("is 2Ψ for plain DP, stage 1 and stage 2 and 3Ψ for stage 3 (ZeRO §7), counted from the trace", () => {
    // One ring pass over Ψ floats sends (N−1)/N · 4Ψ bytes per worker.
    for (const N of [2, 4, 8, 16]) {
      const pass = ((N - 1) / N) * 4 * Psi; // bytes
      const sent = (stage: ZeroStage) =>
        trainZero(data, { shardSizes: evenShards(N, 2), optimizer: adam, stage }, 2).history[1]!.bytesSent;
      for (const stage of [0, 1, 2] as const) for (const b of sent(stage)) expect(b).toBe(2 * pass);
      for (const b of sent(3)) expect(b).toBe(3 * pass);
    }
  });

  it("makes stage 3 send 1.5 times what plain DP sends, also when N does not divide Ψ", () => {
    for (const N of [3, 7]) {
      const total = (stage: ZeroStage) =>
        trainZero(oddData, { shardSizes: evenShards(N, 2), optimizer: sgd, stage }, 1).history[0]!.bytesSent.reduce(
          (a, b) => a + b,
          0,
        );
      expect(total(3) / total(0)).toBe(1.5);
      expect(total(2)).toBe(total(0));
    }
  });

  it("rejects stage 4 naming the valid stages", () => {
    expect(() =>
      // @ts-expect-error: 4 is not a ZeroStage; the check guards untyped notebook input
      createZeroSimulation(data, { shardSizes: [1], optimizer: sgd, stage: 4 }),
    ).toThrow(/stage to be 0, 1, 2 or 3, got 4/);
  });
});

describe("ZeRO formulas", () => {
  it("reproduce the ZeRO paper's Figure 1 example: Ψ = 7.5B, N = 64, K = 12 with 2-byte parameters and gradients", () => {
    // Rajbhandari et al. 2020, Figure 1: 120 GB (baseline), 31.4 GB (P_os), 16.6 GB (P_os+g), 1.9 GB (P_os+g+p)
    const mixed = { param: 2, grad: 2, optimizer: 12 };
    const GB = (stage: ZeroStage) => zeroFormulaBytes(stage, 7.5e9, 64, mixed).totalBytes / 1e9;
    expect(GB(0)).toBe(120);
    expect(GB(1)).toBeCloseTo(31.4, 1);
    expect(GB(2)).toBeCloseTo(16.6, 1);
    expect(GB(3)).toBeCloseTo(1.9, 1);
  });
});
