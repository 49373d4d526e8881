import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { buildRelease, hiddenTexts, releaseLeaks, solutionTexts, type ReleaseManifest } from "../../src/grading/release";
import type { ParsedArgs } from "../../src/cli/command";
import { releaseCommand } from "../../src/cli/commands/release";
import { toyQuestions } from "../fixtures/toy/toy.questions";
import { ROOT, TOY_HIDDEN, TOY_MASTER } from "./built-grader";
import { cachedRelease } from "./cached-release";

let manifest: ReleaseManifest;
let outDir: string;

beforeAll(() => {
  const notebooks = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-masters-"));
  const master = JSON.parse(fs.readFileSync(TOY_MASTER, "utf8")) as { cells: { outputs?: unknown[] }[] };
  // A master with an output that prints a solution line: it must be cleared.
  master.cells[3]!.outputs = [{ output_type: "stream", name: "stdout", text: ["return a + b;\n"] }];
  fs.writeFileSync(path.join(notebooks, "toy.ipynb"), JSON.stringify(master));
  outDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "efflab-release-")), "release");
  manifest = buildRelease({ outDir, root: ROOT, notebooksDir: notebooks, hiddenDir: path.dirname(TOY_HIDDEN) });
}, 300_000);

describe("efflab release", () => {
  test("the student notebook has stubs in place of solutions and no outputs", () => {
    const text = fs.readFileSync(path.join(manifest.studentDir, "notebooks", "toy.ipynb"), "utf8");
    const nb = JSON.parse(text) as { cells: { source: string[]; outputs?: unknown[] }[] };
    const sources = nb.cells.map((c) => c.source.join(""));
    expect(sources.filter((s) => s.includes('throw new Error("Not implemented: toy.'))).toHaveLength(3);
    expect(sources.join("\n")).not.toMatch(/BEGIN SOLUTION|return a \+ b|total \/ xs\.length|tf\.sqrt/);
    expect(nb.cells.every((c) => c.outputs === undefined || c.outputs.length === 0)).toBe(true);
  });

  test("neither solution text nor hidden-test text is anywhere in the student edition", () => {
    const secrets = [...solutionTexts(fs.readFileSync(TOY_MASTER, "utf8")), ...hiddenTexts([TOY_HIDDEN]), "SECRET_EXPECTED_TOY_ADD", "toy.hidden"];
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    expect(releaseLeaks(manifest.studentDir, secrets)).toEqual([]);
    expect(fs.existsSync(path.join(manifest.studentDir, "test"))).toBe(false);
  });

  test("the leak search finds a planted secret (it can fail)", () => {
    const planted = path.join(manifest.studentDir, "data", "planted.txt");
    fs.writeFileSync(planted, "let total = 0;\n  for (const x of xs) total += x;\n  return total / xs.length;");
    const leaks = releaseLeaks(manifest.studentDir, solutionTexts(fs.readFileSync(TOY_MASTER, "utf8")));
    fs.rmSync(planted);
    expect(leaks.map((l) => path.basename(l.file))).toEqual(["planted.txt"]);
  });

  test("the Gradescope bundle has setup.sh, run_autograder and the hidden suites", () => {
    for (const script of ["setup.sh", "run_autograder"]) {
      const stat = fs.statSync(path.join(manifest.autograderDir, script));
      expect(stat.mode & 0o111).not.toBe(0);
    }
    expect(fs.readFileSync(path.join(manifest.autograderDir, "run_autograder"), "utf8")).toMatch(/efflab\.js grade .*\n.*--hidden[\s\S]*\/autograder\/results\/results\.json/);
    expect(fs.existsSync(path.join(manifest.autograderDir, "source", "test", "fixtures", "toy", "toy.hidden.ts"))).toBe(true);
    expect(fs.existsSync(path.join(manifest.autograderDir, "source", "dist", "index.js"))).toBe(true);
  });

  test("the GitHub Classroom workflow grades the notebooks on push", () => {
    const yml = fs.readFileSync(path.join(manifest.classroomDir, ".github", "workflows", "classroom.yml"), "utf8");
    expect(yml).toMatch(/on:\n\s+push:/);
    expect(yml).toContain("efflab.js grade notebooks/*.ipynb");
  });

  test("a solution that is also in the library stops the release", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-leaky-"));
    fs.writeFileSync(path.join(root, "package.json"), "{}");
    fs.mkdirSync(path.join(root, "src"));
    fs.writeFileSync(path.join(root, "src", "mean.ts"), "export function mean(xs) {\n  let total = 0;\n  for (const x of xs) total += x;\n  return total / xs.length;\n}\n");
    fs.mkdirSync(path.join(root, "notebooks"));
    fs.copyFileSync(TOY_MASTER, path.join(root, "notebooks", "toy.ipynb"));
    expect(() => buildRelease({ outDir: path.join(root, "..", `${path.basename(root)}-out`), root, hiddenDir: path.join(root, "none"), questions: toyQuestions })).toThrow(/would leak 1 secret.*src\/mean\.ts/);
  });

  test("efflab release --lab names a lab that has a master notebook", () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "efflab-lab-")), "release");
    const run = () => releaseCommand.run({ positionals: [], flags: { out, lab: 9 }, json: false } as unknown as ParsedArgs, { out: () => undefined, err: () => undefined });
    expect(run).toThrow(/Expected --lab to name a lab with a master notebook \(NN-name\.ipynb in .*notebooks\), got 9; the notebooks are: 00-welcome\.ipynb, 01-gradient-descent\.ipynb/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("refuses to replace a folder that is not an earlier release", () => {
    const busy = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-busy-"));
    fs.writeFileSync(path.join(busy, "thesis.tex"), "x");
    expect(() => buildRelease({ outDir: busy, root: ROOT })).toThrow(/new or empty folder/);
    expect(() => buildRelease({ outDir: path.dirname(ROOT), root: ROOT })).toThrow(/outside the checkout's ancestors/);
    expect(fs.existsSync(path.join(busy, "thesis.tex"))).toBe(true);
  });
});

describe("efflab release of this course", () => {
  test("releases every lab's notebook with stubs and finds no solution or hidden text in the student edition", () => {
    // buildRelease throws when its own leak search finds anything (solutions, hidden suites' text and names);
    // the release without --lab (the last lab's) is built once and shared with other test files (read only).
    const course = cachedRelease();
    const notebooks = fs.readdirSync(path.join(course.studentDir, "notebooks")).filter((f) => f.endsWith(".ipynb"));
    const masters = fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
    expect(notebooks.sort()).toEqual(masters.sort());
    for (const name of notebooks) {
      const text = fs.readFileSync(path.join(course.studentDir, "notebooks", name), "utf8");
      expect(text.includes("BEGIN SOLUTION"), `${name} still has a solution block`).toBe(false);
    }
  }, 300_000);
});
