import { describe, expect, it } from "vitest";
import type { FlagValues, Io, ParsedArgs } from "../../src/cli/command";
import { activationsCommand } from "../../src/cli/commands/activations";
import { memoryCommand } from "../../src/cli/commands/memory";
import { paramsCommand } from "../../src/cli/commands/params";
import { planCommand } from "../../src/cli/commands/plan";
import type { CommandSpec } from "../../src/cli/command";

/** Run a command with hand-built flags (camelCase keys, as the parser produces) and capture its output. */
async function runCommand(spec: CommandSpec, flags: FlagValues, json = false): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const args: ParsedArgs = { flags, positionals: [], json };
  const code = await spec.run(args, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function runJson(spec: CommandSpec, flags: FlagValues): Promise<Record<string, unknown>> {
  const { code, out } = await runCommand(spec, flags, true);
  expect(code).toBe(0);
  return JSON.parse(out) as Record<string, unknown>;
}

describe("efflab params", () => {
  it("prints GPT-3's 174,615,822,336 parameters in JSON (Narayanan et al. 2021, Eq. 2)", async () => {
    const json = await runJson(paramsCommand, { layers: 96, hidden: 12288, vocab: 51200, seq: 2048 });
    expect(json.params).toBe(174_615_822_336);
    expect(json.approximation12lh2).toBe(173_946_175_488);
  });

  it("prints an aligned table with the formula of each term", async () => {
    const { out } = await runCommand(paramsCommand, { layers: 2, hidden: 4, vocab: 10, seq: 3 });
    expect(out).toMatch(/12lh²\s+384/);
    expect(out).toMatch(/total\s+P\s+540/);
  });
});

describe("efflab memory", () => {
  it("gives ZeRO Figure 1's 1.875 GB for 7.5B parameters, stage 3, DP 64", async () => {
    const json = await runJson(memoryCommand, { params: 7.5e9, zero: 3, dp: 64 });
    expect(json.bytesPerDevice).toBe(1.875e9);
    expect(json.breakdown).toEqual({ parameters: 0.234375e9, gradients: 0.234375e9, optimizerStates: 1.40625e9, activations: 0, inputBatch: 0 });
    expect(json.params).toBe(7.5e9);
  });

  it("reproduces the lecture's 20 GB for 1B parameters and says it fits an A100 40GB", async () => {
    const json = await runJson(memoryCommand, { params: 1e9, recipe: "mixed-adam-fp32-grads", gpu: "a100-40gb" });
    expect(json.bytesPerDevice).toBe(20e9);
    expect((json.fit as { kind: string }).kind).toBe("fits");
  });

  it("adds activations and the input batch from the catalog shape when given a micro-batch", async () => {
    const json = await runJson(memoryCommand, { model: "gpt3-175b", tp: 8, pp: 16, dp: 8, zero: 1, microBatch: 1, sequenceParallel: true, recompute: "selective", microbatches: 192 });
    const breakdown = json.breakdown as Record<string, number>;
    // 96 layers' worth on the first stage, sbh·34/t each: 96 · 2048 · 12288 · 34 / 8
    expect(breakdown.activations).toBe(96 * (2048 * 12288 * 34) / 8);
    expect(breakdown.inputBatch).toBe(2048 * 8 * 2);
    expect(json.bytesPerDevice).toBe(Object.values(breakdown).reduce((a, b) => a + b, 0));
  });

  it("prints SI and IEC columns and a does-not-fit verdict with the shortfall against the 16 GB capacity", async () => {
    const { out } = await runCommand(memoryCommand, { model: "gpt2-1.5b", gpu: "v100-16gb" });
    expect(out).toContain("SI (kB = 10^3 B, GB = 10^9 B)");
    expect(out).toContain("IEC (KiB = 2^10 B, GiB = 2^30 B)");
    expect(out).toMatch(/total\s+24,000,000,000\s+24 GB\s+22.35 GiB/);
    // available = 16e9 · 0.95 − 2^30 = 14,126,258,176 B; short = 24e9 − that = 9,873,741,824 B
    expect(out).toMatch(/does NOT fit on V100 16GB: 9.874 GB \(9.196 GiB\) short; capacity 16 GB \(14.9 GiB\)/);
  });

  it("prints each size in the unit that reads best: the input batch in kB, not 0.00003277 GB", async () => {
    const { out } = await runCommand(memoryCommand, { model: "gpt3-175b", tp: 8, pp: 16, dp: 8, zero: 1, microBatch: 1, sequenceParallel: true, recompute: "selective", microbatches: 192 });
    // s·b = 2048 token ids of 8 bytes (int64), for inputs and labels: 2048 · 8 · 2 = 32,768 bytes
    expect(out).toMatch(/input batch\s+32,768\s+32.77 kB\s+32 KiB/);
    expect(out).not.toMatch(/0\.0+\d* [GT]i?B/);
  });

  it("states the capacity convention beside a verdict: 80 GB product figure, 81920 MiB from nvidia-smi", async () => {
    const { out } = await runCommand(memoryCommand, { params: 1e9, gpu: "a100-80gb" });
    expect(out).toContain("Capacity = the product figure, 80 GB = 80,000,000,000 bytes; nvidia-smi shows 81,920 MiB = 80 GiB.");
  });

  it("refuses --model together with --params, and a micro-batch without a shape", async () => {
    await expect(runCommand(memoryCommand, { model: "gpt3-175b", params: 1e9 })).rejects.toThrow("give --model or --params, not both.");
    await expect(runCommand(memoryCommand, { params: 1e9, microBatch: 1, seq: 128 })).rejects.toThrow(/--micro-batch needs --layers/);
  });
});

describe("efflab activations", () => {
  it("gives sbh(34 + 5as/h) per layer for GPT-3 and L times that per device", async () => {
    const json = await runJson(activationsCommand, { seq: 2048, batch: 1, hidden: 12288, heads: 96, layers: 96 });
    expect(json.bytesPerLayer).toBe(2048 * 12288 * (34 + 80));
    expect(json.bytesPerDevice).toBe(96 * 2048 * 12288 * (34 + 80));
  });

  it("applies sequence parallelism and selective recompute: sbh·34/t", async () => {
    const json = await runJson(activationsCommand, { seq: 2048, batch: 1, hidden: 12288, heads: 96, tp: 8, sequenceParallel: true, recompute: "selective" });
    expect(json.bytesPerLayer).toBe((2048 * 12288 * 34) / 8);
    expect(json.breakdown).toEqual({ replicated: 0, split: (2048 * 12288 * 34) / 8, attentionScores: 0, checkpoint: 0 });
  });

  it("rejects an unknown recompute mode, naming the valid ones", async () => {
    await expect(runCommand(activationsCommand, { seq: 8, batch: 1, hidden: 8, heads: 2, recompute: "some" })).rejects.toThrow(/none, selective, full/);
  });
});

describe("efflab plan", () => {
  it("lists every fitting plan in JSON, fastest first, each with bytes and seconds", async () => {
    const json = await runJson(planCommand, { model: "gpt3-175b", gpu: "a100-80gb", gpus: 1024 });
    const plans = json.plans as { stepSeconds: number; bytesPerDevice: number; dp: number; tp: number; pp: number }[];
    expect(plans.length).toBeGreaterThan(10);
    expect(plans.length + (json.discardedForMemory as number)).toBe(json.candidates);
    for (let i = 1; i < plans.length; i++) expect(plans[i]!.stepSeconds).toBeGreaterThanOrEqual(plans[i - 1]!.stepSeconds);
    for (const p of plans) expect(p.dp * p.tp * p.pp).toBe(1024);
  });

  it("prints the top plans as a table and exits 1 when nothing fits", async () => {
    const shown = await runCommand(planCommand, { model: "gpt3-175b", gpu: "a100-80gb", gpus: 1024, top: 3 });
    expect(shown.out.split("\n").filter((l) => /^\s*\d+\s/.test(l))).toHaveLength(3);
    const none = await runCommand(planCommand, { model: "gpt3-175b", gpu: "delta-a100x4", gpus: 4, globalBatch: 8 });
    expect(none.code).toBe(1);
    expect(none.out).toContain("Nothing fits");
  });
});
