import { describe, expect, it } from "vitest";
import type { CommandSpec } from "../../src/cli/command";
import { main } from "../../src/cli/main";
import { editDistance, nearest, parseArgs, UsageError } from "../../src/cli/parse-args";

const spec: CommandSpec = {
  name: "demo",
  summary: "a command for tests",
  flags: [
    { name: "layers", type: "integer", description: "layers", required: true, placeholder: "L" },
    { name: "hidden", type: "integer", description: "hidden size", default: 1024 },
    { name: "bytes", type: "size", description: "message size" },
    { name: "params", type: "count", description: "parameters" },
    { name: "algorithm", type: "string", description: "algorithm", choices: ["naive", "tree", "ring"] },
    { name: "sequence-parallel", type: "boolean", description: "switch" },
  ],
  examples: [],
  run: () => 0,
};

function usageMessage(argv: string[]): string {
  try {
    parseArgs(spec, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("parseArgs", () => {
  it("reads typed values in both --flag value and --flag=value forms, with camelCase keys and defaults", () => {
    const parsed = parseArgs(spec, ["--layers", "24", "--bytes=1GiB", "--params", "175B", "--sequence-parallel", "--json"]);
    expect(parsed.flags).toEqual({ layers: 24, hidden: 1024, bytes: 2 ** 30, params: 175e9, sequenceParallel: true });
    expect(parsed.json).toBe(true);
  });

  it("names the nearest valid flag when a flag is misspelt", () => {
    expect(usageMessage(["--layers", "2", "--hiden", "3"])).toMatch(/Unknown flag --hiden.*Did you mean --hidden\?/);
    expect(usageMessage(["--layers", "2", "--sequence-paralel"])).toMatch(/Did you mean --sequence-parallel\?/);
  });

  it("rejects a missing required flag, a non-integer and an unknown choice with the fix", () => {
    expect(usageMessage([])).toMatch(/needs --layers L/);
    expect(usageMessage(["--layers", "2.5"])).toMatch(/--layers expects an integer, got "2.5"/);
    expect(usageMessage(["--layers", "2", "--algorithm", "rnig"])).toMatch(/one of naive, tree, ring.*Did you mean "ring"/);
    expect(usageMessage(["--layers"])).toMatch(/--layers needs a value/);
  });
});

describe("sizes and counts on the command line", () => {
  it("distinguish decimal GB (10^9) from binary GiB (2^30) and read K/M/B/T counts", () => {
    const parse = (argv: string[]) => parseArgs(spec, ["--layers", "1", ...argv]).flags;
    expect(parse(["--bytes", "1GB"]).bytes).toBe(1e9);
    expect(parse(["--bytes", "512MiB"]).bytes).toBe(536870912);
    expect(parse(["--bytes", "7.5e9"]).bytes).toBe(7.5e9);
    expect(parse(["--params", "1.5M"]).params).toBe(1.5e6);
  });

  it("reject a size without a known unit, naming the flag and the accepted units", () => {
    expect(usageMessage(["--layers", "1", "--bytes", "12 parsecs"])).toMatch(/^--bytes: Expected a size such as "1GB"/);
    expect(usageMessage(["--layers", "1", "--params", "lots"])).toMatch(/^--params: Expected a count such as "175B"/);
  });
});

describe("edit distance and suggestions", () => {
  it("takes one positional where a command says so, and names what it got (an unquoted file name with a space)", () => {
    const one: CommandSpec = { ...spec, flags: [], positionals: { name: "NOTEBOOK", description: "a notebook", min: 1, max: 1 } };
    expect(parseArgs(one, ["lab 1.ipynb"]).positionals).toEqual(["lab 1.ipynb"]);
    expect(() => parseArgs(one, ["lab", "1.ipynb"])).toThrow(
      'takes one NOTEBOOK, got 2: "lab" "1.ipynb". (A file name with spaces needs quotes.)',
    );
    expect(() => parseArgs(one, ["run", "twice"])).toThrow(/takes one NOTEBOOK, got 2: "run" "twice"\.$/);
    expect(() => parseArgs(one, [])).toThrow(/needs a NOTEBOOK\./);
  });

  it("computes Levenshtein distances", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("suggests only plausible typos", () => {
    expect(nearest("pipline", ["pipeline", "plan", "params"])).toBe("pipeline");
    expect(nearest("zzzzzz", ["pipeline", "plan"])).toBeUndefined();
  });
});

describe("efflab main", () => {
  function capture(): { io: { out(t: string): void; err(t: string): void }; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (t) => out.push(t), err: (t) => err.push(t) }, out, err };
  }

  it("suggests the nearest command for a typo and exits 2", async () => {
    const { io, err } = capture();
    expect(await main(["kernal", "doctor"], io)).toBe(2);
    expect(err.join("\n")).toMatch(/unknown command "kernal".*efflab kernel/);
  });

  it("prints help for every command without running it", async () => {
    const { io, out } = capture();
    expect(await main(["run", "--help"], io)).toBe(0);
    expect(out.join("\n")).toMatch(/Usage: efflab run NOTEBOOK\.\.\./);
    const all = capture();
    expect(await main(["--help"], all.io)).toBe(0);
    expect(all.out.join("\n")).toMatch(/kernel/);
  });

  it("reports a flag typo for a real command as a usage error (exit 2)", async () => {
    const { io, err } = capture();
    expect(await main(["run", "--timout", "5"], io)).toBe(2);
    expect(err.join("\n")).toMatch(/Did you mean --timeout\?/);
  });
});
