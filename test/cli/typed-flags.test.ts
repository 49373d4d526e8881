/**
 * A command's `run` receives the values its flags declare, typed: TypeScript infers
 * them from the declaration (checked by `tsc`, which compiles this file), and the
 * values are checked before `run` sees them, whether they come from argv or are
 * passed to `run` directly.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { defineCommand, type FlagSpec, type FlagValuesOf, type FlagValues, type Io } from "../../src/cli/command";
import { memoryCommand } from "../../src/cli/commands/memory";
import { main } from "../../src/cli/main";
import { parseArgs, UsageError } from "../../src/cli/parse-args";

/** "I/N" with 1 <= I <= N, as `efflab grade --shard` reads it. */
function shardOf(text: string): { index: number; count: number } {
  const [index, count] = text.split("/").map(Number);
  if (!(index! >= 1 && count! >= index!)) throw new Error(`Expected --shard as I/N with 1 <= I <= N, got "${text}".`);
  return { index: index!, count: count! };
}

const DEMO_FLAGS = [
  { name: "gpus", type: "integer", required: true, min: 1, placeholder: "N", description: "GPUs" },
  { name: "model", type: "string", default: "gpt3-175b", choices: ["gpt2-1.5b", "gpt3-175b"], description: "model" },
  { name: "bytes", type: "size", default: "1GiB", description: "message size" },
  { name: "out", type: "string", placeholder: "DIR", description: "folder" },
  { name: "export", type: "string", choices: ["deepspeed", "megatron", "slurm"], description: "launcher" },
  { name: "shard", type: "string", parse: shardOf, placeholder: "I/N", description: "shard" },
  { name: "dry-run", type: "boolean", description: "write nothing" },
] as const satisfies readonly FlagSpec[];

type DemoFlags = FlagValuesOf<typeof DEMO_FLAGS>;

/** What the last run of `demo` received. */
let received: DemoFlags | undefined;

const demo = defineCommand({
  name: "demo",
  summary: "a command for tests",
  flags: DEMO_FLAGS,
  examples: [],
  run(args) {
    received = args.flags;
    return 0;
  },
});

const quiet: Io = { out: () => {}, err: () => {} };

/** Run `demo` on argv through the parser, as `main` does; returns what `run` received. */
function fromArgv(argv: readonly string[]): DemoFlags {
  received = undefined;
  demo.run(parseArgs(demo, argv), quiet);
  return received!;
}

/** Run `demo` on values built by hand, as a test or a script calls a command. */
function byHand(flags: FlagValues): DemoFlags {
  received = undefined;
  demo.run({ flags, positionals: [], json: false }, quiet);
  return received!;
}

/** The usage error `run` throws, from argv and from the same values built by hand: one message. */
function usageMessage(argv: readonly string[], flags?: FlagValues): string {
  const messages = [() => fromArgv(argv), ...(flags === undefined ? [] : [() => byHand(flags)])].map((attempt) => {
    try {
      attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    throw new Error("expected a UsageError");
  });
  expect(new Set(messages).size).toBe(1);
  return messages[0]!;
}

describe("the types run receives, inferred from the declaration", () => {
  it("reads integers, sizes, choices and parse results, optional unless required or defaulted", () => {
    expectTypeOf<DemoFlags["gpus"]>().toEqualTypeOf<number>();
    expectTypeOf<DemoFlags["model"]>().toEqualTypeOf<"gpt2-1.5b" | "gpt3-175b">();
    expectTypeOf<DemoFlags["bytes"]>().toEqualTypeOf<number>();
    expectTypeOf<DemoFlags["out"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<DemoFlags["export"]>().toEqualTypeOf<"deepspeed" | "megatron" | "slurm" | undefined>();
    expectTypeOf<DemoFlags["shard"]>().toEqualTypeOf<{ index: number; count: number } | undefined>();
    expectTypeOf<DemoFlags["dryRun"]>().toEqualTypeOf<boolean | undefined>();
    // @ts-expect-error a flag the command does not declare has no value
    expectTypeOf<DemoFlags["dry-run"]>().toBeUnknown();
  });
});

describe("values from argv", () => {
  it("arrive typed, with defaults (a size default given as text is read as bytes) and parse applied", () => {
    expect(fromArgv(["--gpus", "8", "--shard", "2/4", "--dry-run", "--out=run/"])).toEqual({
      gpus: 8,
      model: "gpt3-175b",
      bytes: 2 ** 30,
      out: "run/",
      shard: { index: 2, count: 4 },
      dryRun: true,
    });
    expect(fromArgv(["--gpus", "1", "--model", "GPT2-1.5B", "--bytes", "2GB"])).toEqual({ gpus: 1, model: "gpt2-1.5b", bytes: 2e9 });
  });
});

describe("values built by hand", () => {
  it("pass the same checks: text is read as argv is, values must have the flag's type", () => {
    expect(byHand({ gpus: "8", bytes: "512MiB", shard: "1/1" })).toEqual({ gpus: 8, model: "gpt3-175b", bytes: 2 ** 29, shard: { index: 1, count: 1 } });
    expect(byHand({ gpus: 8, bytes: 4096, dryRun: false })).toEqual({ gpus: 8, model: "gpt3-175b", bytes: 4096, dryRun: false });
  });

  it("drop keys the command does not declare", () => {
    expect(byHand({ gpus: 2, layers: 96 })).toEqual({ gpus: 2, model: "gpt3-175b", bytes: 2 ** 30 });
  });

  it("give a real command the same result as its command line", async () => {
    const outputs: string[] = [];
    const io: Io = { out: (t) => outputs.push(t), err: (t) => outputs.push(t) };
    await memoryCommand.run({ flags: { params: "7.5B", zero: "3", dp: "64" }, positionals: [], json: true }, io);
    await memoryCommand.run({ flags: { params: 7.5e9, zero: 3, dp: 64 }, positionals: [], json: true }, io);
    await main(["memory", "--params", "7.5B", "--zero", "3", "--dp", "64", "--json"], io);
    expect(new Set(outputs).size).toBe(1);
    expect((JSON.parse(outputs[0]!) as { bytesPerDevice: number }).bytesPerDevice).toBe(1.875e9); // ZeRO, Figure 1
  });
});

describe("mistakes, answered the same way from argv and by hand", () => {
  it("a wrong type names the flag and what it expects", () => {
    expect(usageMessage(["--gpus", "four"], { gpus: "four" })).toBe('--gpus expects an integer, got "four".');
    expect(usageMessage(["--gpus", "2.5"], { gpus: "2.5" })).toBe('--gpus expects an integer, got "2.5".');
    expect(() => byHand({ gpus: 2.5 })).toThrow("--gpus expects an integer, got 2.5.");
    expect(() => byHand({ gpus: true })).toThrow("--gpus expects an integer, got true.");
    expect(() => byHand({ gpus: 1, dryRun: 1 })).toThrow("--dry-run expects a switch, got 1.");
    expect(usageMessage(["--gpus", "1", "--dry-run=maybe"], { gpus: 1, dryRun: "maybe" })).toBe('--dry-run is a switch: write --dry-run (or --dry-run=false), got "maybe".');
  });

  it("a value out of range names the flag and the range", () => {
    expect(usageMessage(["--gpus", "0"], { gpus: 0 })).toBe("--gpus must be an integer >= 1, got 0.");
    expect(usageMessage(["--gpus", "-3"], { gpus: -3 })).toBe("--gpus must be an integer >= 1, got -3.");
  });

  it("a missing required flag is named with its placeholder", () => {
    expect(usageMessage(["--bytes", "1GB"], { bytes: 1e9 })).toBe("`efflab demo` needs --gpus N.");
  });

  it("a choice not in the list lists them and suggests the nearest", () => {
    expect(usageMessage(["--gpus", "1", "--export", "slrum"], { gpus: 1, export: "slrum" })).toBe(
      '--export must be one of deepspeed, megatron, slurm; got "slrum". Did you mean "slurm"?',
    );
  });

  it("a value parse rejects is a usage error with parse's message", () => {
    expect(usageMessage(["--gpus", "1", "--shard", "3/2"], { gpus: 1, shard: "3/2" })).toBe('Expected --shard as I/N with 1 <= I <= N, got "3/2".');
  });

  it("a typo'd flag name is answered with the nearest flag", () => {
    expect(usageMessage(["--gpu", "8"])).toBe("Unknown flag --gpu for `efflab demo`. Did you mean --gpus?");
    expect(usageMessage(["--gpus", "8", "--dryrun"])).toBe("Unknown flag --dryrun for `efflab demo`. Did you mean --dry-run?");
  });

  it("reach the user as one line on stderr, exit code 2, pointing to the command's help", async () => {
    for (const [argv, message] of [
      [["plan", "--model", "gpt3", "--gpu", "a100-80gb", "--gpus", "four"], 'efflab plan: --gpus expects an integer, got "four". (see efflab plan --help)'],
      [["plan", "--model", "gpt3", "--gpu", "a100-80gb"], "efflab plan: `efflab plan` needs --gpus N. (see efflab plan --help)"],
      [["plan", "--model", "gpt3", "--gpu", "a100-80gb", "--gpus", "8", "--global-bach", "64"], "efflab plan: Unknown flag --global-bach for `efflab plan`. Did you mean --global-batch? (see efflab plan --help)"],
      [["grade", "a.ipynb", "--out", "x", "--hidden-visibility", "secret"], 'efflab grade: --hidden-visibility must be one of visible, hidden, after_due_date, after_published; got "secret". (see efflab grade --help)'],
    ] as const) {
      const err: string[] = [];
      expect(await main(argv, { out: () => {}, err: (t) => err.push(t) })).toBe(2);
      expect(err).toEqual([message]);
    }
  });
});
