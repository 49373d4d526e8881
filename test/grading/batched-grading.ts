/**
 * Grading many known notebooks (the graded suites' mutants) through the grader's own
 * steps, several submissions to a child process.
 *
 * `gradeSubmissions` starts one child process per submission, which a class needs (a
 * student's crash must not cost another student) and which costs a second or two of
 * start-up per submission on 2 cores. The mutants are the course's own code, so here each
 * is planned exactly as `gradeSubmissions` plans it (`planSubmission`: compiled, type-checked,
 * the forbidden-call rule applied), the plans of a batch are run one after another in one
 * child process started the grader's way (`runPlanInChildProcess`: the permission model,
 * one worker per question with its limits, as for every submission), and each submission's
 * report is scored by the same `gradescopeResults` as `results.json`. A batch whose process
 * fails makes every one of its submissions fail, with the reason.
 */
import { gradescopeResults, type GradescopeResults } from "../../src/grading/gradescope-results";
import { runPlanInChildProcess } from "../../src/grading/grade-runner";
import { planSubmission, type LoadedSetup, type SubmissionPlan, type SubmissionReport } from "../../src/grading/submission-grader";

/** One graded submission of a batch: its scores and results, as `GradedSubmission` has them. */
export interface BatchGraded {
  readonly score: number;
  readonly maxScore: number;
  readonly questionScores: Readonly<Record<string, number>>;
  readonly results: GradescopeResults;
}

/** Submissions per child process: start-up paid once per batch, the batches run `jobs` at a time. */
const BATCH = 8;

function scored(report: SubmissionReport): BatchGraded {
  const results = gradescopeResults(report, { executionTime: 0 });
  const questionScores: Record<string, number> = {};
  for (const q of report.questions) questionScores[q.questionId] = q.outcomes.reduce((s, o) => s + o.points, 0);
  const maxScore = report.questions.reduce((s, q) => s + q.outcomes.reduce((m, o) => m + o.maxPoints, 0), 0);
  return { score: results.score, maxScore, questionScores, results };
}

/** Run the plans of one batch in one child process; each plan's questions get their own reports back. */
async function runBatch(plans: readonly SubmissionPlan[], loaded: LoadedSetup): Promise<SubmissionReport[]> {
  const questions = plans.flatMap((p) => p.questions);
  const running = questions.filter((q) => q.kind === "run").length;
  // The overall limit gradeSubmissions gives a submission, for the questions of the whole batch.
  const timeLimitMs = 60_000 + running * ((loaded.setup.limits?.timeMs ?? 10_000) + 30_000);
  const merged: SubmissionPlan = { notes: [], questions, setup: loaded.setup, modules: loaded.modules };
  // The child reports every question of the plan in order, settled ones (compile errors) as planned.
  let reports = questions.map((q) => (q.kind === "settled" ? q.report : undefined));
  if (running > 0) {
    const response = await runPlanInChildProcess(merged, timeLimitMs);
    if (response.kind === "error") throw new Error(`A batch of ${plans.length} submissions crashed its grading process: ${response.message}`);
    reports = [...response.report.questions];
  }
  if (reports.length !== questions.length) throw new Error(`Expected ${questions.length} question reports from the batch, got ${reports.length}.`);
  return plans.map((plan) => ({ notes: plan.notes, questions: reports.splice(0, plan.questions.length).map((r) => r!) }));
}

/** Grade `notebooks` (paths) in batches, `jobs` batches at a time; results in the order given. */
export async function gradeInBatches(notebooks: readonly string[], loaded: LoadedSetup, jobs = 2): Promise<BatchGraded[]> {
  const graded = new Array<BatchGraded>(notebooks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < notebooks.length) {
      const start = next;
      next = Math.min(notebooks.length, next + BATCH);
      const plans = notebooks.slice(start, next).map((file) => planSubmission(file, loaded));
      const reports = await runBatch(plans, loaded);
      reports.forEach((report, i) => (graded[start + i] = scored(report)));
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return graded;
}
