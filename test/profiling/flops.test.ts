import { describe, expect, it } from "vitest";
import { flopsReport, iterationFlops, iterationFlopsClosedForm, recomputeTradeoffs, trainingFlopsRule, trainingSeconds, utilisation, mlpStepFlops } from "../../src/profiling";
import { transformerParameters } from "../../src/memory";

/** GPT-3 175B (Brown et al. 2020, Table 2.1; Megatron's padded vocabulary, Narayanan et al. 2021 §5.1). */
const GPT3 = { layers: 96, hidden: 12288, vocab: 51200, seq: 2048, batch: 1536 };
const GPT3_TOKENS = 300e9; // Brown et al. 2020, Table D.1

describe("FLOPs accounting", () => {
  it("GPT-3's training compute is 3.14e23 FLOPs = 3640 PF-days by 6PD (Brown et al. 2020, Table D.1)", () => {
    const P = transformerParameters(GPT3).total; // 174.6B (Eq. 2)
    const C = trainingFlopsRule(P, GPT3_TOKENS);
    expect(C.forward).toBe(2 * P * GPT3_TOKENS);
    expect(C.backward).toBe(2 * C.forward);
    expect(C.recompute).toBe(0);
    expect(Number(C.total.toPrecision(3))).toBe(3.14e23);
    expect(Math.round(C.total / (1e15 * 86400))).toBe(3638); // Table D.1 prints 3.64E+03 PF-days
  });

  it("full recomputation adds a forward pass: 8PD", () => {
    const C = trainingFlopsRule(1e9, 1e6, "full");
    expect(C).toEqual({ forward: 2e15, backward: 4e15, recompute: 2e15, total: 8e15 });
  });

  it("Narayanan et al. 2021 §5.1: GPT-3 on 1024 A100s at 140 TFLOP/s trains 300B tokens in about 34 days (Eq. 4)", () => {
    const days = trainingSeconds(GPT3_TOKENS, 175e9, 1024, 140e12) / 86400;
    expect(days).toBeCloseTo(33.9, 1);
    expect(Math.round(days)).toBe(34);
  });

  it("Eq. 3 expanded term by term equals its closed form, with and without recomputation", () => {
    for (const shape of [GPT3, { layers: 2, hidden: 64, vocab: 1000, seq: 128, batch: 3 }]) {
      expect(iterationFlops(shape, "full").total / iterationFlopsClosedForm(shape, "full")).toBeCloseTo(1, 12);
      expect(iterationFlops(shape, "none").total / iterationFlopsClosedForm(shape, "none")).toBeCloseTo(1, 12);
    }
  });

  it("Eq. 3 is within a few percent of 6PD (none) and 8PD (full) for GPT-3, per iteration", () => {
    const P = transformerParameters(GPT3).total;
    const tokens = GPT3.batch * GPT3.seq;
    expect(iterationFlops(GPT3, "none").total / (6 * P * tokens)).toBeGreaterThan(1);
    expect(iterationFlops(GPT3, "none").total / (6 * P * tokens)).toBeLessThan(1.04); // s/(6h) = 2.8% attention
    expect(iterationFlops(GPT3, "full").total / (8 * P * tokens)).toBeLessThan(1.04);
  });

  it("MFU counts model FLOPs only, HFU counts recomputation (PaLM, Appendix B)", () => {
    const u = utilisation({ modelFlops: 6e18, hardwareFlops: 8e18, seconds: 100, devices: 1000, peakFlops: 312e12 });
    expect(u.mfu).toBeCloseTo(6e18 / (100 * 1000 * 312e12), 15);
    expect(u.hfu / u.mfu).toBeCloseTo(4 / 3, 12);
    expect(u.modelFlopsPerDevice).toBe(6e13);
  });

  it("flopsReport: GPT-3 with full recomputation at 140 TFLOP/s is ~34 days, HFU = 140/312 of peak", () => {
    const r = flopsReport({ ...GPT3, recompute: "full", tokens: GPT3_TOKENS, gpus: 1024, flopsPerGpu: 140e12, peakFlops: 312e12 });
    expect(r.parameters).toBe(174_615_822_336);
    expect(Math.round(r.trainingDays!)).toBe(34);
    expect(r.hfu).toBeCloseTo(140 / 312, 12);
    expect(r.mfu! / r.hfu!).toBeCloseTo(iterationFlopsClosedForm(GPT3, "none") / iterationFlopsClosedForm(GPT3, "full"), 12);
  });

  it("recomputation: selective saves most activation memory for ~1% more FLOPs, full a third more (GPT-3, t = 8, SP)", () => {
    const [none, selective, full] = recomputeTradeoffs({ ...GPT3, heads: 96, batch: 1 }, { tensorParallel: 8, sequenceParallel: true });
    expect(selective!.memoryRatio).toBeCloseTo(34 / (34 + 80), 12); // Table 2: 34/t vs (34 + 5as/h)/t
    expect(selective!.flopsRatio - 1).toBeLessThan(0.02);
    expect(full!.flopsRatio).toBeCloseTo(4 / 3, 2);
    expect(none!.flopsRatio).toBe(1);
  });

  it("an MLP step's model FLOPs are 6PB", () => {
    expect(mlpStepFlops([4, 3, 2], 5)).toEqual({ forward: 2 * 18 * 5, backward: 4 * 18 * 5, total: 6 * 18 * 5 });
  });

  it("rejects a non-positive size with the value in the message", () => {
    expect(() => trainingFlopsRule(0, 1)).toThrow(/P \(parameters\) to be a finite number > 0, got 0/);
  });
});

describe("lab 6 figures from the numbers", () => {
  it("the recomputation figure plots extra FLOPs in percent against activation GB", async () => {
    const { recomputeTradeoffFigure } = await import("../../src/plot");
    const rows = recomputeTradeoffs({ ...GPT3, heads: 96, batch: 1 }, { tensorParallel: 8, sequenceParallel: true });
    const fig = recomputeTradeoffFigure(rows, "GPT-3");
    expect(fig.data[0]!.x).toEqual(rows.map((r) => 100 * (r.flopsRatio - 1)));
    expect(fig.data[0]!.y).toEqual(rows.map((r) => r.activationBytes / 1e9));
  });

  it("the loss-scale figure marks every skipped step at the scale it used", async () => {
    const { lossScaleFigure } = await import("../../src/plot");
    const fig = lossScaleFigure([{ name: "S", scales: [4, 2, 2, 4], skipped: [0] }]);
    expect(fig.data[1]!.x).toEqual([0]);
    expect(fig.data[1]!.y).toEqual([4]);
  });
});
