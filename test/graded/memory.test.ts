import { describe, expect, it } from "vitest";
import { PRECISION_RECIPES, fitsOnGpu as libraryFitsOnGpu, layerActivationBytes, zeroModelStates, customRecipe, BYTES_PER_GB, BYTES_PER_GIB } from "../../src/memory";
import type { ZeroStage, RecomputeMode } from "../../src/memory";
import { questionProblems } from "../../src/grading/question-registry";
import { bytesPerParameterWith, memoryQuestions, type TrainingPrecision } from "../../src/grading/questions/memory";
import { memoryHiddenTests } from "./hidden/memory.hidden";
import { loadMutants, runQuestionSuite, stubImplementation } from "./optim-suite-helpers";

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
  it("are well formed: ids, exports, points, a hint on every test, hidden tests for every question", () => {
    expect(questionProblems(memoryQuestions)).toEqual([]);
    expect(memoryQuestions.map((q) => q.id)).toEqual(["memory.bytesPerParameter", "memory.zeroPerDevice", "memory.activationsPerLayer", "memory.fitsOnGpu"]);
    for (const q of memoryQuestions) {
      for (const t of q.publicTests) expect(t.hint.length).toBeGreaterThan(10);
      expect(memoryHiddenTests.some((h) => h.questionId === q.id && h.tests.length > 0)).toBe(true);
    }
  });

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

  it("the reference solution passes every public and hidden test", async () => {
    for (const q of memoryQuestions) {
      const outcomes = await runQuestionSuite(q, memoryHiddenTests, reference);
      expect(outcomes.filter((o) => !o.passed), q.id).toEqual([]);
    }
  });

  it("a stub that throws `Not implemented: <id>` fails every test, with that message, without crashing", async () => {
    for (const q of memoryQuestions) {
      const outcomes = await runQuestionSuite(q, memoryHiddenTests, stubImplementation(q));
      expect(outcomes.length).toBeGreaterThan(0);
      for (const o of outcomes) {
        expect(o.passed, `${q.id}: ${o.name}`).toBe(false);
        expect(o.message).toContain(`Not implemented: ${q.id}`);
      }
    }
  });

  it("a missing function fails with a message naming the function to define", async () => {
    const outcomes = await runQuestionSuite(memoryQuestions[3]!, [], {});
    expect(outcomes.every((o) => !o.passed && /must define a function `fitsOnGpu`/.test(o.message))).toBe(true);
  });

  it("every mutant (at least 3 per question) loses points, and a failing message names its mistake", async () => {
    const mutants = await loadMutants("memory");
    for (const q of memoryQuestions) expect(mutants.filter((m) => m.mutantOf === q.id).length, q.id).toBeGreaterThanOrEqual(3);
    for (const mutant of mutants) {
      const question = memoryQuestions.find((q) => q.id === mutant.mutantOf);
      expect(question, mutant.file).toBeDefined();
      const outcomes = await runQuestionSuite(question!, memoryHiddenTests, mutant.impl);
      const failed = outcomes.filter((o) => !o.passed);
      expect(failed.length, `${mutant.file} should fail at least one test`).toBeGreaterThan(0);
      expect(failed.map((o) => o.message).join("\n"), mutant.file).toMatch(mutant.expectedMessage);
    }
  });

  it("the public ZeRO tests use the ZeRO paper's Figure 1 numbers (Ψ = 7.5B, K = 12, N = 64)", () => {
    // 120 GB, 31.4 GB, 16.6 GB, 1.88 GB per device
    const totals = ([0, 1, 2, 3] as const).map((stage) => zeroModelStates(7.5e9, "mixed-adam", stage, 64).total / 1e9);
    expect(totals.map((x) => Number(x.toPrecision(3)))).toEqual([120, 31.4, 16.6, 1.88]);
  });
});
