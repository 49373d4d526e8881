import { describe, expect, it } from "vitest";
import { PRECISION_RECIPES, fitsOnGpu as libraryFitsOnGpu, layerActivationBytes, zeroModelStates, customRecipe } from "../../src/memory";
import { BYTES_PER_GB, BYTES_PER_GIB } from "../../src/foundation";
import type { ZeroStage, RecomputeMode } from "../../src/memory";
import { memoryQuestions } from "../../src/grading/questions/memory";
import { bytesPerParameterWith, type TrainingPrecision } from "../../src/grading/questions/memory/bytes-per-parameter";
import { memoryHiddenTests } from "./hidden/memory.hidden";
import { proveGradedLab, runQuestionSuite } from "./graded-suite";

/** The reference answers, built on the library (src/memory) with the notebook's plain-number signatures. */
const reference = {
  bytesPerParameter: (precision: TrainingPrecision) => bytesPerParameterWith(precision),
  zeroPerDevice: (psi: number, bytes: { parameters: number; gradients: number; optimizerStates: number }, stage: ZeroStage, N: number) =>
    zeroModelStates(psi, customRecipe("answer", bytes.parameters, bytes.gradients, bytes.optimizerStates), stage, N),
  activationsPerLayer: (shape: { s: number; b: number; h: number; a: number }, parallel: { t: number; sequenceParallel: boolean; recompute: RecomputeMode }) =>
    layerActivationBytes({ seq: shape.s, batch: shape.b, hidden: shape.h, heads: shape.a }, { tensorParallel: parallel.t, sequenceParallel: parallel.sequenceParallel, recompute: parallel.recompute }).total,
  fitsOnGpu: (requiredBytes: number, capacity: number, unit: "GB" | "GiB", headroom: { overheadBytes: number; fragmentationFraction: number }) => {
    const v = libraryFitsOnGpu(requiredBytes, capacity * (unit === "GB" ? BYTES_PER_GB : BYTES_PER_GIB), headroom);
    return v.kind === "fits" ? { kind: v.kind, availableBytes: v.availableBytes, spareBytes: v.spareBytes } : { kind: v.kind, availableBytes: v.availableBytes, shortfallBytes: v.shortfallBytes };
  },
};

describe("lab 4 (memory) graded questions", () => {
  proveGradedLab({ lab: "memory", questions: memoryQuestions, hidden: memoryHiddenTests, reference, ids: ["memory.bytesPerParameter", "memory.zeroPerDevice", "memory.activationsPerLayer", "memory.fitsOnGpu"] });

  it("the dtype rule of bytesPerParameter reproduces the library's four named recipes (DESIGN.md)", () => {
    const cases: readonly [TrainingPrecision, keyof typeof PRECISION_RECIPES][] = [
      [{ weights: "fp16", gradients: "fp16", optimizer: "adam", fp32GradientCopy: false }, "mixed-adam"], // ZeRO §3.1: 2 + 2 + 12
      [{ weights: "fp16", gradients: "fp16", optimizer: "adam", fp32GradientCopy: true }, "mixed-adam-fp32-grads"], // lecture: 2 + 2 + 16
      [{ weights: "fp32", gradients: "fp32", optimizer: "adam", fp32GradientCopy: false }, "fp32-adam"], // 4 + 4 + 8
      [{ weights: "bf16", gradients: "fp32", optimizer: "adam", fp32GradientCopy: false }, "bf16-adam-fp32-grads"], // Megatron: 2 + 4 + 12
    ];
    for (const [precision, name] of cases) {
      const r = PRECISION_RECIPES[name];
      expect(bytesPerParameterWith(precision), name).toEqual({
        parameters: r.parameterBytes,
        gradients: r.gradientBytes,
        optimizerStates: r.optimizerBytes,
        total: r.parameterBytes + r.gradientBytes + r.optimizerBytes,
      });
    }
  });

  it("a missing function fails with a message naming the function to define", async () => {
    const outcomes = await runQuestionSuite(memoryQuestions[3]!, [], {});
    expect(outcomes.every((o) => !o.passed && /must define a function `fitsOnGpu`/.test(o.message))).toBe(true);
  });

  it("the public ZeRO tests use the ZeRO paper's Figure 1 numbers (Ψ = 7.5B, K = 12, N = 64)", () => {
    // 120 GB, 31.4 GB, 16.6 GB, 1.88 GB per device
    const totals = ([0, 1, 2, 3] as const).map((stage) => zeroModelStates(7.5e9, "mixed-adam", stage, 64).total / 1e9);
    expect(totals.map((x) => Number(x.toPrecision(3)))).toEqual([120, 31.4, 16.6, 1.88]);
  });
});
