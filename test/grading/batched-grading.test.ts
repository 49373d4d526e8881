/**
 * Grading in batches (batched-grading.ts, used for the graded suites' mutants) scores each
 * submission as `gradeSubmissions` does alone, one process each: the same score per
 * question and the same test outcomes and messages, for answers that pass, fail, do not
 * compile (settled before any process) and tamper with built-ins (their own worker only).
 * The tampering answer comes first in the batch: the answers after it are not affected.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect, test } from "vitest";
import { gradeSubmissions } from "../../src/grading/grade-runner";
import { loadGradingSetup } from "../../src/grading/submission-grader";
import { gradeInBatches } from "./batched-grading";
import { ensureGraderBuilt, TOY_SETUP, TOY_SUBMISSIONS } from "./built-grader";

const FILES = ["tamper-math-random", "reference", "type-error"].map((f) => path.join(TOY_SUBMISSIONS, `${f}.ipynb`));

test("a batch grades each submission as gradeSubmissions grades it alone", async () => {
  ensureGraderBuilt();
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-batched-"));
  const [alone, batched] = await Promise.all([gradeSubmissions(FILES, { outDir, setup: TOY_SETUP, jobs: 1 }), gradeInBatches(FILES, loadGradingSetup(TOY_SETUP), 1)]);
  const outcomes = (tests: readonly { name: string; status: string; score: number; output: string }[]) => tests.map((t) => `${t.name}: ${t.status} ${t.score} ${t.output}`);
  const byFile = new Map(alone.submissions.map((s) => [s.notebookPath, s]));
  for (const [i, file] of FILES.entries()) {
    const single = byFile.get(file)!;
    expect(batched[i]!.questionScores, file).toEqual(single.questionScores);
    expect([batched[i]!.score, batched[i]!.maxScore], file).toEqual([single.score, single.maxScore]);
    expect(outcomes(batched[i]!.results.tests), file).toEqual(outcomes(single.results.tests));
  }
  // Not all alike: full marks, and toy.mean lost to tampering (in its own worker) and to a type error (settled before).
  expect(batched.map((b) => b.score)).toEqual([5, 8, 5]);
  const messages = batched.map((b) => b.results.tests.filter((t) => t.status === "failed").map((t) => t.output).join("\n"));
  for (const [i, message] of [/changed built-in Math\.random/, /^$/, /not assignable to type 'string'/].entries()) expect(messages[i]).toMatch(message);
}, 300_000);
