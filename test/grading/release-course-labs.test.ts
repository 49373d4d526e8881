/**
 * This course's per-lab releases, lab 01 to 06 (`efflab release --lab NN`): each edition
 * has the notebooks 00..NN; in its compiled library, loaded in a child process, every
 * reference of lab NN and later throws "Not implemented in the student edition: this is
 * exercise <id> of lab <LL>" however it is called, while earlier labs' references still
 * pass their own questions' public tests as in the master; its Gradescope bundle has only
 * lab NN's hidden suites, with lab NN's references working and later labs' stubbed.
 *
 * Each edition is built once, and they share their compilation (LibraryCompileCache).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { questionLabNumber } from "../../src/grading/library-solutions";
import { labOfQuestion } from "../../src/grading/question-registry";
import { courseQuestions } from "../../src/grading/questions";
import { buildRelease, notebookLabNumber, type ReleaseManifest } from "../../src/grading/release";
import { libraryStubMessage } from "../../src/grading/solution-markers";
import { libraryCompileCache } from "../../src/grading/student-library";
import { runStubProbe, stubProblems } from "../../src/grading/stub-probe";
import { ensureGraderBuilt, ROOT } from "./built-grader";

const LABS = [1, 2, 3, 4, 5, 6] as const;
const NODE_MODULES = path.join(ROOT, "node_modules");
const releases = new Map<number, ReleaseManifest>();
const labOf = (id: string): number => questionLabNumber(courseQuestions.find((q) => q.id === id)!)!;

/**
 * In a child process, each question of `labs` whose answer the library exports under the
 * same names is checked with the library's own functions: passed and total public tests.
 */
function publicTestsWithLibrary(dist: string, labs: readonly number[]): Record<string, string> {
  const script = `
    const path = require("path");
    const [dist, labs] = [process.argv[1], process.argv[2].split(",").map(Number)];
    (async () => {
      const lib = require(path.join(dist, "index.js"));
      await lib.initTensors();
      const { courseQuestions } = require(path.join(dist, "grading", "questions", "index.js"));
      const { runGradedTests } = require(path.join(dist, "grading", "test-outcome.js"));
      const out = {};
      for (const q of courseQuestions) {
        if (!labs.includes(Number(q.notebook.slice(0, 2))) || !q.exports.every((n) => typeof lib[n] === "function")) continue;
        const outcomes = await runGradedTests(q.publicTests, Object.fromEntries(q.exports.map((n) => [n, lib[n]])), { questionId: q.id, suite: "public" });
        out[q.id] = outcomes.filter((o) => o.passed).length + " of " + outcomes.length;
      }
      console.log(JSON.stringify(out));
      process.exit(0);
    })();`;
  const stdout = execFileSync(process.execPath, ["-e", script, dist, labs.join(",")], { encoding: "utf8", env: { ...process.env, NODE_PATH: NODE_MODULES } });
  return JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, string>;
}

beforeAll(() => {
  ensureGraderBuilt();
  const cache = libraryCompileCache();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-course-labs-"));
  const started = Date.now();
  for (const lab of LABS) releases.set(lab, buildRelease({ outDir: path.join(scratch, `lab-${lab}`), root: ROOT, lab, compileCache: cache }));
  console.log(`this course: 6 per-lab releases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 600_000);

describe.each(LABS)("the release of lab %i", (lab) => {
  test("has the notebooks 00..NN and no later one", () => {
    const masters = fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
    const expected = masters.filter((f) => notebookLabNumber(f)! <= lab).sort();
    expect(expected.length).toBe(lab + 1);
    expect(fs.readdirSync(path.join(releases.get(lab)!.studentDir, "notebooks")).sort()).toEqual(expected);
  });

  test("stubs every reference of this lab and later labs, each throwing its exercise's message however it is called", () => {
    const manifest = releases.get(lab)!;
    const later = courseQuestions.filter((q) => labOf(q.id) >= lab);
    const expected = new Set(later.flatMap((q) => q.references ?? []));
    expect(expected.size).toBeGreaterThan(0);
    expect(new Set(manifest.stubbed.map((s) => s.name))).toEqual(expected);
    for (const s of manifest.stubbed) {
      expect(later.find((q) => q.id === s.questionId)?.references, s.name).toContain(s.name);
      expect(s.message).toBe(libraryStubMessage(s.questionId, labOf(s.questionId)));
    }
    const request = { library: path.join(manifest.studentDir, "dist", "index.js"), stubbed: manifest.stubbed, kept: manifest.kept };
    const calls = runStubProbe(request, NODE_MODULES);
    expect(stubProblems(request, calls)).toEqual([]);
    for (const name of expected) expect(calls.filter((c) => c.name === name && c.outcome === "threw").length, name).toBeGreaterThanOrEqual(1);
  });

  test("keeps earlier labs' references working: their questions' public tests pass with the edition's library as with the master's", () => {
    const manifest = releases.get(lab)!;
    expect(new Set(manifest.kept)).toEqual(new Set(courseQuestions.filter((q) => labOf(q.id) < lab).flatMap((q) => q.references ?? [])));
    if (lab === 1) return expect(manifest.kept).toEqual([]);
    const earlier = LABS.filter((l) => l < lab);
    const inMaster = publicTestsWithLibrary(path.join(ROOT, "dist"), earlier);
    const inEdition = publicTestsWithLibrary(path.join(manifest.studentDir, "dist"), earlier);
    expect(inEdition).toEqual(inMaster);
    // gd (labs 2-6) and Adam (labs 3-6) are among them, fully passing: lab 3 has a working Adam.
    expect(inEdition["gd.step"]).toBe("3 of 3");
    if (lab >= 3) expect(inEdition["adam.step"]).toMatch(/^(\d+) of \1$/);
  }, 120_000);

  test("has a Gradescope bundle for this lab only: its hidden suites, its references working, later labs' stubbed", () => {
    const manifest = releases.get(lab)!;
    const prefixes = [...new Set(courseQuestions.filter((q) => labOf(q.id) === lab).map((q) => labOfQuestion(q.id)))];
    expect(manifest.hiddenFiles.map((f) => path.basename(f)).sort()).toEqual(prefixes.map((p) => `${p}.hidden.ts`).sort());
    const runner = fs.readFileSync(path.join(manifest.autograderDir, "run_autograder"), "utf8");
    if (prefixes.length === 1) expect(runner).toContain(`--lab ${prefixes[0]!} `);
    else expect(runner).not.toContain("--lab");
    const laterStubs = manifest.stubbed.filter((s) => s.lab > lab);
    const ownRefs = courseQuestions.filter((q) => labOf(q.id) === lab).flatMap((q) => q.references ?? []);
    const request = { library: path.join(manifest.autograderDir, "source", "dist", "index.js"), stubbed: laterStubs, kept: ownRefs };
    expect(stubProblems(request, runStubProbe(request, NODE_MODULES))).toEqual([]);
  });
});
