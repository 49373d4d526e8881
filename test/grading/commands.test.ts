import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import type { Io, ParsedArgs } from "../../src/cli/command";
import { gradeCommand } from "../../src/cli/commands/grade";
import { releaseCommand } from "../../src/cli/commands/release";
import { main } from "../../src/cli/main";
import { ensureGraderBuilt, TOY_HIDDEN, TOY_QUESTIONS, TOY_SUBMISSIONS } from "./built-grader";

function capture(): Io & { readonly outText: () => string; readonly errText: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (t) => out.push(t), err: (t) => err.push(t), outText: () => out.join("\n"), errText: () => err.join("\n") };
}

function args(flags: ParsedArgs["flags"], positionals: readonly string[] = [], json = false): ParsedArgs {
  return { flags, positionals, json };
}

const toyFlags = { questions: TOY_QUESTIONS, onlyQuestions: true, hidden: path.dirname(TOY_HIDDEN), timeLimit: 8 };

describe("efflab grade", () => {
  beforeAll(() => ensureGraderBuilt(), 300_000);

  test("--json reports each submission with exact numbers and exits 0 even for low scores", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-grade-"));
    const io = capture();
    const files = ["reference", "missing-cell"].map((f) => path.join(TOY_SUBMISSIONS, `${f}.ipynb`));
    const code = await gradeCommand.run(args({ ...toyFlags, out, jobs: 2 }, files, true), io);
    expect(code).toBe(0);
    const report = JSON.parse(io.outText()) as { submissions: { name: string; score: number; maxScore: number; unchanged: boolean }[]; summaryPath: string };
    expect(report.submissions.map((s) => [s.name, s.score, s.maxScore, s.unchanged])).toEqual([
      ["missing-cell", 5, 8, true],
      ["reference", 8, 8, true],
    ]);
    expect(fs.existsSync(path.join(out, "reference", "results.json"))).toBe(true);
    expect(fs.existsSync(report.summaryPath)).toBe(true);
    // not a terminal: one plain progress line per submission
    expect(io.errText().split("\n").filter((l) => l.startsWith("graded "))).toHaveLength(2);
  }, 300_000);

  test("--shard 2/2 grades every second submission of the sorted list", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-shard-"));
    const io = capture();
    const files = ["reference", "missing-cell", "moved-cell"].map((f) => path.join(TOY_SUBMISSIONS, `${f}.ipynb`));
    expect(await gradeCommand.run(args({ ...toyFlags, out, shard: "2/2" }, files, true), io)).toBe(0);
    // sorted: missing-cell, moved-cell, reference -> shard 2 of 2 is moved-cell
    expect((JSON.parse(io.outText()) as { submissions: { name: string }[] }).submissions.map((s) => s.name)).toEqual(["moved-cell"]);
  }, 300_000);

  test("the human output is an aligned table with units", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-table-"));
    const io = capture();
    expect(await gradeCommand.run(args({ ...toyFlags, out }, [path.join(TOY_SUBMISSIONS, "reference.ipynb")]), io)).toBe(0);
    expect(io.outText()).toMatch(/^submission\s+score\s+max\s+time \(s\)\nreference\s+8\s+8\s+\d+\.\d\d/);
  }, 300_000);

  test("bad flags are refused with the value and the fix, as usage errors (exit 2)", async () => {
    const io = capture();
    expect(await main(["grade", "a.ipynb", "--out", "x", "--jobs", "0"], io)).toBe(2);
    expect(io.errText()).toContain("efflab grade: --jobs must be an integer >= 1, got 0. (see efflab grade --help)");
    expect(await main(["grade", "a.ipynb", "--out", "x", "--shard", "3/2"], io)).toBe(2);
    expect(io.errText()).toContain('efflab grade: Expected --shard as I/N with 1 <= I <= N (e.g. 2/4), got "3/2".');
    expect(await main(["grade", "a.ipynb"], io)).toBe(2);
    expect(io.errText()).toContain("`efflab grade` needs --out DIR.");
  });

  test("a grader that cannot load its questions exits 2", async () => {
    const io = capture();
    const code = await gradeCommand.run(args({ out: fs.mkdtempSync(path.join(os.tmpdir(), "efflab-broken-")), questions: "/nonexistent/questions.ts", onlyQuestions: true }, [path.join(TOY_SUBMISSIONS, "reference.ipynb")]), io);
    expect(code).toBe(2);
    expect(io.errText()).toMatch(/The grader could not run/);
  });
});

describe("efflab release", () => {
  test("--json lists what was written", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "efflab-rel-")), "release");
    const io = capture();
    expect(await releaseCommand.run(args({ out, hidden: path.dirname(TOY_HIDDEN) }, [], true), io)).toBe(0);
    const manifest = JSON.parse(io.outText()) as { studentDir: string; hiddenFiles: string[] };
    expect(manifest.studentDir).toBe(path.join(out, "student"));
    expect(manifest.hiddenFiles).toEqual([path.join("test", "fixtures", "toy", "toy.hidden.ts")]);
  }, 300_000);
});
