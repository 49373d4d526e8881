import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main";

async function efflab(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("efflab memory --estimator deepspeed", () => {
  it("--json gives DeepSpeed's ZeRO-3 bytes for the documentation's 2,851M-parameter example", async () => {
    const r = await efflab(["memory", "--estimator", "deepspeed", "--zero", "3", "--params", "2851M", "--largest-layer", "32M", "--gpus-per-node", "8", "--offload-optimizer", "cpu", "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    // 4L + ⌊2P/8⌋ on the GPU; P · 16 · 1.5 on the CPU (zero_init, one node)
    expect(json).toMatchObject({ gpuBytes: 128_000_000 + 712_750_000, cpuBytes: 68_424_000_000, offloadOptimizer: "cpu", offloadParams: "none", zeroInit: true });
  });

  it("prints DeepSpeed's table, its 'GB' read as GiB, and the chosen row", async () => {
    const r = await efflab(["memory", "--estimator", "deepspeed", "--zero", "2", "--params", "2851M", "--gpus-per-node", "8", "--offload-optimizer", "cpu"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}127\.45GB \| {3}5\.31GB \| offload_optimizer=cpu/m);
    expect(r.out).toMatch(/read those figures as GiB/);
    expect(r.out).toMatch(/per GPU 5,702,000,000 bytes/);
  });

  it("--zero-init false and --nodes change the ZeRO-3 CPU figure as DeepSpeed's code does", async () => {
    const r = await efflab(["memory", "--estimator", "deepspeed", "--zero", "3", "--params", "2851M", "--largest-layer", "32M", "--gpus-per-node", "8", "--nodes", "2",
      "--offload-optimizer", "cpu", "--offload-params", "cpu", "--zero-init", "false", "--json"]);
    expect(JSON.parse(r.out)).toMatchObject({ gpuBytes: 128_000_000, cpuBytes: 2851e6 * 32 * 1.5 });
  });

  it("usage errors exit 2 and say what to add", async () => {
    expect(await efflab(["memory", "--estimator", "deepspeed", "--params", "1B"])).toMatchObject({ code: 2, err: expect.stringMatching(/add --zero 2 or --zero 3/) });
    expect(await efflab(["memory", "--estimator", "deepspeed", "--zero", "3", "--params", "1B"])).toMatchObject({ code: 2, err: expect.stringMatching(/needs --largest-layer/) });
    expect(await efflab(["memory", "--estimator", "deepspeed", "--zero", "2", "--params", "1B", "--offload-params", "cpu"])).toMatchObject({ code: 2, err: expect.stringMatching(/ZeRO-3 only/) });
  });
});
