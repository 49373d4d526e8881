/**
 * Every mistake on the command line is a usage error: one line on stderr that starts
 * with the command ("efflab memory: "), names the flag as the user typed it (never a
 * library field such as "dataParallel"), ends by pointing to the command's help, and
 * exits with code 2. These run through `main`, the path a user's words take.
 */
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main";

async function efflab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** argv, and what the one line on stderr must say between the prefix and the pointer to --help. */
const RANGE_ERRORS: readonly [readonly string[], RegExp][] = [
  [["memory", "--model", "gpt3-175b", "--dp", "0"], /--dp must be an integer >= 1, got 0\./],
  [["memory", "--model", "gpt3-175b", "--zero", "4"], /--zero must be an integer from 0 to 3, got 4\./],
  [["memory", "--model", "gpt3-175b", "--tp", "0"], /--tp must be an integer >= 1, got 0\./],
  [["memory", "--params", "0"], /--params must be a count >= 1, got 0\./],
  [["plan", "--model", "gpt3-175b", "--gpu", "a100-80gb", "--gpus", "0"], /--gpus must be an integer >= 1, got 0\./],
  [["plan", "--model", "gpt3-175b", "--gpu", "a100-80gb", "--gpus", "8", "--global-batch", "0"], /--global-batch must be an integer >= 1, got 0\./],
  [["plan", "--model", "gpt3-175b", "--gpu", "a100-80gb", "--gpus", "8", "--efficiency", "2"], /--efficiency must be a number > 0 and <= 1, got 2\./],
  [["plan", "--model", "gpt3-175b", "--gpu", "a100-80gb", "--gpus", "8", "--top", "0"], /--top must be an integer >= 1, got 0\./],
  [["pipeline", "--schedule", "1f1b", "--stages", "4", "--microbatches", "0"], /--microbatches must be an integer >= 1, got 0\./],
  [["pipeline", "--schedule", "gpipe", "--stages", "4", "--microbatches", "4", "--forward", "-1"], /--forward must be a number >= 0, got -1\./],
  [["activations", "--seq", "2048", "--batch", "1", "--hidden", "12288", "--heads", "96", "--layers", "0"], /--layers must be an integer >= 1, got 0\./],
  [["params", "--layers", "0", "--hidden", "8"], /--layers must be an integer >= 1, got 0\./],
  [["allreduce", "--workers", "0", "--bytes", "1GB"], /--workers must be an integer >= 1, got 0\./],
  [["allreduce", "--workers", "8", "--bytes", "1GB", "--bandwidth", "0"], /--bandwidth must be a number > 0, got 0\./],
  [["grade", "a.ipynb", "--out", "results", "--jobs", "0"], /--jobs must be an integer >= 1, got 0\./],
  [["grade", "a.ipynb", "--out", "results", "--memory-limit", "1MB"], /--memory-limit must be a size >= 64 MiB, got 1MB\./],
  [["run", "--timeout", "0"], /--timeout must be an integer >= 1, got 0\./],
];

describe("range errors", () => {
  it.each(RANGE_ERRORS)("efflab %j names the flag, exits 2 and points to --help", async (argv, message) => {
    const { code, out, err } = await efflab(...argv);
    expect(code).toBe(2);
    expect(out).toBe("");
    const command = argv[0]!;
    expect(err.startsWith(`efflab ${command}: `)).toBe(true);
    expect(err).toMatch(message);
    expect(err.endsWith(`(see efflab ${command} --help)`)).toBe(true);
    expect(err.split("\n")).toHaveLength(1);
  });

  it("never shows the library's field names for a flag", async () => {
    for (const [argv] of RANGE_ERRORS) {
      const { err } = await efflab(...argv);
      // a bare field name, not preceded by the flag's dashes
      expect(err).not.toMatch(/(?<!--)\b(gpus|dataParallel|tensorParallel|pipelineParallel|zeroStage|globalBatch|microBatch)\b/);
    }
  });

  it("rewrites a combination the library rejects in the flags' words (--microbatches, not microbatches)", async () => {
    const { code, err } = await efflab("pipeline", "--schedule", "interleaved", "--stages", "4", "--microbatches", "6");
    expect(code).toBe(2);
    expect(err).toBe(
      "efflab pipeline: Expected --microbatches to be a multiple of stages (4) for the interleaved schedule, got 6. Use e.g. 8. (see efflab pipeline --help)",
    );
  });

  it("shows each flag's range in --help", async () => {
    const { out } = await efflab("memory", "--help");
    expect(out).toMatch(/--zero 0-3 .*default: 0; from 0 to 3/);
    expect(out).toMatch(/--dp N .*default: 1; >= 1/);
  });
});

describe("model and GPU names", () => {
  it.each(["gpt3", "gpt-3", "GPT-3", "gpt3-175b", "GPT-3 175B", "gpt_3"])("reads --model %s as GPT-3", async (name) => {
    const { code, out } = await efflab("memory", "--model", name, "--json");
    expect(code).toBe(0);
    expect((JSON.parse(out) as { model: string }).model).toBe("gpt3-175b");
  });

  it("suggests the nearest model for an unknown name, and both when two are as near", async () => {
    const typo = await efflab("memory", "--model", "gtp3");
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/^efflab memory: unknown model "gtp3" for --model\. Did you mean gpt3-175b\? Known: bert-large, /);
    const gpt4 = await efflab("memory", "--model", "gpt4");
    expect(gpt4.err).toMatch(/Did you mean gpt2-1\.5b or gpt3-175b\?/);
    expect(gpt4.err.endsWith("(see efflab memory --help)")).toBe(true);
  });

  it("asks which one when a name fits several entries", async () => {
    const { code, err } = await efflab("memory", "--params", "1B", "--gpu", "a100");
    expect(code).toBe(2);
    expect(err).toMatch(/--gpu "a100" could be a100-40gb or a100-80gb: give one of them\./);
    const megatron = await efflab("plan", "--model", "megatron", "--gpu", "a100-80gb", "--gpus", "8");
    expect(megatron.err).toMatch(/could be megatron-22b or megatron-530b or megatron-1t/);
  });

  it("reads GPU and node spellings: A100-80GB, a100_80gb, a100-80, h100, Delta's node names", async () => {
    for (const gpu of ["A100-80GB", "a100_80gb", "a100-80", "A100 80GB"]) {
      const { code, out } = await efflab("memory", "--params", "1B", "--gpu", gpu, "--json");
      expect(code).toBe(0);
      expect((JSON.parse(out) as { fit: { gpu: string } }).fit.gpu).toBe("a100-80gb");
    }
    const h100 = await efflab("memory", "--params", "1B", "--gpu", "h100", "--json");
    expect((JSON.parse(h100.out) as { fit: { gpu: string } }).fit.gpu).toBe("h100-80gb");
    const node = await efflab("plan", "--model", "gpt2", "--gpu", "Delta-A100x4", "--gpus", "8", "--global-batch", "64", "--json");
    expect((JSON.parse(node.out) as { node: string }).node).toBe("delta-a100x4");
  });
});

describe("choices", () => {
  it("accept a schedule spelt as in the papers (1F1B, GPipe, ZB-H1)", async () => {
    for (const [typed, name] of [["1F1B", "1f1b"], ["GPipe", "gpipe"], ["ZB-H1", "zb-h1"]] as const) {
      const { code, out } = await efflab("pipeline", "--schedule", typed, "--stages", "2", "--microbatches", "2", "--json");
      expect(code).toBe(0);
      expect((JSON.parse(out) as { schedule: string }).schedule).toBe(name);
    }
  });
});

describe("sizes written in two words", () => {
  it("answers --bytes 1 GB with the one-word spelling", async () => {
    const { code, err } = await efflab("allreduce", "--workers", "8", "--bytes", "1", "GB");
    expect(code).toBe(2);
    expect(err).toBe("efflab allreduce: --bytes 1 GB: write the number and its unit as one word. Did you mean --bytes 1GB? (see efflab allreduce --help)");
  });

  it("suggests the unit's spelling for 1 gib and 1gb, and the count's for --params 175 B", async () => {
    expect((await efflab("allreduce", "--workers", "8", "--bytes", "1", "gib")).err).toMatch(/Did you mean --bytes 1GiB\?/);
    expect((await efflab("allreduce", "--workers", "8", "--bytes", "1gb")).err).toMatch(/got "1gb"\..* Did you mean 1GB\?/);
    expect((await efflab("memory", "--params", "175", "B")).err).toMatch(/Did you mean --params 175B\?/);
  });

  it("reads a quoted '1 GB' as 10^9 bytes, so the JSON output is exact", async () => {
    const { code, out } = await efflab("allreduce", "--workers", "8", "--bytes", "1 GB", "--json");
    expect(code).toBe(0);
    expect((JSON.parse(out) as { bytes: number }).bytes).toBe(1e9);
  });
});

describe("tables", () => {
  it("efflab activations prints one row for one layer, and a separate total for L layers", async () => {
    const one = await efflab("activations", "--seq", "2048", "--batch", "1", "--hidden", "12288", "--heads", "96");
    expect(one.out).toMatch(/one layer/);
    expect(one.out).not.toMatch(/^1 layer/m);
    const many = await efflab("activations", "--seq", "2048", "--batch", "1", "--hidden", "12288", "--heads", "96", "--layers", "96");
    // sbh(34 + 5as/h) = 2048 · 12288 · 114 = 2,868,903,936 bytes per layer
    expect(many.out).toMatch(/one layer\s+2,868,903,936\s+2.869 GB\s+2.672 GiB/);
    expect(many.out).toMatch(/96 layers\s+275,414,777,856\s+275.4 GB\s+256.5 GiB/);
  });

  it("efflab params prints the count with the suffix that reads best (K, M, B), not 0.000B", async () => {
    expect((await efflab("params", "--layers", "2", "--hidden", "4", "--vocab", "10", "--seq", "3")).out).toMatch(/^P = 540 \(rule of thumb 12lh² = 384\)$/m);
    // BERT-Large's layers: 12 · 24 · 1024² + 13 · 24 · 1024 = 302,309,376
    expect((await efflab("params", "--layers", "24", "--hidden", "1024")).out).toMatch(/^P = 302.3M \(rule of thumb 12lh² = 302M\)$/m);
    expect((await efflab("params", "--layers", "96", "--hidden", "12288", "--vocab", "51200", "--seq", "2048")).out).toMatch(/^P = 174.6B /m);
  });

  it("efflab allreduce prints small messages in kB and their bandwidths in MB/s", async () => {
    const { out } = await efflab("allreduce", "--workers", "64", "--bytes", "4KiB", "--preset", "slingshot-200g");
    expect(out).toContain("all-reduce of 4.096 kB (4 KiB)");
    expect(out).toMatch(/ring \*\s+\S+ \S+\s+8.064 kB \(7.875 KiB\)\s+\d+(\.\d+)? MB\/s/);
    expect(out).not.toMatch(/0\.00\d+ GB/);
  });
});

describe("efflab plan with a GPU count no layout can use", () => {
  it("says why nothing was tried and names the nearest counts that work", async () => {
    // 1000 = 2^3 · 5^3: with t <= 8 and p <= 96 layers, d must hold a factor 5, which does not divide 1536
    const { code, out } = await efflab("plan", "--model", "gpt3", "--gpu", "a100-80gb", "--gpus", "1000");
    expect(code).toBe(1);
    expect(out).toMatch(/No layout of 1000 GPUs exists: data × tensor × pipeline must equal 1000/);
    expect(out).toMatch(/Try --gpus 996 or 1008\.$/);
    for (const gpus of ["996", "1008"]) {
      const tried = await efflab("plan", "--model", "gpt3", "--gpu", "a100-80gb", "--gpus", gpus, "--json");
      expect((JSON.parse(tried.out) as { candidates: number }).candidates).toBeGreaterThan(0);
    }
  });
});

describe("unknown commands", () => {
  it("point to efflab --help and exit 2", async () => {
    const { code, err } = await efflab("memroy");
    expect(code).toBe(2);
    expect(err).toBe('efflab: unknown command "memroy". Did you mean `efflab memory`? (see efflab --help)');
  });
});
