/**
 * The inside of one question's sandbox: a worker thread that loads the question's
 * tests, evaluates the student's compiled answer cell, runs the public and hidden
 * tests, and posts the outcomes back once.
 *
 * The thread is started by `gradeQuestionInWorker` (question-sandbox.ts) with a heap
 * limit and a wall-clock limit; an infinite loop, an out-of-memory or
 * `process.exit()` ends only this thread. The reply carries a nonce the answer
 * cannot read (it is taken from `workerData` and erased before the answer runs), so
 * an answer that posts a fake result is ignored.
 */
import { createRequire } from "node:module";
import * as vm from "node:vm";
import workerThreads = require("node:worker_threads");
import { snapshotIntrinsics, tamperedIntrinsics } from "./intrinsics-guard";
import type { Implementation } from "./question";
import { hiddenTestsFor, hiddenTestsInModule, questionsInModule } from "./question-registry";
import { failAllTests, runGradedTests, type TestOutcome } from "./test-outcome";
import { requireModule, usePrecompiledModules } from "./typescript-require";

/** What the sandbox sends into the worker. */
export interface QuestionJob {
  readonly nonce: string;
  readonly questionId: string;
  /** Modules exporting questions (compiled `.js` or `.ts`). */
  readonly questionModules: readonly string[];
  /** Hidden suites (`.ts` or `.js`). */
  readonly hiddenModules: readonly string[];
  readonly javascript: string;
  readonly fileName: string;
  readonly testTimeoutMs: number;
  /** `.ts` modules transpiled by the parent (file name -> CommonJS). */
  readonly modules: Readonly<Record<string, string>>;
}

/** What the worker sends back. */
export interface QuestionReply {
  readonly nonce: string;
  readonly outcomes: readonly TestOutcome[];
}

/** Evaluate compiled CommonJS as a module named `fileName`; returns its exports. */
export function evaluateAnswerModule(javascript: string, fileName: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${javascript}\n})`, { filename: fileName }) as (
    exports: Record<string, unknown>,
    require: NodeRequire,
    module: { exports: Record<string, unknown> },
    filename: string,
    dirname: string,
  ) => void;
  wrapper(module.exports, createRequire(fileName), module, fileName, fileName.replace(/[/\\][^/\\]*$/, ""));
  return module.exports;
}

async function gradeJob(job: QuestionJob, ready: () => void): Promise<TestOutcome[]> {
  usePrecompiledModules(job.modules);
  // The notebook starts tensors in its first cells; do the same before any answer runs.
  const library = requireModule(require.resolve("ai-efficiency-labs")) as { initTensors?: () => Promise<unknown> };
  await library.initTensors?.();
  const question = job.questionModules.flatMap((m) => questionsInModule(requireModule(m))).find((q) => q.id === job.questionId);
  if (question === undefined) throw new Error(`Question ${job.questionId} is not in the registry.`);
  const hidden = hiddenTestsFor(job.questionId, job.hiddenModules.flatMap((m) => hiddenTestsInModule(requireModule(m))));
  const before = snapshotIntrinsics();
  ready();
  let impl: Implementation;
  try {
    impl = evaluateAnswerModule(job.javascript, job.fileName);
  } catch (error) {
    const message = `The answer cell threw when it ran: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    return [...failAllTests(question.id, "public", question.publicTests, message), ...failAllTests(question.id, "hidden", hidden, message)];
  }
  const options = { questionId: question.id, testTimeoutMs: job.testTimeoutMs };
  const outcomes = [...(await runGradedTests(question.publicTests, impl, { ...options, suite: "public" })), ...(await runGradedTests(hidden, impl, { ...options, suite: "hidden" }))];
  const tampered = tamperedIntrinsics(before);
  if (tampered.length === 0) return outcomes;
  const message = `The answer changed built-in ${tampered.slice(0, 3).join(", ")}${tampered.length > 3 ? ", …" : ""}; answers must not modify globals, so this question scores 0.`;
  return outcomes.map((o) => ({ ...o, points: 0, passed: false, message }));
}

function main(): void {
  const port = workerThreads.parentPort;
  if (port === null) return;
  const post = port.postMessage.bind(port);
  const job = workerThreads.workerData as QuestionJob;
  const nonce = job.nonce;
  // Erase the nonce before student code can read it.
  Object.assign(workerThreads, { workerData: null });
  gradeJob({ ...job, nonce: "" }, () => post({ nonce, ready: true })).then(
    (outcomes) => post({ nonce, outcomes } satisfies QuestionReply),
    (error: unknown) => post({ nonce, outcomes: [], error: error instanceof Error ? error.message : String(error) }),
  );
}

main();
