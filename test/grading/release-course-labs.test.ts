/**
 * This course's per-lab releases, lab 01 to 06 (`efflab release --lab NN`): each edition
 * has the notebooks 00..NN; in its compiled library, loaded in a child process, every
 * reference of lab NN and later throws "Not implemented in the student edition: this is
 * exercise <id> of lab <LL>" however it is called, while earlier labs' references still
 * pass their own questions' public tests as in the master; its Gradescope bundle has only
 * lab NN's hidden suites, with lab NN's references working and later labs' stubbed.
 *
 * Each edition is built once per state of the checkout and shared with the other test files
 * (cached-release.ts); this file works on its own copies, since `efflab check` links node_modules into them.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { questionLabNumber } from "../../src/grading/library-solutions";
import { labOfQuestion } from "../../src/grading/question-registry";
import { courseQuestions } from "../../src/grading/questions";
import { notebookLabNumber, type ReleaseManifest } from "../../src/grading/release";
import { libraryStubMessage } from "../../src/grading/solution-markers";
import { runStubProbe, stubProblems } from "../../src/grading/stub-probe";
import { answerMarkerId, cellSourceText, type NotebookJson } from "../../src/grading/notebook-cells";
import { RECORDING_FILE } from "../../src/grading/recorded-expectations";
import { answeredEditionOf } from "../../src/grading/solution-markers";
import { runNotebook } from "../../src/notebook/run-notebooks";
import { ensureGraderBuilt, ROOT } from "./built-grader";
import { cachedRelease, copyRelease } from "./cached-release";

const LABS = [1, 2, 3, 4, 5, 6] as const;
const NODE_MODULES = path.join(ROOT, "node_modules");
const releases = new Map<number, ReleaseManifest>();
let scratch = "";
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

/** One mutant per lab (test/fixtures/mutants): a wrong answer that must still fail its public test in the edition. */
const MUTANT_OF_LAB: Readonly<Record<number, string>> = {
  1: "gd/step-wrong-sign.ts",
  2: "adam/moments-g-not-squared.ts",
  3: "dp/step-summed.ts",
  4: "memory/fitsOnGpu-gib-as-gb.ts",
  5: "pipeline/gpipe-backwards-reversed.ts",
  6: "precision/lossScaler-grows-late.ts",
};

/** `efflab check <notebook>` run by the edition's own CLI and compiled library. */
function editionCheck(studentDir: string, notebook: string): string {
  const link = path.join(studentDir, "node_modules");
  if (!fs.existsSync(link)) fs.symlinkSync(NODE_MODULES, link, "dir");
  try {
    return execFileSync(process.execPath, [path.join(studentDir, "bin", "efflab.js"), "check", notebook], { encoding: "utf8", cwd: studentDir, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    return String((error as { stdout?: unknown }).stdout ?? "");
  }
}

/** `editionCheck` of several notebooks at once (one process each, so both cores work); their outputs in order. */
function editionChecks(studentDir: string, notebooks: readonly string[]): Promise<string[]> {
  const link = path.join(studentDir, "node_modules");
  if (!fs.existsSync(link)) fs.symlinkSync(NODE_MODULES, link, "dir");
  const run = (notebook: string) =>
    new Promise<string>((resolve) => {
      execFile(process.execPath, [path.join(studentDir, "bin", "efflab.js"), "check", notebook], { encoding: "utf8", cwd: studentDir }, (_error, stdout) => resolve(String(stdout ?? "")));
    });
  return Promise.all(notebooks.map(run));
}

/** [passed, total] from the progress line "Lab N: X of Y public checks pass". */
function progress(output: string, lab: number): [number, number] {
  const m = new RegExp(`Lab ${lab}: (\\d+) of (\\d+) public checks pass`).exec(output);
  if (m === null) throw new Error(`no progress line for lab ${lab} in:\n${output}`);
  return [Number(m[1]), Number(m[2])];
}

/** The master notebook of `lab` with one answer cell replaced by a mutant's cell (the text from its `// @answer` line). */
function notebookWithMutant(lab: number, mutantFile: string, dir: string): { notebook: string; questionId: string; expectedMessage: RegExp } {
  const master = fs.readdirSync(path.join(ROOT, "notebooks")).find((f) => notebookLabNumber(f) === lab)!;
  const mutant = fs.readFileSync(path.join(ROOT, "test", "fixtures", "mutants", mutantFile), "utf8");
  const cell = mutant.slice(mutant.indexOf("\n// @answer ") + 1);
  const questionId = answerMarkerId(cell)!;
  const expectedMessage = new RegExp(/expectedMessage = \/(.*)\/;/.exec(mutant)![1]!);
  const json = JSON.parse(fs.readFileSync(path.join(ROOT, "notebooks", master), "utf8")) as NotebookJson;
  const target = json.cells.find((c) => c.cell_type === "code" && answerMarkerId(cellSourceText(c.source)) === questionId);
  if (target === undefined) throw new Error(`${master} has no answer cell ${questionId}`);
  (target as { source: string | string[] }).source = cell;
  const notebook = path.join(dir, master);
  fs.writeFileSync(notebook, JSON.stringify(json, null, 1));
  return { notebook, questionId, expectedMessage };
}

beforeAll(() => {
  ensureGraderBuilt();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-course-labs-"));
  const started = Date.now();
  for (const lab of LABS) releases.set(lab, copyRelease(cachedRelease(lab), path.join(scratch, `lab-${lab}`)));
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
  test("checks the master's correct answers as passing every public test of this lab with the edition's library (expected values recorded as data), the stubs as 0, and a wrong answer with its message", async () => {
    const manifest = releases.get(lab)!;
    const own = courseQuestions.filter((q) => labOf(q.id) === lab);
    const publicTests = own.reduce((n, q) => n + q.publicTests.length, 0);
    const master = fs.readdirSync(path.join(ROOT, "notebooks")).find((f) => notebookLabNumber(f) === lab)!;
    const dir = fs.mkdtempSync(path.join(scratch, "mutant-"));
    const mutant = notebookWithMutant(lab, MUTANT_OF_LAB[lab]!, dir);
    const [inMaster, inStudent, output] = await editionChecks(manifest.studentDir, [path.join(ROOT, "notebooks", master), path.join(manifest.studentDir, "notebooks", master), mutant.notebook]);
    expect(progress(inMaster!, lab)).toEqual([publicTests, publicTests]);
    expect(progress(inStudent!, lab)).toEqual([0, publicTests]);
    expect(output).toMatch(new RegExp(`${mutant.questionId.replace(".", "\\.")}: \\d+ of \\d+ public tests passed`));
    expect(output).toMatch(mutant.expectedMessage);
    expect(output).not.toMatch(/No recorded expected value|Not implemented in the student edition/);
    expect(progress(output, lab)[0]).toBeLessThan(publicTests);
  }, 180_000);

  test("records only public tests of this lab's questions with stubbed references, in the student edition and not in the bundle, with no removed library line in it", () => {
    const manifest = releases.get(lab)!;
    const file = path.join(manifest.studentDir, "dist", "grading", RECORDING_FILE);
    expect(fs.existsSync(path.join(manifest.autograderDir, "source", "dist", "grading", RECORDING_FILE))).toBe(false);
    const stubbedIds = new Set(manifest.stubbed.map((r) => r.questionId));
    const own = courseQuestions.filter((q) => labOf(q.id) === lab && stubbedIds.has(q.id));
    const keys = Object.keys(JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>);
    const recordedTests = new Set(keys.map((k) => k.slice(0, k.lastIndexOf(" | #"))));
    const publicNames = new Set(own.flatMap((q) => q.publicTests.map((t) => `${q.id} | ${t.name}`)));
    for (const test of recordedTests) expect(publicNames.has(test), test).toBe(true);
    expect(recordedTests.size).toBe(manifest.recordedTests);
    // Lab 3's public tests build their expected values without a graded reference (dp.step's all-reduce is
    // reduce-scatter then all-gather), so its recording is empty; every other lab's tests call their references.
    expect(recordedTests.size > 0).toBe(lab !== 3);
  });
});

/**
 * Library solutions of a lab whose edition cannot run the student's answer: a cell that
 * needs them prints "skipped: this cell needs the library's own <id> …" in that lab. Lab 06's
 * `roundToFormat` rounds to fp16 with the student's `toFp16`; bf16 and fp8 take the general
 * rounding, which is that exercise's solution.
 */
const NOT_RUN_ON_ANSWERS: Readonly<Record<number, readonly string[]>> = { 6: ["precision.toFp16"] };

/**
 * Notebook NN of lab NN's edition with the master's answers in its answer cells, in a folder of the
 * edition whose node_modules resolves "ai-efficiency-labs" to the edition, as `npm install` there would.
 */
function answeredEditionNotebook(lab: number): string {
  const manifest = releases.get(lab)!;
  const dir = manifest.studentDir;
  // The edition's own node_modules (its compiled library requires its packages from its real path).
  const modules = path.join(dir, "node_modules");
  if (fs.existsSync(modules) && fs.lstatSync(modules).isSymbolicLink()) fs.unlinkSync(modules);
  if (!fs.existsSync(modules)) {
    fs.mkdirSync(modules);
    for (const entry of fs.readdirSync(NODE_MODULES)) {
      if (entry !== "ai-efficiency-labs") fs.symlinkSync(path.join(NODE_MODULES, entry), path.join(modules, entry));
    }
    fs.symlinkSync("..", path.join(modules, "ai-efficiency-labs"), "dir");
  }
  const name = fs.readdirSync(path.join(ROOT, "notebooks")).find((f) => notebookLabNumber(f) === lab)!;
  const read = (file: string): NotebookJson => JSON.parse(fs.readFileSync(file, "utf8")) as NotebookJson;
  const edition = answeredEditionOf(read(path.join(manifest.studentDir, "notebooks", name)), read(path.join(ROOT, "notebooks", name)));
  fs.mkdirSync(path.join(dir, "answered"), { recursive: true });
  const notebook = path.join(dir, "answered", name);
  fs.writeFileSync(notebook, JSON.stringify(edition, null, 1));
  return notebook;
}

describe.each(LABS.filter((lab) => lab >= 2))("notebook %i, answered, in its own lab's edition", (lab) => {
  test("runs every cell on the student's answers: the library's solutions of this lab run the notebook's own functions", async () => {
    const run = await runNotebook(answeredEditionNotebook(lab), { outDir: path.join(scratch, `executed-${lab}`) });
    expect(run.failures).toEqual([]);
    const executed = JSON.parse(fs.readFileSync(run.executedCopy, "utf8")) as NotebookJson;
    const code = executed.cells.filter((c) => c.cell_type === "code");
    const answerCell = new Map(code.map((c, i) => [answerMarkerId(cellSourceText(c.source)), i + 1] as const).filter(([id]) => id !== undefined));
    const allowed = NOT_RUN_ON_ANSWERS[lab] ?? [];
    const skipped = new Set<number>();
    code.forEach((cell, i) => {
      const number = i + 1;
      const text = JSON.stringify((cell as { outputs?: unknown }).outputs ?? []);
      const library = /skipped: this cell needs the library's own (\S+) /.exec(text);
      if (library !== null) {
        expect(allowed, `code cell ${number}: ${library[0]}`).toContain(library[1]);
        skipped.add(number);
      }
      // A cell above an answer cell waits for it on a first Run All; nothing else may wait.
      for (const needs of text.matchAll(/needs (\S+) \(code cell (\d+)(, further down)?\)/g)) {
        expect(Number(needs[2]), `code cell ${number}: ${needs[0]}`).toBeGreaterThan(number);
        expect(needs[3], `code cell ${number}: ${needs[0]}`).toBe(", further down");
        expect(answerCell.get(needs[1])).toBe(Number(needs[2]));
        skipped.add(number);
      }
      for (const after of text.matchAll(/needs code cell (\d+), which was skipped/g)) {
        expect(skipped.has(Number(after[1])), `code cell ${number}: ${after[0]}`).toBe(true);
        skipped.add(number);
      }
    });
    expect(run.checks).toEqual({ passed: run.checks!.total, total: run.checks!.total });
  }, 300_000);
});

describe("lab 02's edition runs the notebook's answers in the library's place", () => {
  /** `lab.adamStep` of `dist` at step 3, in a child process, after `setup` defined the kernel's names (JavaScript). */
  function adamStepWith(dist: string, setup: string): { w?: number[]; error?: string } {
    const script = `
      const path = require("path");
      (async () => {
        const lab = require(path.join(process.argv[1], "index.js"));
        await lab.initTensors();
        const tf = lab.tf;
        const answers = {};
        globalThis.__tslab__ = { exports: answers };
        ${setup}
        try {
          const z = tf.zeros([2]);
          const state = { m: tf.tensor1d([0.1, -0.2]), v: tf.tensor1d([0.01, 0.04]), t: 2 };
          const r = lab.adamStep(tf.tensor1d([1, 2]), tf.tensor1d([0.5, -1]), state, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
          console.log(JSON.stringify({ w: Array.from(r.w.dataSync()) }));
        } catch (error) {
          console.log(JSON.stringify({ error: error.message }));
        }
        process.exit(0);
      })();`;
    const stdout = execFileSync(process.execPath, ["-e", script, dist], { encoding: "utf8", env: { ...process.env, NODE_PATH: NODE_MODULES } });
    return JSON.parse(stdout.trim().split("\n").pop()!) as { w?: number[]; error?: string };
  }
  const RIGHT = `
    answers.adamMoments = (m, v, g, b1, b2) => ({ m: tf.add(tf.mul(b1, m), tf.mul(1 - b1, g)), v: tf.add(tf.mul(b2, v), tf.mul(1 - b2, tf.square(g))) });
    answers.adamBiasCorrection = (m, v, t, b1, b2) => ({ mHat: tf.div(m, 1 - b1 ** t), vHat: tf.div(v, 1 - b2 ** t) });
    answers.adamStep = () => { throw new Error("the library assembles adamMoments and adamBiasCorrection"); };`;

  test("with correct answers it computes the master's Adam step; with a wrong one, the wrong step; without one, the stub's message", () => {
    const edition = path.join(releases.get(2)!.studentDir, "dist");
    const master = adamStepWith(path.join(ROOT, "dist"), "");
    const right = adamStepWith(edition, RIGHT);
    expect(right.error).toBeUndefined();
    right.w!.forEach((w, i) => expect(w).toBeCloseTo(master.w![i]!, 6));
    const noBiasCorrection = adamStepWith(edition, `${RIGHT}\n answers.adamBiasCorrection = (m, v) => ({ mHat: m, vHat: v });`);
    expect(Math.abs(noBiasCorrection.w![0]! - master.w![0]!)).toBeGreaterThan(1e-3);
    expect(adamStepWith(edition, "").error).toBe(libraryStubMessage("adam.step", 2));
    expect(adamStepWith(edition, RIGHT.replace("answers.adamMoments =", "answers.unused =")).error).toBe(libraryStubMessage("adam.moments", 2));
  }, 60_000);

  test("an answer that calls the library's solution back gets the rule's message, not an endless recursion", () => {
    const edition = path.join(releases.get(2)!.studentDir, "dist");
    const calls = adamStepWith(edition, `${RIGHT}\n answers.adamMoments = (m, v, g, b1, b2) => lab.adamMoments(m, v, g, b1, b2);`);
    expect(calls.error).toBe(
      "Your answer to adam.moments calls lab.adamMoments, the library's solution of adam.moments (lab 02). In this edition it runs your own answer, and the grader gives 0 to an answer that calls it: write adam.moments without it.",
    );
  }, 60_000);
});
