/**
 * The student edition of the course's own notebooks: what `efflab release` writes for
 * students, and `efflab check` on it (0 public checks pass) and on the masters (all pass).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import type { Io, ParsedArgs } from "../../src/cli/command";
import { checkCommand } from "../../src/cli/commands/check";
import { checkNotebook, progressLine, publicChecksSetup } from "../../src/grading/check-notebooks";
import { cellSourceText, type NotebookJson } from "../../src/grading/notebook-cells";
import { ANSWER_PRELUDE, NOTEBOOK_SETUP_CELL } from "../../src/grading/notebook-setup";
import { courseQuestions } from "../../src/grading/questions";
import type { ReleaseManifest } from "../../src/grading/release";
import { ensureGraderBuilt, ROOT } from "./built-grader";
import { cachedRelease } from "./cached-release";

const MASTERS = path.join(ROOT, "notebooks");
const LABS = fs.readdirSync(MASTERS).filter((f) => courseQuestions.some((q) => q.notebook === f)).sort();
const publicTestsOf = (file: string) => courseQuestions.filter((q) => q.notebook === file).reduce((s, q) => s + q.publicTests.length, 0);

let manifest: ReleaseManifest;

beforeAll(() => {
  ensureGraderBuilt();
  manifest = cachedRelease(); // what `efflab release` writes: the last lab's edition (read only)
}, 300_000);

function capture(): { io: Io; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => out.push(t), err: (t) => err.push(t) }, out, err };
}

describe("the student edition's files", () => {
  test("its README is written for students: setup, labs, checking, submitting; no instructor sections", () => {
    const readme = fs.readFileSync(path.join(manifest.studentDir, "README.md"), "utf8");
    for (const heading of ["## Setup", "## The labs", "## Checking", "## Submitting"]) expect(readme).toContain(heading);
    for (const file of LABS) expect(readme).toContain(`notebooks/${file}`);
    expect(readme).not.toMatch(/For instructors|Authoring a question|Grading a class|efflab release|efflab grade|hidden suites|mutant/i);
    expect(fs.readFileSync(path.join(ROOT, "README.md"), "utf8")).toContain("## For instructors");
  });

  test("npm test runs efflab check, and no script points at files the edition does not ship", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(manifest.studentDir, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts["test"]).toBe("node bin/efflab.js check");
    for (const script of Object.values(pkg.scripts)) expect(script).not.toMatch(/vitest|bench|test:browser/);
  });

  test("every lab's first code cell is the shared setup cell, and the grader compiles answers after its declarations", () => {
    for (const file of LABS) {
      const nb = JSON.parse(fs.readFileSync(path.join(MASTERS, file), "utf8")) as NotebookJson;
      const first = nb.cells.find((c) => c.cell_type === "code");
      expect(cellSourceText(first?.source ?? ""), file).toBe(NOTEBOOK_SETUP_CELL);
    }
    expect(NOTEBOOK_SETUP_CELL.startsWith(ANSWER_PRELUDE)).toBe(true);
    expect(ANSWER_PRELUDE).not.toContain("await");
    // The setup cell ends with a declaration: the kernel prints nothing for it.
    expect(NOTEBOOK_SETUP_CELL.split("\n").pop()).toMatch(/^const tensorBackend = await lab\.initTensors\(\);/);
  });
});

describe("efflab check", () => {
  test("the untouched student edition passes 0 public checks of each lab; efflab check exits 1", async () => {
    const loaded = publicChecksSetup();
    for (const file of LABS) {
      const result = await checkNotebook(path.join(manifest.studentDir, "notebooks", file), loaded);
      expect(result.total, file).toBe(publicTestsOf(file));
      expect(result.passed, file).toBe(0);
      expect(result.reports.flatMap((r) => r.outcomes).every((o) => /Not implemented/.test(o.message)), file).toBe(true);
      expect(progressLine(result)).toMatch(new RegExp(`^Lab \\d+: 0 of ${publicTestsOf(file)} public checks pass$`));
    }
    const { io, out } = capture();
    const code = await checkCommand.run({ positionals: [path.join(manifest.studentDir, "notebooks", LABS[1]!)], flags: {}, json: false } as unknown as ParsedArgs, io);
    expect(code).toBe(1);
    expect(out.join("\n")).toMatch(/✗ .*\n\s+Not implemented: adam\./);
    expect(out.join("\n")).toContain(`Lab 2: 0 of ${publicTestsOf(LABS[1]!)} public checks pass`);
  }, 600_000);

  test("the master notebooks pass every public check; efflab check exits 0", async () => {
    const { io, out } = capture();
    const code = await checkCommand.run({ positionals: LABS.map((f) => path.join(MASTERS, f)), flags: {}, json: false } as unknown as ParsedArgs, io);
    const text = out.join("\n");
    for (const file of LABS) {
      const n = publicTestsOf(file);
      expect(text).toContain(`Lab ${Number(file.slice(0, 2))}: ${n} of ${n} public checks pass`);
    }
    expect(text).not.toContain("✗");
    expect(code).toBe(0);
  }, 600_000);

  test("a notebook that does not exist is a usage error naming it", async () => {
    const { io, err } = capture();
    const code = await checkCommand.run({ positionals: ["notebooks/99-missing.ipynb"], flags: {}, json: false } as unknown as ParsedArgs, io);
    expect(code).toBe(2);
    expect(err.join("\n")).toMatch(/no such notebook: .*99-missing\.ipynb/);
  });
});
