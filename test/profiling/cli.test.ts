import { describe, expect, it } from "vitest";
import type { CommandSpec, FlagValues, Io } from "../../src/cli/command";
import { flopsCommand } from "../../src/cli/commands/flops";
import { precisionCommand } from "../../src/cli/commands/precision";

async function run(spec: CommandSpec, flags: FlagValues, json = true): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await spec.run({ flags, positionals: [], json }, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const GPT3_FLAGS = { layers: 96, hidden: 12288, vocab: 51200, seq: 2048, batch: 1536 };

describe("efflab flops", () => {
  it("reproduces GPT-3's 3.14e23 training FLOPs (Brown et al. 2020, Table D.1) without recomputation", async () => {
    const json = JSON.parse((await run(flopsCommand, { ...GPT3_FLAGS, tokens: 300e9 })).out);
    expect(json.parameters).toBe(174_615_822_336);
    expect(Number(json.trainingFlops.toPrecision(3))).toBe(3.14e23);
    expect(json.trainingDays).toBeNull();
  });

  it("reproduces Narayanan et al.'s 34 days for GPT-3 on 1024 A100s at 140 TFLOP/s with full recomputation (§5.1, Eq. 4)", async () => {
    const json = JSON.parse((await run(flopsCommand, { ...GPT3_FLAGS, recompute: "full", tokens: 300e9, gpus: 1024, tflopsPerGpu: 140, peakTflops: 312 })).out);
    expect(json.trainingFlops).toBe(8 * 174_615_822_336 * 300e9);
    expect(Math.round(json.trainingDays)).toBe(34);
    expect(json.iterationFlops).toBe(96 * 1536 * 2048 * 96 * 12288 ** 2 + 16 * 1536 * 2048 ** 2 * 96 * 12288 + 6 * 1536 * 2048 * 12288 * 51200);
    expect(json.hfu).toBeCloseTo(140 / 312, 12);
    expect(json.mfu).toBeLessThan(json.hfu);
  });

  it("a measured step time gives MFU and HFU", async () => {
    const json = JSON.parse((await run(flopsCommand, { ...GPT3_FLAGS, recompute: "full", gpus: 1024, stepTime: 30, peakTflops: 312 })).out);
    expect(json.secondsPerIteration).toBe(30);
    expect(json.mfu).toBeCloseTo(json.modelIterationFlops / (30 * 1024 * 312e12), 15);
    expect(json.hfu).toBeCloseTo(json.iterationFlops / (30 * 1024 * 312e12), 15);
  });

  it("refuses both a sustained rate and a step time, exit 2", async () => {
    const r = await run(flopsCommand, { ...GPT3_FLAGS, tflopsPerGpu: 140, stepTime: 30 });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/either --tflops-per-gpu .* or --step-time/);
  });

  it("prints a table naming Eq. 3 and Eq. 4", async () => {
    const { out } = await run(flopsCommand, { ...GPT3_FLAGS, recompute: "full", tokens: 300e9, gpus: 1024, tflopsPerGpu: 140 }, false);
    expect(out).toMatch(/Eq\. 3: 96Bslh²/);
    expect(out).toMatch(/days to train\s+33\.8/);
  });
});

describe("efflab precision", () => {
  it("prints every format's limits exactly (fp16: 65504, 6.103515625e-5, 5.960464477539063e-8, 2^-10)", async () => {
    const json = JSON.parse((await run(precisionCommand, {})).out);
    expect(json.formats.map((f: { name: string }) => f.name)).toEqual(["fp32", "fp16", "bf16", "fp8-e4m3", "fp8-e5m2"]);
    expect(json.formats[1]).toEqual({ name: "fp16", max: 65504, minNormal: 6.103515625e-5, minSubnormal: 5.960464477539063e-8, epsilon: 2 ** -10 });
    expect(json.formats[2].max.toPrecision(3)).toBe("3.39e+38");
    expect(json.formats[2].epsilon).toBe(2 ** -7);
    expect(json.formats[3].max).toBe(448);
    expect(json.formats[4].max).toBe(57344);
  });

  it("rounds 0.1 to 0.0999755859375 in fp16", async () => {
    const json = JSON.parse((await run(precisionCommand, { round: 0.1, format: "fp16" })).out);
    expect(json).toMatchObject({ value: 0.1, rounded: 0.0999755859375, bits: "0 01011 1001100110" });
  });

  it("prints overflow as the strings Infinity and NaN (JSON has no such numbers)", async () => {
    expect(JSON.parse((await run(precisionCommand, { round: 70000, format: "fp16" })).out).rounded).toBe("Infinity");
    expect(JSON.parse((await run(precisionCommand, { round: 1000, format: "fp8-e4m3" })).out).rounded).toBe("NaN");
  });
});
