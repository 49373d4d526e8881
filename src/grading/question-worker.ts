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
 *
 * The answer sees the library with the references of its lab and later labs
 * stubbed, a `require` that resolves only that library, and a `process` without its
 * doors to Node's internals (answer-library.ts). The grader's modules, the tensor
 * namespace and the built-ins are snapshotted before the answer runs and compared
 * after each test (intrinsics-guard.ts): a patch costs the question.
 */
import * as path from "node:path";
import * as vm from "node:vm";
import workerThreads = require("node:worker_threads");
import { answerLibrary, hardenProcess } from "./answer-library";
import { referencesHiddenFrom } from "./answer-rules";
import { libraryModuleObjects, snapshotIntrinsics, tamperedIntrinsics, tamperingMessage, tensorFlowObjects, tensorKernelProbe, type IntrinsicsSnapshot } from "./intrinsics-guard";
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

/**
 * Evaluate compiled CommonJS as a module named `fileName` with the given `require`
 * (for an answer: `AnswerLibrary.require`, which knows only the library); returns its exports.
 */
export function evaluateAnswerModule(javascript: string, fileName: string, answerRequire: (request: string) => unknown): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${javascript}\n})`, { filename: fileName }) as (
    exports: Record<string, unknown>,
    require: (request: string) => unknown,
    module: { exports: Record<string, unknown> },
    filename: string,
    dirname: string,
  ) => void;
  wrapper(module.exports, answerRequire, module, fileName, fileName.replace(/[/\\][^/\\]*$/, ""));
  return module.exports;
}

/** What the answer could change that the grader relies on: its modules, tf, tf's kernels, built-ins. */
function snapshotGraderState(library: { tf?: unknown }): IntrinsicsSnapshot {
  const root = path.resolve(path.dirname(require.resolve("ai-efficiency-labs/package.json")));
  const tf = library.tf as Parameters<typeof tensorKernelProbe>[0] & object;
  return snapshotIntrinsics({
    objects: [...libraryModuleObjects(require.cache, root), ...tensorFlowObjects(tf)],
    probes: [tensorKernelProbe(tf)],
  });
}

/** The message for a changed grader state, or undefined. */
function tamperMessage(before: IntrinsicsSnapshot): string | undefined {
  const tampered = tamperedIntrinsics(before);
  return tampered.length === 0 ? undefined : tamperingMessage(tampered);
}

async function gradeJob(job: QuestionJob, ready: () => void): Promise<TestOutcome[]> {
  usePrecompiledModules(job.modules);
  // The notebook starts tensors in its first cells; do the same before any answer runs.
  const library = requireModule(require.resolve("ai-efficiency-labs")) as { initTensors?: () => Promise<unknown>; tf?: unknown };
  await library.initTensors?.();
  const questions = job.questionModules.flatMap((m) => questionsInModule(requireModule(m)));
  const question = questions.find((q) => q.id === job.questionId);
  if (question === undefined) throw new Error(`Question ${job.questionId} is not in the registry.`);
  const hidden = hiddenTestsFor(job.questionId, job.hiddenModules.flatMap((m) => hiddenTestsInModule(requireModule(m))));
  const answer = answerLibrary(library, referencesHiddenFrom(question, questions));
  const failAll = (message: string): TestOutcome[] => [...failAllTests(question.id, "public", question.publicTests, message), ...failAllTests(question.id, "hidden", hidden, message)];
  hardenProcess();
  const before = snapshotGraderState(library);
  ready();
  let impl: Implementation;
  try {
    impl = evaluateAnswerModule(job.javascript, job.fileName, answer.require);
  } catch (error) {
    const rule = error instanceof Error && error.name === "AnswerRuleError" ? error.message : undefined;
    return failAll(answer.brokenRule() ?? rule ?? `The answer cell threw when it ran: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  const tamperedAtLoad = tamperMessage(before);
  if (tamperedAtLoad !== undefined) return failAll(tamperedAtLoad);
  const options = { questionId: question.id, testTimeoutMs: job.testTimeoutMs, afterEach: () => tamperMessage(before) };
  const outcomes = [...(await runGradedTests(question.publicTests, impl, { ...options, suite: "public" })), ...(await runGradedTests(hidden, impl, { ...options, suite: "hidden" }))];
  const message = tamperMessage(before) ?? outcomes.find((o) => o.message.startsWith("The answer changed "))?.message ?? answer.brokenRule();
  if (message === undefined) return outcomes;
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
