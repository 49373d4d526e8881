import { describe, expect, it } from "vitest";
import {
  bytesPerParameter,
  customRecipe,
  deviceMemory,
  footprintTable,
  modelStateMemory,
  PRECISION_RECIPES,
  RECIPE_NAMES,
  resolveRecipe,
  zeroModelStates,
  type ZeroStage,
} from "../../src/memory";

const GB = 1e9;
/** Round to `digits` significant digits, the way the papers print numbers. */
const sig = (x: number, digits = 3) => Number(x.toPrecision(digits));

/** A value matches a printed number when it is within half a unit of the printed last digit. */
function expectPrinted(value: number, printed: string): void {
  const decimals = printed.includes(".") ? printed.split(".")[1]!.length : 0;
  expect(Math.abs(value - Number(printed)), `${value} printed as ${printed}`).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

describe("precision recipes (DESIGN.md definitions)", () => {
  it("cost 16, 20, 16 and 18 bytes per parameter", () => {
    expect(bytesPerParameter("mixed-adam")).toBe(2 + 2 + 12);
    expect(bytesPerParameter("mixed-adam-fp32-grads")).toBe(2 + 2 + 16);
    expect(bytesPerParameter("fp32-adam")).toBe(4 + 4 + 8);
    expect(bytesPerParameter("bf16-adam-fp32-grads")).toBe(2 + 4 + 12);
  });

  it("reproduce the lecture's slide: 1B parameters need 20 GB per GPU", () => {
    expect(deviceMemory(1e9, { recipe: "mixed-adam-fp32-grads" }).total).toBe(20 * GB);
  });

  it("accept custom recipes and reject unknown names and negative bytes", () => {
    expect(bytesPerParameter(customRecipe("adam-8bit", 2, 2, 6))).toBe(10);
    expect(() => resolveRecipe("adamw")).toThrow(/one of mixed-adam, .*got "adamw"/);
    expect(() => customRecipe("bad", 2, -1, 4)).toThrow("Expected recipe gradientBytes to be a number of bytes >= 0, got -1.");
    expect(RECIPE_NAMES).toEqual(Object.keys(PRECISION_RECIPES));
  });
});

describe("the lecture's memory-wall table (COURSE.md item 4)", () => {
  it("gives 5.12, 24, 275 and 2800 GB at 16 bytes per parameter and 1×, 4.7×, 54×, 547× compute", () => {
    const rows = footprintTable();
    expect(rows.map((r) => r.model)).toEqual(["BERT-Large", "GPT-2", "Turing-NLG", "GPT-3"]);
    expect(rows.map((r) => sig(r.footprintBytes / GB))).toEqual([5.12, 24, 275, 2800]);
    expect(rows.map((r) => sig(r.relativeCompute, 2))).toEqual([1, 4.7, 54, 550]);
    expect(Math.round(rows[3]!.relativeCompute)).toBe(547);
  });
});

describe("ZeRO model states per device (Rajbhandari et al. 2020)", () => {
  it("reproduces Figure 1: Ψ = 7.5B, N = 64, K = 12 gives 120, 31.4, 16.6 and 1.88 GB", () => {
    // Stage 0: (2 + 2 + 12)·7.5e9 = 120e9
    // Stage 1: 2Ψ + 2Ψ + 12Ψ/64 = 30e9 + 1.40625e9 = 31.40625e9
    // Stage 2: 2Ψ + 14Ψ/64 = 15e9 + 1.640625e9 = 16.640625e9
    // Stage 3: 16Ψ/64 = 1.875e9
    const totals = ([0, 1, 2, 3] as const).map((zeroStage) => modelStateMemory(7.5e9, { zeroStage, dataParallel: 64 }).total);
    expect(totals).toEqual([120e9, 31.40625e9, 16.640625e9, 1.875e9]);
    expect(totals.map((t) => sig(t / GB))).toEqual([120, 31.4, 16.6, 1.88]);
  });

  // ZeRO Table 1: per-device memory (GB) for P_os, P_os+g, P_os+g+p by DP degree, as printed.
  const table1: readonly (readonly [number, number, readonly [string, string, string]])[] = [
    [7.5e9, 4, ["52.5", "41.3", "30"]],
    [7.5e9, 16, ["35.6", "21.6", "7.5"]],
    [7.5e9, 64, ["31.4", "16.6", "1.88"]],
    [7.5e9, 1024, ["30.1", "15.1", "0.12"]],
    [128e9, 64, ["536", "284", "32"]],
  ];
  it.each(table1)("reproduces ZeRO Table 1 for Ψ = %s at DP degree %s", (psi, N, printed) => {
    ([1, 2, 3] as const).forEach((zeroStage, i) => {
      const gb = modelStateMemory(psi, { zeroStage, dataParallel: N }).total / GB;
      expectPrinted(gb, printed[i]!);
    });
  });

  it("fits a 1T-parameter model in 15.6 GB per device on 1024 GPUs with stage 3 (ZeRO Table 1, §1)", () => {
    expectPrinted(modelStateMemory(1e12, { zeroStage: 3, dataParallel: 1024 }).total / GB, "15.6");
  });

  it("reproduces §3.1's GPT-2 example: 1.5B parameters, 3 GB of fp16 weights and at least 24 GB of model states", () => {
    const states = modelStateMemory(1.5e9);
    expect(states.parameters).toBe(3 * GB);
    expect(states.total).toBe(24 * GB);
  });

  it("partitions exactly the states each stage names, for many N and Ψ", () => {
    for (const N of [1, 2, 3, 8, 64, 1000]) {
      for (const psi of [1e3, 7.5e9, 1.3e11]) {
        const [s0, s1, s2, s3] = ([0, 1, 2, 3] as ZeroStage[]).map((z) => zeroModelStates(psi, "mixed-adam", z, N));
        expect(s1!.optimizerStates).toBeCloseTo(s0!.optimizerStates / N, 0);
        expect(s1!.gradients).toBe(s0!.gradients);
        expect(s2!.gradients).toBeCloseTo(s0!.gradients / N, 0);
        expect(s2!.parameters).toBe(s0!.parameters);
        expect(s3!.parameters).toBeCloseTo(s0!.parameters / N, 0);
        // More partitioning never costs memory, and N = 1 changes nothing.
        expect(s0!.total).toBeGreaterThanOrEqual(s1!.total);
        expect(s1!.total).toBeGreaterThanOrEqual(s2!.total);
        expect(s2!.total).toBeGreaterThanOrEqual(s3!.total);
        if (N === 1) expect(s3!.total).toBe(s0!.total);
        // Stage 3 summed over the N ranks is exactly one replica: nothing lost, nothing duplicated.
        expect(s3!.total * N).toBeCloseTo(s0!.total, -1);
      }
    }
  });

  it("divides by t·p for tensor and pipeline parallelism", () => {
    const whole = modelStateMemory(175e9);
    const split = modelStateMemory(175e9, { tensorParallel: 8, pipelineParallel: 16 });
    expect(split.total).toBeCloseTo(whole.total / 128, 0);
    expect(split.parameters + split.gradients + split.optimizerStates).toBe(split.total);
  });

  it("rejects a ZeRO stage of 4 and a data-parallel degree of 0, naming them", () => {
    expect(() => modelStateMemory(1e9, { zeroStage: 4 as ZeroStage })).toThrow("Expected zeroStage to be 0, 1, 2 or 3, got 4.");
    expect(() => modelStateMemory(1e9, { dataParallel: 0 })).toThrow("Expected dataParallel to be an integer >= 1, got 0.");
    expect(() => modelStateMemory(-5)).toThrow(/parameters/);
  });
});
