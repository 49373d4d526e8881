/**
 * Grading integrity: submissions that call, reach or patch the library's reference
 * or read the grader's hidden tests lose the question with a message naming the
 * rule; correct answers in other styles, and `await check(…)` in an answer cell,
 * keep full marks. Graded with the real grader (`gradeSubmissions`: one process per
 * submission under Node's permission model, one worker per question).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { compileAnswerCells } from "../../src/grading/answer-compiler";
import { gradeSubmissions, permissionFlags, type GradeRun, type GradedSubmission } from "../../src/grading/grade-runner";
import { loadGradingSetup, runSubmissionPlan, type GradingSetup, type LoadedSetup } from "../../src/grading/submission-grader";
import { ensureGraderBuilt, ROOT } from "./built-grader";

const CHEATS = path.join(ROOT, "test", "fixtures", "submissions", "cheats");
const HIDDEN = path.join(ROOT, "test", "graded", "hidden");
const SETUP: GradingSetup = {
  questionModules: [path.join(CHEATS, "cheats.questions.ts")],
  hiddenModules: ["gd", "adam", "pipeline"].map((lab) => path.join(HIDDEN, `${lab}.hidden.ts`)),
};

interface Case {
  readonly file: string;
  readonly question: string;
  /** Points of `question`: 0 for a cheat, full marks for a correct answer. */
  readonly points: number | "full";
  /** What every failed test of the question says. */
  readonly message?: RegExp;
}

const RULES = /^The answer cell breaks the grading rules, so this question scores 0:\n/;
const CASES: readonly Case[] = [
  { file: "calls-reference", question: "adam.step", points: 0, message: /line 8: uses lab\.adamStep, the reference for adam\.step; write the update yourself\./ },
  { file: "computed-name", question: "adam.step", points: 0, message: /line 8: uses lab\[…\] \(computed member access\): write the name out/ },
  { file: "optimizer-class", question: "adam.step", points: 0, message: /line 8: uses lab\.AdamOptimizer, the reference for adam\.step; write the update yourself\./ },
  { file: "tf-train-optimizer", question: "adam.step", points: 0, message: /line 9: uses tf\.train: write the update yourself instead of calling a TensorFlow\.js optimizer\./ },
  { file: "requires-compiled-module", question: "pipeline.oneFOneB", points: 0, message: /line 3: uses require: an answer may only use the library/ },
  { file: "reads-hidden-tests", question: "gd.step", points: 0, message: /line 3: uses require/ },
  { file: "reads-hidden-tests-process-internals", question: "gd.step", points: 0, message: /line 3: uses process as a value/ },
  // Passes the syntax check; the submission's process builds no code from strings.
  { file: "reads-hidden-tests-built-code", question: "gd.step", points: 0, message: /Code generation from strings disallowed/ },
  { file: "patches-through-require-cache", question: "adam.step", points: 0, message: /line 13: uses require/ },
  { file: "patches-library-object", question: "adam.step", points: 0, message: /line 13: uses lab as a value/ },
  // Passes the syntax check; the backend's kernels are compared after every test.
  { file: "patches-tensor-kernel", question: "adam.step", points: 0, message: /^The answer changed the grader's library \(tf kernel RealDiv\); answers must not modify globals or the library/ },
  { file: "patches-tensor-prototype", question: "gd.step", points: 0, message: /^The answer changed the grader's library \(tf\.Tensor\.prototype\.toString\)/ },
  { file: "check-in-answer-cell", question: "gd.step", points: "full" },
  { file: "styles-gd", question: "gd.mseGradient", points: "full" },
  { file: "styles-gd", question: "gd.step", points: "full" },
  { file: "styles-gd", question: "gd.sgdEpoch", points: "full" },
  { file: "styles-adam", question: "adam.step", points: "full" },
];
const STATIC = new Set(["calls-reference", "computed-name", "optimizer-class", "tf-train-optimizer", "requires-compiled-module", "reads-hidden-tests", "reads-hidden-tests-process-internals", "patches-through-require-cache", "patches-library-object"]);

let run: GradeRun;

function graded(file: string): GradedSubmission {
  const s = run.submissions.find((x) => x.name === file);
  if (s === undefined) throw new Error(`no result for ${file}`);
  return s;
}

beforeAll(async () => {
  ensureGraderBuilt();
  const files = [...new Set(CASES.map((c) => c.file))].map((f) => path.join(CHEATS, `${f}.ipynb`));
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-cheats-"));
  run = await gradeSubmissions(files, { outDir, setup: SETUP, jobs: 2 });
}, 900_000);

describe("the real grader on cheats and on correct answers in other styles", () => {
  test.each(CASES)("$file: $question scores $points", ({ file, question, points, message }) => {
    const s = graded(file);
    const tests = s.results.tests.filter((t) => t.tags[0] === question);
    expect(tests.length).toBeGreaterThan(0);
    const max = tests.reduce((sum, t) => sum + (t.max_score ?? 0), 0);
    expect(`${question}: ${s.questionScores[question]}`).toBe(`${question}: ${points === "full" ? max : 0}`);
    if (message !== undefined) {
      for (const t of tests) {
        expect(t.output).toMatch(message);
        if (STATIC.has(file)) expect(t.output).toMatch(RULES);
      }
    }
  });

  test("no feedback carries the hidden tests' source", () => {
    const hiddenSource = fs.readFileSync(path.join(HIDDEN, "gd.hidden.ts"), "utf8");
    const fragments = ["gdHiddenTests", "gradedRandomMatrix(1001", "checkMseGradientCase(impl", hiddenSource.slice(0, 80)];
    for (const file of ["reads-hidden-tests", "reads-hidden-tests-built-code", "reads-hidden-tests-process-internals"]) {
      const feedback = JSON.stringify(graded(file).results);
      for (const fragment of fragments) expect(feedback).not.toContain(fragment);
    }
  });
});

describe("the submission's process under Node's permission model", () => {
  /** What a script run with the submission process's flags gets when it reads `file`. */
  function readWithGraderFlags(file: string): string {
    const script = `try { require("node:fs").readFileSync(${JSON.stringify(file)}); console.log("read"); } catch (e) { console.log(e.code); }`;
    const r = spawnSync(process.execPath, [...permissionFlags(SETUP), "-e", script], { encoding: "utf8" });
    return r.stdout.trim();
  }

  test("it can read the compiled library and its dependencies", () => {
    expect(readWithGraderFlags(path.join(ROOT, "dist", "index.js"))).toBe("read");
    expect(readWithGraderFlags(path.join(ROOT, "node_modules", "@tensorflow", "tfjs", "package.json"))).toBe("read");
  });

  test("it cannot read the hidden suites, the library's sources or the submissions", () => {
    expect(readWithGraderFlags(path.join(HIDDEN, "gd.hidden.ts"))).toBe("ERR_ACCESS_DENIED");
    expect(readWithGraderFlags(path.join(ROOT, "src", "optim", "adam.ts"))).toBe("ERR_ACCESS_DENIED");
    expect(readWithGraderFlags(path.join(CHEATS, "calls-reference.ipynb"))).toBe("ERR_ACCESS_DENIED");
  });

  test("it builds no code from strings", () => {
    const r = spawnSync(process.execPath, [...permissionFlags(SETUP), "-e", 'try { new Function("return 1"); console.log("built"); } catch (e) { console.log(e.name); }'], { encoding: "utf8" });
    expect(r.stdout.trim()).toBe("EvalError");
  });
});

/**
 * The run-time half, for answers that got past the syntax check: compiled here
 * without the rule (as a check that the stubs, the module loader and the process
 * hold on their own), then run in question workers.
 */
describe("at run time, without the syntax check", () => {
  let loaded: LoadedSetup;
  beforeAll(() => {
    ensureGraderBuilt();
    loaded = loadGradingSetup(SETUP);
  });

  async function runUnchecked(questionId: string, exports: readonly string[], source: string) {
    const [compiled] = compileAnswerCells([{ questionId, source, exports }]);
    if (compiled?.kind !== "compiled") throw new Error(`fixture does not compile: ${compiled?.kind === "compile-error" ? compiled.message : "?"}`);
    const report = await runSubmissionPlan({ notes: [], questions: [{ kind: "run", questionId, title: questionId, javascript: compiled.javascript, fileName: compiled.fileName }], setup: SETUP, modules: loaded.modules }, loaded);
    return report.questions[0]!.outcomes;
  }

  const ADAM = "// @answer adam.step\nfunction adamStep(w: lab.tf.Tensor, g: lab.tf.Tensor, state: { m: lab.tf.Tensor; v: lab.tf.Tensor; t: number }, hp: { lr: number; beta1: number; beta2: number; eps: number }) {\n";
  const CORRECT_ADAM =
    "  const t = state.t + 1;\n  const m = tf.add(tf.mul(hp.beta1, state.m), tf.mul(1 - hp.beta1, g));\n  const v = tf.add(tf.mul(hp.beta2, state.v), tf.mul(1 - hp.beta2, tf.square(g)));\n" +
    "  return { w: tf.sub(w, tf.mul(hp.lr, tf.div(tf.div(m, 1 - hp.beta1 ** t), tf.add(tf.sqrt(tf.div(v, 1 - hp.beta2 ** t)), hp.eps)))), m, v, t };\n}\n";

  test("the reference is a stub whose message reaches the student intact", async () => {
    const outcomes = await runUnchecked("adam.step", ["adamStep"], `${ADAM}  return lab.adamStep(w, g, state, hp);\n}\n`);
    expect(outcomes.length).toBeGreaterThan(0);
    for (const o of outcomes) {
      expect(o.points).toBe(0);
      expect(o.message).toBe("The answer uses lab.adamStep, the reference for adam.step; write the update yourself.");
    }
  });

  test("catching the stub's error does not help: the question still scores 0", async () => {
    const outcomes = await runUnchecked("adam.step", ["adamStep"], `${ADAM}  try { return lab.adamStep(w, g, state, hp); } catch {}\n${CORRECT_ADAM}`);
    for (const o of outcomes) expect(`${o.points} ${o.message}`).toBe("0 The answer uses lab.adamStep, the reference for adam.step; write the update yourself.");
  });

  test("the same correct answer without the stub scores full marks (the test above can fail)", async () => {
    const outcomes = await runUnchecked("adam.step", ["adamStep"], `${ADAM}${CORRECT_ADAM}`);
    expect(outcomes.every((o) => o.passed)).toBe(true);
  });

  test("require resolves only the library", async () => {
    const outcomes = await runUnchecked("adam.step", ["adamStep"], `${ADAM}  const fs = require("node:fs");\n  return fs.readFileSync("test/graded/hidden/adam.hidden.ts", "utf8");\n}\n`);
    for (const o of outcomes) expect(`${o.points} ${o.message}`).toMatch(/^0 require\("node:fs"\) is not available to an answer: use lab and tf/);
  });

  test("process's doors to Node's internals are closed", async () => {
    const outcomes = await runUnchecked("adam.step", ["adamStep"], `${ADAM}  const p = process as unknown as { getBuiltinModule(n: string): unknown; binding(n: string): unknown };\n  return p.getBuiltinModule("fs") ?? p.binding("fs");\n}\n`);
    for (const o of outcomes) expect(`${o.points} ${o.message}`).toMatch(/^0 process\.getBuiltinModule is not available to an answer/);
  });

  test("the library object is frozen: patching it throws when the cell runs", async () => {
    const outcomes = await runUnchecked("adam.step", ["adamStep"], `${ADAM}${CORRECT_ADAM}(lab as unknown as Record<string, unknown>).adamBiasCorrection = () => 0;\n`);
    for (const o of outcomes) expect(`${o.points} ${o.message}`).toMatch(/^0 The answer cell threw when it ran: TypeError: Cannot assign to read only property 'adamBiasCorrection'/);
  });
});
