/**
 * Grading a class: many notebooks, a pool of child processes, one
 * `results.json` per submission and a class `summary.csv`.
 *
 * Each submission is graded in its own child process (`submission-process.ts`),
 * started under Node's permission model so that answers cannot write files or start
 * processes, with an overall time limit; inside it each question has its own worker
 * (`question-sandbox.ts`). A submission that crashes its process scores 0 with a
 * message; the batch goes on. The submission files are only read, and their
 * SHA-256 is recorded before and after grading to prove it.
 */
import { fork } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { libraryRoot } from "./answer-compiler";
import { gradescopeResults, type GradescopeResults } from "./gradescope-results";
import type { Visibility } from "./question";
import { questionMaxPoints } from "./question-registry";
import { compiledGradingDir } from "./question-sandbox";
import { failedQuestionReport, loadGradingSetup, planSubmission, type GradingSetup, type LoadedSetup, type SubmissionPlan, type SubmissionReport } from "./submission-grader";
import type { SubmissionRequest, SubmissionResponse } from "./submission-process";

/** A shard of the class: the `index`-th (1-based) of `count` equal parts. */
export interface GradeShard {
  readonly index: number;
  readonly count: number;
}

/** Options of `gradeSubmissions`. */
export interface GradeRunOptions {
  readonly outDir: string;
  readonly setup: GradingSetup;
  /** Submissions graded at once. @default 1 */
  readonly jobs?: number;
  readonly shard?: GradeShard;
  /** Visibility of hidden tests in results.json. @default "after_published" */
  readonly hiddenVisibility?: Visibility;
  /** Called after each submission. */
  readonly onProgress?: (event: GradeProgress) => void;
}

/** Progress after one submission. */
export interface GradeProgress {
  readonly done: number;
  readonly total: number;
  readonly submission: GradedSubmission;
}

/** What grading one submission produced. */
export interface GradedSubmission {
  readonly name: string;
  readonly notebookPath: string;
  readonly resultsPath: string;
  readonly score: number;
  readonly maxScore: number;
  /** Score per question id. */
  readonly questionScores: Readonly<Record<string, number>>;
  readonly executionTime: number; // seconds
  readonly sha256Before: string;
  readonly sha256After: string;
  readonly results: GradescopeResults;
}

/** The whole run. */
export interface GradeRun {
  readonly submissions: readonly GradedSubmission[];
  readonly summaryPath: string;
  readonly seconds: number;
}

/** Parse `--shard I/N` (1-based). */
export function parseShard(text: string): GradeShard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new Error(`Expected --shard as I/N with 1 <= I <= N (e.g. 2/4), got "${text}".`);
  }
  return { index, count };
}

/** The submissions of one shard, in a stable order (sorted paths, round-robin). */
export function selectShard(paths: readonly string[], shard: GradeShard | undefined): string[] {
  const sorted = [...paths].sort();
  return shard === undefined ? sorted : sorted.filter((_, i) => i % shard.count === shard.index - 1);
}

/** Output folder names: the file's base name, made unique with -2, -3, … */
export function submissionNames(paths: readonly string[]): string[] {
  const used = new Map<string, number>();
  return paths.map((p) => {
    const base = path.basename(p).replace(/\.ipynb$/i, "").replace(/[^A-Za-z0-9_.@-]/g, "_") || "submission";
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

function sha256(file: string): string {
  try {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  } catch {
    return "unreadable";
  }
}

/**
 * Node flags of a submission's process: the permission model with reads limited to
 * what the answer and the compiled grader need (the library's `dist/`,
 * `node_modules/`, `package.json`, and `.js` question modules), no writes, no child
 * processes, workers allowed; and no code built from strings (`eval`, `Function`).
 * Hidden suites are not readable: they travel in the plan (`SubmissionPlan.modules`).
 */
export function permissionFlags(setup: Pick<GradingSetup, "questionModules"> = { questionModules: [] }): string[] {
  const flag = process.allowedNodeEnvironmentFlags.has("--permission") ? "--permission" : "--experimental-permission";
  const root = libraryRoot();
  const readable = [path.join(root, "dist", "*"), path.join(root, "node_modules", "*"), path.join(root, "package.json"), ...setup.questionModules.filter((m) => m.endsWith(".js"))];
  // One flag per path: Node 20 reads a comma in --allow-fs-read as part of the path.
  return [flag, ...readable.map((p) => `--allow-fs-read=${p}`), "--allow-worker", "--disallow-code-generation-from-strings", "--no-warnings"];
}

/** Run a compiled submission in a fresh child process. Never rejects. */
export function runPlanInChildProcess(plan: SubmissionPlan, timeLimitMs: number): Promise<SubmissionResponse> {
  return new Promise((resolve) => {
    const child = fork(path.join(compiledGradingDir(), "submission-process.js"), [], {
      execArgv: permissionFlags(plan.setup),
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString();
    });
    let settled = false;
    const finish = (response: SubmissionResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      resolve(response);
    };
    const timer = setTimeout(() => finish({ kind: "error", timedOut: true, message: `The submission exceeded the overall time limit of ${timeLimitMs / 1000} s.` }), timeLimitMs);
    child.on("message", (message: SubmissionResponse) => finish(message));
    child.on("error", (error) => finish({ kind: "error", message: `The grading process could not run: ${error.message}` }));
    child.on("exit", (code, signal) => {
      // Give a late IPC message a moment to arrive before declaring a crash.
      const reason = /heap out of memory|Reached heap limit/.test(stderr) ? "out of memory (heap limit reached)" : `code ${code}, signal ${signal}; ${stderr.split("\n").filter((l) => l.trim() !== "").slice(0, 2).join(" ")}`;
      setTimeout(() => finish({ kind: "error", message: `The grading process ended unexpectedly: ${reason}`.trim() }), 100);
    });
    child.send({ plan } satisfies SubmissionRequest);
  });
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A plan's report when its child process failed: compiled questions get the failure message. */
function reportAfterCrash(plan: SubmissionPlan, loaded: LoadedSetup, message: string): SubmissionReport {
  return {
    notes: [...plan.notes, message],
    questions: plan.questions.map((item) => {
      if (item.kind === "settled") return item.report;
      const question = loaded.questions.find((q) => q.id === item.questionId);
      return question ? failedQuestionReport(question, loaded.hidden, message) : { questionId: item.questionId, title: item.title, outcomes: [] };
    }),
  };
}

/**
 * When a submission's process died (V8 can abort the whole process when a worker
 * runs out of heap), grade its compiled questions again, each in its own process:
 * the question that crashes gets 0 with the reason, the others their real score.
 */
async function rerunOneQuestionPerProcess(plan: SubmissionPlan, loaded: LoadedSetup, failure: SubmissionResponse & { kind: "error" }, timeLimitMs: number): Promise<SubmissionReport> {
  if (failure.timedOut === true) return reportAfterCrash(plan, loaded, failure.message);
  const questions: SubmissionReport["questions"][number][] = [];
  for (const item of plan.questions) {
    if (item.kind === "settled") {
      questions.push(item.report);
      continue;
    }
    const single = await runPlanInChildProcess({ ...plan, notes: [], questions: [item] }, timeLimitMs);
    const report = single.kind === "report" ? single.report : reportAfterCrash({ ...plan, notes: [], questions: [item] }, loaded, `The answer crashed the grading process: ${single.message}`);
    questions.push(...report.questions);
  }
  return { notes: plan.notes, questions };
}

/** Grade notebooks; writes `<outDir>/<name>/results.json` and `<outDir>/summary.csv`. */
export async function gradeSubmissions(notebookPaths: readonly string[], options: GradeRunOptions): Promise<GradeRun> {
  const start = performance.now();
  const jobs = options.jobs ?? 1;
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`Expected jobs to be an integer >= 1, got ${jobs}.`);
  const loaded = loadGradingSetup(options.setup); // fails here, before any child, if the setup is broken
  const { questions, hidden } = loaded;
  if (questions.length === 0) throw new Error("No questions are registered: nothing to grade. Check the question modules.");
  const selected = selectShard(notebookPaths, options.shard);
  const names = submissionNames(selected);
  // Overall limit of a submission's process: start-up, plus each question's limit and
  // a generous allowance for loading its worker on a busy machine.
  const perQuestionMs = (options.setup.limits?.timeMs ?? 10_000) + 30_000;
  const timeLimitMs = 60_000 + questions.length * perQuestionMs;
  fs.mkdirSync(options.outDir, { recursive: true });

  const graded: GradedSubmission[] = new Array<GradedSubmission>(selected.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < selected.length) {
      const i = next++;
      const notebookPath = selected[i]!;
      const name = names[i]!;
      const sha256Before = sha256(notebookPath);
      const t0 = performance.now();
      const plan = planSubmission(notebookPath, loaded);
      const needsChild = plan.questions.some((q) => q.kind === "run");
      const response: SubmissionResponse = needsChild ? await runPlanInChildProcess(plan, timeLimitMs) : { kind: "report", report: { notes: plan.notes, questions: plan.questions.map((q) => (q.kind === "settled" ? q.report : { questionId: q.questionId, title: q.title, outcomes: [] })) } };
      const executionTime = (performance.now() - t0) / 1000;
      const report = response.kind === "report" ? response.report : await rerunOneQuestionPerProcess(plan, loaded, response, timeLimitMs);
      const results = gradescopeResults(report, { executionTime, hiddenVisibility: options.hiddenVisibility });
      const dir = path.join(options.outDir, name);
      fs.mkdirSync(dir, { recursive: true });
      const resultsPath = path.join(dir, "results.json");
      fs.writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
      const questionScores: Record<string, number> = {};
      for (const q of report.questions) questionScores[q.questionId] = q.outcomes.reduce((s, o) => s + o.points, 0);
      const maxScore = report.questions.reduce((s, q) => s + q.outcomes.reduce((m, o) => m + o.maxPoints, 0), 0);
      const submission: GradedSubmission = { name, notebookPath, resultsPath, score: results.score, maxScore, questionScores, executionTime, sha256Before, sha256After: sha256(notebookPath), results };
      graded[i] = submission;
      done++;
      options.onProgress?.({ done, total: selected.length, submission });
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, Math.max(selected.length, 1)) }, worker));

  const columns = questions.map((q) => q.id);
  const lines = [["submission", "score", "max_score", ...columns.map((id) => `${id} (${questionMaxPoints(questions.find((q) => q.id === id)!, hidden)})`)].map(csvField).join(",")];
  for (const s of graded) lines.push([s.name, s.score, s.maxScore, ...columns.map((id) => (id in s.questionScores ? s.questionScores[id]! : ""))].map(csvField).join(","));
  const summaryPath = path.join(options.outDir, "summary.csv");
  fs.writeFileSync(summaryPath, `${lines.join("\n")}\n`);
  return { submissions: graded, summaryPath, seconds: (performance.now() - start) / 1000 };
}
