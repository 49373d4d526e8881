/**
 * The fault matrix (issue 4): every fault a student can put in a submission, one
 * fixture each (test/fixtures/submissions/toy/, written by make-fixtures.py). For
 * each: the affected question scores 0 with a clear message, every other question is
 * graded normally, results.json is valid, and the submission file is unchanged.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { gradeSubmissions, type GradedSubmission, type GradeRun } from "../../src/grading/grade-runner";
import { gradescopeResultsProblems } from "../../src/grading/gradescope-results";
import { ensureGraderBuilt, TOY_SETUP, TOY_SUBMISSIONS } from "./built-grader";

/** Toy lab: toy.add 3 points (2 public + 1 hidden), toy.mean 3 (2 + 1), toy.norm 2. */
const MAX = { "toy.add": 3, "toy.mean": 3, "toy.norm": 2 } as const;
type ToyQuestion = keyof typeof MAX;

interface Fault {
  readonly file: string;
  /** The question the fault is in; "all" for faults of the whole notebook. */
  readonly affected: ToyQuestion | "all" | "none";
  readonly message: RegExp;
}

const FAULTS: readonly Fault[] = [
  { file: "invalid-json", affected: "all", message: /not valid JSON/ },
  { file: "nbformat-3", affected: "all", message: /nbformat 4, got nbformat 3/ },
  { file: "python-kernel", affected: "all", message: /"python", expected TypeScript/ },
  { file: "missing-cell", affected: "toy.mean", message: /Answer cell `toy\.mean` not found/ },
  { file: "syntax-error", affected: "toy.mean", message: /does not compile:\nline 4, column \d+: '\)' expected/ },
  { file: "type-error", affected: "toy.mean", message: /line 3, column 9: Type 'number' is not assignable to type 'string'/ },
  { file: "wrong-signature", affected: "toy.mean", message: /mean\(\[1, 2, 3\]\): divide by the length|mean\(\[x\]\) must be x/ },
  { file: "wrong-name", affected: "toy.mean", message: /must define `mean`/ },
  { file: "runtime-exception", affected: "toy.mean", message: /Your code threw TypeError: Cannot read properties of undefined/ },
  { file: "infinite-loop", affected: "toy.mean", message: /Time limit of \d+ s exceeded/ },
  { file: "never-resolves", affected: "toy.norm", message: /never resolve/ },
  { file: "huge-heap-allocation", affected: "toy.mean", message: /Memory limit exceeded|out of memory/ },
  { file: "huge-buffer-allocation", affected: "toy.mean", message: /Memory limit exceeded|out of memory/ },
  { file: "process-exit", affected: "toy.mean", message: /ended the process .*process\.exit\(\)/ },
  { file: "stdout-flood", affected: "toy.mean", message: /Output limit exceeded/ },
  { file: "tamper-math-random", affected: "toy.mean", message: /changed built-in Math\.random/ },
  { file: "tamper-array-prototype", affected: "toy.mean", message: /changed built-in Array\.prototype\.sum \(added\)/ },
  { file: "tamper-expect", affected: "toy.mean", message: /changed built-in globalThis\.expect \(added\)/ },
  { file: "fake-results", affected: "toy.mean", message: /tried to write a file/ },
  { file: "fake-message", affected: "toy.mean", message: /divide by the (length|number of elements)/ },
  { file: "consumes-input", affected: "none", message: /^Public tests: 4 of 4 passed/ },
  { file: "duplicate-cell", affected: "none", message: /appears 2 times; the last one/ },
  { file: "moved-cell", affected: "none", message: /^Public tests: 4 of 4 passed/ },
  { file: "reference", affected: "none", message: /^Public tests: 4 of 4 passed/ },
];

const hashes = new Map<string, string>();
let run: GradeRun;
let outDir: string;

function bySubmission(name: string): GradedSubmission {
  const s = run.submissions.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no result for ${name}`);
  return s;
}

beforeAll(async () => {
  ensureGraderBuilt();
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-faults-"));
  const files = FAULTS.map((f) => path.join(TOY_SUBMISSIONS, `${f.file}.ipynb`));
  for (const f of files) hashes.set(f, fs.readFileSync(f).toString("base64"));
  run = await gradeSubmissions(files, { outDir, setup: { ...TOY_SETUP, limits: { timeMs: 8000 } }, jobs: 2 });
}, 900_000);

describe("the grader survives every fault in the matrix", () => {
  test.each(FAULTS)("$file: results.json is valid and the submission is unchanged", ({ file }) => {
    const s = bySubmission(file);
    const onDisk: unknown = JSON.parse(fs.readFileSync(path.join(outDir, file, "results.json"), "utf8"));
    expect(gradescopeResultsProblems(onDisk)).toEqual([]);
    expect(s.sha256After).toBe(s.sha256Before);
    expect(fs.readFileSync(s.notebookPath).toString("base64")).toBe(hashes.get(s.notebookPath));
  });

  test.each(FAULTS)("$file: the affected question scores 0 with a clear message, the others full marks", ({ file, affected, message }) => {
    const s = bySubmission(file);
    for (const id of Object.keys(MAX) as ToyQuestion[]) {
      const expected = affected === "all" || affected === id ? 0 : MAX[id];
      expect(`${id}: ${s.questionScores[id]}`).toBe(`${id}: ${expected}`);
    }
    if (affected === "all" || affected === "none") {
      expect(s.results.output).toMatch(message);
    } else {
      const failed = s.results.tests.filter((t) => t.tags[0] === affected);
      expect(failed.length).toBeGreaterThan(0);
      for (const t of failed) expect(t.output).toMatch(message);
    }
  });

  test("hidden tests never show expected or received values", () => {
    const hidden = run.submissions.flatMap((s) => s.results.tests).filter((t) => t.tags[1] === "hidden" && t.status === "failed");
    expect(hidden.length).toBeGreaterThan(10);
    for (const t of hidden) expect(t.output).not.toMatch(/expected:|received:|1000000000001/);
  });

  test("a fake results.json is never written and never counted", () => {
    expect(bySubmission("fake-results").score).toBe(5);
    expect(fs.existsSync(path.join(process.cwd(), "results.json"))).toBe(false);
    expect(fs.existsSync("/autograder/results/results.json")).toBe(false);
  });

  test("summary.csv has one row per submission with the question columns", () => {
    const lines = fs.readFileSync(run.summaryPath, "utf8").trim().split("\n");
    expect(lines[0]).toBe("submission,score,max_score,toy.add (3),toy.mean (3),toy.norm (2)");
    expect(lines).toHaveLength(FAULTS.length + 1);
    expect(lines).toContain("reference,8,8,3,3,2");
  });
});
