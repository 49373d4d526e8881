/**
 * Running one question in isolation: a worker thread with a heap limit, a
 * wall-clock limit and a resident-memory watchdog.
 *
 * Why a worker per question: a student's infinite loop, runaway allocation,
 * `process.exit()` or tampering with built-ins must cost that question only
 * ("a failure in one question never costs another question its points"). A worker
 * has its own V8 isolate: `resourceLimits.maxOldGenerationSizeMb` bounds its heap,
 * `terminate()` stops even a synchronous `while (true)`, and `process.exit()` inside
 * a worker ends the thread, not the process. Memory outside the heap (typed arrays)
 * is not covered by `resourceLimits`, so the process's resident set is polled too.
 * The worker's stdout and stderr are read here and dropped; past 1 MiB the question
 * is stopped (10 MB of `console.log` in an answer is a bug, and it would flood the log).
 */
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { QuestionJob, QuestionReply } from "./question-worker";
import type { TestOutcome } from "./test-outcome";

/** Limits for one question. */
export interface QuestionLimits {
  /** Wall-clock limit for loading and running all tests of the question. @default 10000 */
  readonly timeMs?: number;
  /** Heap limit of the worker (MB). @default 512 */
  readonly heapMb?: number;
  /** Growth of the process's resident memory allowed while the question runs (MB). @default 768 */
  readonly residentMb?: number;
  /** Limit for one test's asynchronous work. @default 2000 */
  readonly testTimeoutMs?: number;
  /** Bytes the answer may print (stdout + stderr) before the question is stopped. @default 1048576 */
  readonly outputBytes?: number;
}

/** What happened to a question's worker. */
export type SandboxResult =
  | { readonly kind: "outcomes"; readonly outcomes: readonly TestOutcome[]; readonly printed: number }
  | { readonly kind: "failed"; readonly message: string; readonly printed: number };

/** Folder of the compiled grader (`dist/grading`), also when running from the TypeScript source. */
export function compiledGradingDir(): string {
  return __filename.endsWith(".js") ? __dirname : path.resolve(__dirname, "..", "..", "dist", "grading");
}

/** Grade one question in a fresh worker thread. Never throws. */
export function gradeQuestionInWorker(job: Omit<QuestionJob, "nonce" | "testTimeoutMs">, limits: QuestionLimits = {}): Promise<SandboxResult> {
  const timeMs = limits.timeMs ?? 10_000;
  const heapMb = limits.heapMb ?? 512;
  const residentMb = limits.residentMb ?? 768;
  const residentBytes = residentMb * 1024 * 1024;
  const nonce = randomBytes(16).toString("hex");
  const worker = new Worker(path.join(compiledGradingDir(), "question-worker.js"), {
    workerData: { ...job, nonce, testTimeoutMs: limits.testTimeoutMs ?? 2000 } satisfies QuestionJob,
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 64 },
    stdout: true,
    stderr: true,
  });
  const outputBytes = limits.outputBytes ?? 1024 * 1024;
  let printed = 0; // bytes the answer printed; read and dropped
  const residentAtStart = process.memoryUsage.rss();

  return new Promise<SandboxResult>((resolve) => {
    const drain = (chunk: Buffer | string): void => {
      printed += chunk.length;
      if (printed > outputBytes) {
        finish({ kind: "failed", printed, message: `Output limit exceeded: the answer printed more than ${outputBytes / 1024 / 1024} MiB. Remove the console.log calls from the answer cell.` });
      }
    };
    worker.stdout.on("data", drain);
    worker.stderr.on("data", drain);
    let received: SandboxResult | undefined;
    const ended = (stream: NodeJS.ReadableStream): Promise<void> => new Promise((done) => stream.once("end", () => done()));
    const streamsEnded = Promise.race([Promise.all([ended(worker.stdout), ended(worker.stderr)]), new Promise((done) => setTimeout(done, 1000))]);
    let settled = false;
    const finish = (result: SandboxResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(watchdog);
      // Resolve only once the thread is gone: a worker stopped mid-allocation keeps
      // growing the process until it has stopped, and the next question's memory
      // watchdog must not count that against its answer.
      const resolveResult = (): void => resolve(result);
      worker.terminate().then(resolveResult, resolveResult);
    };
    // Loading the library and the tests is the grader's time, not the student's: the
    // limit starts when the worker says it is ready to run the answer.
    const startupMs = 120_000;
    let timer = setTimeout(() => finish({ kind: "failed", printed, message: `Grader error: the question's tests did not load within ${startupMs / 1000} s.` }), startupMs);
    const startAnswerClock = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ kind: "failed", printed, message: `Time limit of ${timeMs / 1000} s exceeded: an infinite loop, or a promise that never resolves?` }), timeMs);
    };
    const watchdog = setInterval(() => {
      const grown = process.memoryUsage.rss() - residentAtStart;
      if (grown > residentBytes) finish({ kind: "failed", printed, message: `Memory limit exceeded: the answer allocated more than ${residentMb} MB.` });
    }, 20);
    worker.on("message", (message: unknown) => {
      const reply = message as Partial<QuestionReply> & { error?: string; ready?: boolean };
      if (reply !== null && typeof reply === "object" && reply.nonce === nonce && reply.ready === true) {
        startAnswerClock();
        return;
      }
      if (reply === null || typeof reply !== "object" || reply.nonce !== nonce || received !== undefined) return; // not from the grader: ignore
      received = typeof reply.error === "string" ? { kind: "failed", printed, message: `Grader error: ${reply.error}` } : { kind: "outcomes", outcomes: reply.outcomes ?? [], printed };
      // Output travels on its own channel and is flushed when the worker exits by
      // itself; stop it only if it lingers (a timer the answer left behind).
      setTimeout(() => void worker.terminate(), 2000).unref();
    });
    worker.on("error", (error: Error & { code?: string }) => {
      const message =
        error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? `Memory limit exceeded: the answer used more than ${heapMb} MB of heap.`
          : `The answer crashed the test run: ${error.name}: ${error.message}`;
      finish({ kind: "failed", printed, message });
    });
    worker.on("exit", (code) => {
      const result = received;
      if (result === undefined) {
        finish({ kind: "failed", printed, message: `The answer ended the process (exit code ${code}) before the tests finished: do not call process.exit() in an answer.` });
        return;
      }
      streamsEnded.then(() => finish({ ...result, printed }));
    });
  });
}
