/**
 * `await check("<id>")` in a notebook: run one question's public tests against the
 * student's function as it is defined in the kernel right now, and show a table
 * (test, ✓/✗, message, hint) with a one-line summary.
 *
 * Like otter-grader's `grader.check("q1")`, but without re-running a test file: the
 * public tests are functions of the implementation (src/grading/question.ts), so
 * they run here, in the kernel's process, on the student's function. tslab keeps
 * every top-level declaration of every executed cell in
 * `globalThis.__tslab__.exports`, so `check` finds the functions by the names the
 * question lists in `exports`; `check(id, { name: fn })` passes them explicitly.
 *
 * The summary counts public tests only and says so. It never says "all tests
 * passed": hidden tests run in the grader (otter users' complaint: a green check in
 * the notebook, then a low grade).
 */
import { escapeHtml, showHtml } from "../plot/display";
import { asAnswer, kernelDefinitions } from "../foundation/your-answer";
import { questionLabNumber, type Implementation, type Question } from "./question";
import { checkNotRunLine, checkSummaryLine } from "./check-summary";
import { labOfQuestion } from "./question-registry";
import { courseQuestions } from "./questions";
import { runGradedTests, type TestOutcome } from "./test-outcome";

/** Options of `check`, `runCheck` and `checkAll`. */
export interface CheckOptions {
  /** Questions to look ids up in. @default every registered question */
  readonly questions?: readonly Question[];
  /** Limit for one test's asynchronous work (ms). @default 2000 */
  readonly testTimeoutMs?: number;
  /** Where to find the student's definitions when not passed explicitly. @default the kernel's */
  readonly definitions?: Readonly<Record<string, unknown>>;
}

/** The outcome of checking one question. */
export interface CheckReport {
  readonly questionId: string;
  readonly title: string;
  /** Names the question needs that are not defined yet (run the answer cell first). */
  readonly missing: readonly string[];
  readonly outcomes: readonly TestOutcome[];
  readonly passed: number;
  readonly points: number;
  readonly maxPoints: number;
  /** The one-line summary. */
  readonly summary: string;
}

/** Definitions made by the cells executed so far in the tslab kernel (empty outside a kernel). */
export { kernelDefinitions };

function findQuestion(questionId: string, questions: readonly Question[]): Question {
  const question = questions.find((q) => q.id === questionId);
  if (question === undefined) {
    const known = questions.map((q) => q.id);
    throw new Error(`Unknown question "${questionId}". Known questions: ${known.length > 0 ? known.join(", ") : "(none registered)"}. Copy the id from the answer cell's first line.`);
  }
  return question;
}

/** Run one question's public tests and return the report (no display). */
export async function runCheck(questionId: string, impl?: Implementation, options: CheckOptions = {}): Promise<CheckReport> {
  const question = findQuestion(questionId, options.questions ?? courseQuestions);
  const definitions = impl ?? options.definitions ?? kernelDefinitions();
  const missing = question.exports.filter((name) => definitions[name] === undefined);
  if (missing.length > 0) {
    const maxPoints = question.publicTests.reduce((s, t) => s + t.points, 0);
    const summary = checkNotRunLine(question.id, question.publicTests.length, missing);
    return { questionId: question.id, title: question.title, missing, outcomes: [], passed: 0, points: 0, maxPoints, summary };
  }
  const chosen: Record<string, unknown> = {};
  // Each function runs as the answer to this question: in a per-lab edition, the library's own
  // solution of this lab refuses to run inside it, as the grader does (foundation/your-answer.ts).
  const lab = questionLabNumber(question) ?? 0;
  for (const name of question.exports) {
    const defined = definitions[name];
    chosen[name] = typeof defined === "function" ? asAnswer(question.id, lab, defined as (...args: never[]) => unknown) : defined;
  }
  const outcomes = await runGradedTests(question.publicTests, chosen, { questionId: question.id, suite: "public", testTimeoutMs: options.testTimeoutMs });
  return checkReportOf(question, outcomes);
}

/** The report of a question's public-test outcomes (from the kernel, or from the grader's worker for `efflab check`). */
export function checkReportOf(question: Pick<Question, "id" | "title" | "publicTests">, outcomes: readonly TestOutcome[]): CheckReport {
  const maxPoints = question.publicTests.reduce((s, t) => s + t.points, 0);
  const passed = outcomes.filter((o) => o.passed).length;
  const points = outcomes.reduce((s, o) => s + o.points, 0);
  const summary = checkSummaryLine(question.id, passed, outcomes.length, points, maxPoints);
  return { questionId: question.id, title: question.title, missing: [], outcomes, passed, points, maxPoints, summary };
}


/** Plain-text rendering: one line per test, then the summary. */
export function checkReportText(report: CheckReport): string {
  const lines = [`${report.questionId} — ${report.title}`];
  for (const o of report.outcomes) {
    lines.push(`  ${o.passed ? "✓" : "✗"} ${o.testName} (${o.points}/${o.maxPoints})`);
    if (!o.passed) {
      for (const line of o.message.split("\n")) lines.push(`      ${line}`);
      if (o.hint) lines.push(`      Hint: ${o.hint}`);
    }
  }
  lines.push(report.summary);
  return lines.join("\n");
}

/** HTML rendering: a table (test, ✓/✗, message, hint) and the summary. */
export function checkReportHtml(report: CheckReport): string {
  const rows = report.outcomes
    .map((o) => {
      const mark = o.passed ? '<span style="color:#1a7f37">✓</span>' : '<span style="color:#cf222e">✗</span>';
      const message = o.passed ? "" : `<pre style="margin:0;white-space:pre-wrap">${escapeHtml(o.message)}</pre>`;
      return `<tr><td style="text-align:left">${escapeHtml(o.testName)}</td><td>${mark}</td><td style="text-align:left">${message}</td><td style="text-align:left">${o.passed ? "" : escapeHtml(o.hint)}</td></tr>`;
    })
    .join("");
  const table = report.outcomes.length > 0 ? `<table><thead><tr><th>test</th><th></th><th>message</th><th>hint</th></tr></thead><tbody>${rows}</tbody></table>` : "";
  return `<div><b>${escapeHtml(report.questionId)}</b> — ${escapeHtml(report.title)}${table}<p>${escapeHtml(report.summary)}</p></div>`;
}

/**
 * Check one question in the notebook and show the table.
 * @example
 *   await check("gd.step");                 // finds gdStep in the kernel
 *   await check("gd.step", { gdStep });     // or pass it explicitly
 */
export async function check(questionId: string, impl?: Implementation, options: CheckOptions = {}): Promise<void> {
  const report = await runCheck(questionId, impl, options);
  showHtml(checkReportHtml(report), checkReportText(report));
}

/** Options of `checkAll`. */
export interface CheckAllOptions extends CheckOptions {
  /** Only this lab (`gd`). @default the labs whose answers are defined in the kernel */
  readonly lab?: string;
}

/** Run `runCheck` for every question of the labs in use; returns the reports. */
export async function runCheckAll(options: CheckAllOptions = {}): Promise<CheckReport[]> {
  const questions = options.questions ?? courseQuestions;
  const definitions = options.definitions ?? kernelDefinitions();
  const labs = options.lab !== undefined ? new Set([options.lab]) : new Set(questions.filter((q) => q.exports.some((name) => definitions[name] !== undefined)).map((q) => labOfQuestion(q.id)));
  const chosen = questions.filter((q) => labs.has(labOfQuestion(q.id)));
  const reports: CheckReport[] = [];
  for (const q of chosen) reports.push(await runCheck(q.id, undefined, { ...options, questions, definitions }));
  return reports;
}

/** Check every question of the notebook's lab and show one table per question. */
export async function checkAll(options: CheckAllOptions = {}): Promise<void> {
  const reports = await runCheckAll(options);
  if (reports.length === 0) {
    showHtml("<p>No answer cell has run yet: run your answer cells, then checkAll() again.</p>", "No answer cell has run yet: run your answer cells, then checkAll() again.");
    return;
  }
  const passed = reports.reduce((s, r) => s + r.passed, 0);
  const total = reports.reduce((s, r) => s + r.outcomes.length, 0);
  const line = `${passed} of ${total} public tests passed over ${reports.length} questions. Hidden tests run when you submit.`;
  showHtml(`${reports.map(checkReportHtml).join("")}<p><b>${escapeHtml(line)}</b></p>`, `${reports.map(checkReportText).join("\n\n")}\n\n${line}`);
}
