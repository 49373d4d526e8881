/**
 * `efflab check`: a student's progress from the terminal.
 *
 * The answer cells of a notebook are compiled and run exactly as the grader does
 * (submission-grader.ts: the kernel's compiler settings, one sandboxed worker per
 * question), against the **public** tests only, and reported with the same table as
 * `check()` in the notebook (check.ts), plus one progress line per lab:
 * "Lab 2: 3 of 8 public checks pass". Hidden tests are not run: they run when the
 * notebook is submitted.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkReportOf, checkReportText, type CheckReport } from "./check";
import { courseGradingSetup } from "./grading-setup";
import { indexAnswerCells, readNotebookText } from "./notebook-cells";
import { loadGradingSetup, planSubmission, runSubmissionPlan, type LoadedSetup } from "./submission-grader";

/** The public checks of one notebook. */
export interface NotebookCheck {
  readonly notebook: string;
  /** "Lab 2" (from the file name's number), or the file name. */
  readonly lab: string;
  readonly reports: readonly CheckReport[];
  readonly passed: number;
  readonly total: number;
  /** Problems with the notebook as a whole (unreadable, duplicated answer cells). */
  readonly notes: readonly string[];
}

/** "Lab 2" for `02-adam.ipynb`; the file name when it has no number. */
export function labTitle(notebook: string): string {
  const base = path.basename(notebook);
  const number = /^(\d+)[-_]/.exec(base)?.[1];
  return number === undefined ? base : `Lab ${Number(number)}`;
}

/** The progress line of one notebook. */
export function progressLine(check: NotebookCheck): string {
  if (check.total === 0) return `${check.lab}: no graded questions`;
  return `${check.lab}: ${check.passed} of ${check.total} public checks pass`;
}

/** True when a notebook has graded questions: answer cells, or questions registered for its file name. */
export function hasGradedQuestions(notebook: string, loaded: LoadedSetup): boolean {
  const base = path.basename(notebook);
  if (loaded.questions.some((q) => q.notebook === base)) return true;
  const read = readNotebookText(fs.readFileSync(notebook, "utf8"));
  if (read.kind === "invalid") return true; // let the grader report it
  return [...indexAnswerCells(read.notebook).cells.keys()].some((id) => loaded.questions.some((q) => q.id === id));
}

/** Questions and public tests only: the hidden suites stay with the grader. */
export function publicChecksSetup(): LoadedSetup {
  return loadGradingSetup(courseGradingSetup({ hiddenDir: path.join(path.sep, "nonexistent-hidden-tests") }));
}

/** Run the public checks of one notebook (no student file is written or changed). */
export async function checkNotebook(notebook: string, loaded: LoadedSetup = publicChecksSetup()): Promise<NotebookCheck> {
  const lab = labTitle(notebook);
  if (!hasGradedQuestions(notebook, loaded)) return { notebook, lab, reports: [], passed: 0, total: 0, notes: [] };
  const report = await runSubmissionPlan(planSubmission(notebook, loaded), loaded);
  const reports = report.questions.map((q) => {
    const question = loaded.questions.find((x) => x.id === q.questionId);
    const outcomes = q.outcomes.filter((o) => o.suite === "public");
    return checkReportOf(question ?? { id: q.questionId, title: q.title, publicTests: [] }, outcomes);
  });
  const passed = reports.reduce((s, r) => s + r.passed, 0);
  const total = reports.reduce((s, r) => s + r.outcomes.length, 0);
  return { notebook, lab, reports, passed, total, notes: report.notes };
}

/** The terminal report of one notebook: its notes and the `check()` table of each question. */
export function notebookCheckText(check: NotebookCheck): string {
  return [...check.notes.map((n) => `Note: ${n}`), ...check.reports.map(checkReportText)].join("\n\n");
}
