/**
 * Grading one submitted notebook, in two steps.
 *
 * 1. `planSubmission` (trusted, no student code runs): read the notebook, find its
 *    answer cells, type-check and compile them. Missing cells ("answer cell `<id>`
 *    not found"), broken notebooks and compile errors are settled here.
 * 2. `runSubmissionPlan` (in the submission's own child process): run each
 *    compiled question in its own sandbox (`question-sandbox.ts`).
 *
 * Every question gets a result whatever happens to the others, and the notebook
 * file is only read.
 */
import * as fs from "node:fs";
import { compileAnswerCells, type CompiledAnswer } from "./answer-compiler";
import { answerRulesFor } from "./answer-rules";
import { indexAnswerCells, readNotebookText, type AnswerCellIndex } from "./notebook-cells";
import type { HiddenTests, Question } from "./question";
import { hiddenTestsFor, hiddenTestsInModule, labOfQuestion, questionsInModule } from "./question-registry";
import { gradeQuestionInWorker, type QuestionLimits } from "./question-sandbox";
import { failAllTests, type TestOutcome } from "./test-outcome";
import { requireModule, transpileModuleClosure, usePrecompiledModules } from "./typescript-require";

/** Where questions and hidden tests come from, and the limits. */
export interface GradingSetup {
  /** Modules exporting `Question`s (`.js` or `.ts`, absolute paths). */
  readonly questionModules: readonly string[];
  /** Hidden suites (absolute paths, usually `.ts`). */
  readonly hiddenModules: readonly string[];
  /**
   * Grade only this lab's questions (`gd`). Without it, the labs are those of the
   * answer cells found, else of the notebook's file name, else every lab.
   */
  readonly lab?: string;
  readonly limits?: QuestionLimits;
}

/** The graded result of one question. */
export interface QuestionReport {
  readonly questionId: string;
  readonly title: string;
  readonly outcomes: readonly TestOutcome[];
}

/** The graded result of one notebook. */
export interface SubmissionReport {
  /** Messages about the whole notebook (invalid file, duplicated cells). */
  readonly notes: readonly string[];
  readonly questions: readonly QuestionReport[];
}

/** A question after step 1: settled already, or compiled and ready to run. */
export type PlannedQuestion =
  | { readonly kind: "settled"; readonly report: QuestionReport }
  | { readonly kind: "run"; readonly questionId: string; readonly title: string; readonly javascript: string; readonly fileName: string };

/** What step 2 needs: compiled answers plus the grader's own modules, transpiled. */
export interface SubmissionPlan {
  readonly notes: readonly string[];
  readonly questions: readonly PlannedQuestion[];
  readonly setup: GradingSetup;
  /** `.ts` modules of the setup, transpiled (file name -> CommonJS code). */
  readonly modules: Readonly<Record<string, string>>;
}

/** Questions and hidden tests of a setup, loaded once. */
export interface LoadedSetup {
  readonly setup: GradingSetup;
  readonly questions: readonly Question[];
  readonly hidden: readonly HiddenTests[];
  readonly modules: Readonly<Record<string, string>>;
}

/**
 * Load the questions and hidden tests a setup names. Throws when a module is missing.
 * With `modules` (a plan's, in the submission's process) nothing is read from disk:
 * the hidden suites come from the code the parent transpiled.
 */
export function loadGradingSetup(setup: GradingSetup, modules?: Readonly<Record<string, string>>): LoadedSetup {
  const code = modules ?? transpileModuleClosure([...setup.questionModules, ...setup.hiddenModules]);
  if (modules !== undefined) usePrecompiledModules(modules);
  return {
    setup,
    questions: setup.questionModules.flatMap((m) => questionsInModule(requireModule(m))),
    hidden: setup.hiddenModules.flatMap((m) => hiddenTestsInModule(requireModule(m))),
    modules: code,
  };
}

/** Which questions a submission is graded on (see `GradingSetup.lab`). */
export function questionsForSubmission(all: readonly Question[], fileName: string, index: AnswerCellIndex | undefined, lab?: string): Question[] {
  if (lab !== undefined) return all.filter((q) => labOfQuestion(q.id) === lab);
  const answered = new Set([...(index?.cells.keys() ?? [])].filter((id) => all.some((q) => q.id === id)).map(labOfQuestion));
  if (answered.size > 0) return all.filter((q) => answered.has(labOfQuestion(q.id)));
  const base = fileName.replace(/^.*[/\\]/, "");
  const byName = all.filter((q) => q.notebook === base);
  return byName.length > 0 ? byName : [...all];
}

/** Every test of a question failed with one message. */
export function failedQuestionReport(question: Question, hidden: readonly HiddenTests[], message: string): QuestionReport {
  const outcomes = [...failAllTests(question.id, "public", question.publicTests, message), ...failAllTests(question.id, "hidden", hiddenTestsFor(question.id, hidden), message)];
  return { questionId: question.id, title: question.title, outcomes };
}

/** Step 1: read, index and compile a notebook. Never throws for anything the student did. */
export function planSubmission(notebookPath: string, loaded: LoadedSetup): SubmissionPlan {
  const { questions: all, hidden, setup, modules } = loaded;
  const settleAll = (reason: string): SubmissionPlan => ({
    notes: [reason],
    questions: questionsForSubmission(all, notebookPath, undefined, setup.lab).map((q) => ({ kind: "settled", report: failedQuestionReport(q, hidden, reason) })),
    setup,
    modules,
  });
  let text: string;
  try {
    text = fs.readFileSync(notebookPath, "utf8");
  } catch (error) {
    return settleAll(`The submission could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const read = readNotebookText(text);
  if (read.kind === "invalid") return settleAll(read.reason);
  const index = indexAnswerCells(read.notebook);
  const questions = questionsForSubmission(all, notebookPath, index, setup.lab);
  const notes = [...index.duplicates].map(([id, count]) => `Answer cell \`${id}\` appears ${count} times; the last one (lowest in the notebook) was graded.`);
  const present = questions.filter((q) => index.cells.has(q.id));
  const compiled = new Map<string, CompiledAnswer>(
    compileAnswerCells(present.map((q) => ({ questionId: q.id, source: index.cells.get(q.id)?.source ?? "", exports: q.exports, rules: answerRulesFor(q, all) }))).map((c) => [c.questionId, c]),
  );
  const planned = questions.map((question): PlannedQuestion => {
    const answer = compiled.get(question.id);
    if (answer === undefined) {
      return { kind: "settled", report: failedQuestionReport(question, hidden, `Answer cell \`${question.id}\` not found: keep the line "// @answer ${question.id}" as the first line of your answer cell.`) };
    }
    if (answer.kind === "compile-error") return { kind: "settled", report: failedQuestionReport(question, hidden, answer.message) };
    return { kind: "run", questionId: question.id, title: question.title, javascript: answer.javascript, fileName: answer.fileName };
  });
  return { notes, questions: planned, setup, modules };
}

/**
 * The hidden suites a question's sandbox loads: those named after its lab
 * (`<lab>.hidden.ts` for a question `<lab>.<name>`) when there are any, else all of them.
 */
export function hiddenModulesForQuestion(questionId: string, hiddenModules: readonly string[]): readonly string[] {
  const lab = labOfQuestion(questionId);
  const own = hiddenModules.filter((m) => (m.split(/[/\\]/).pop() ?? "").startsWith(`${lab}.`));
  return own.length > 0 ? own : hiddenModules;
}

/** Step 2: run the compiled questions, one sandbox each, in order. */
export async function runSubmissionPlan(plan: SubmissionPlan, loaded?: LoadedSetup): Promise<SubmissionReport> {
  const reports: QuestionReport[] = [];
  for (const item of plan.questions) {
    if (item.kind === "settled") {
      reports.push(item.report);
      continue;
    }
    const result = await gradeQuestionInWorker(
      { questionId: item.questionId, questionModules: plan.setup.questionModules, hiddenModules: hiddenModulesForQuestion(item.questionId, plan.setup.hiddenModules), javascript: item.javascript, fileName: item.fileName, modules: plan.modules },
      plan.setup.limits,
    );
    if (result.kind === "outcomes") {
      reports.push({ questionId: item.questionId, title: item.title, outcomes: result.outcomes });
      continue;
    }
    const setup = loaded ?? loadGradingSetup(plan.setup, plan.modules);
    const question = setup.questions.find((q) => q.id === item.questionId);
    reports.push(question ? failedQuestionReport(question, setup.hidden, result.message) : { questionId: item.questionId, title: item.title, outcomes: [] });
  }
  return { notes: plan.notes, questions: reports };
}

/** Both steps in this process (tests, small runs); `gradeSubmissions` splits them across processes. */
export async function gradeNotebookFile(notebookPath: string, setup: GradingSetup): Promise<SubmissionReport> {
  const loaded = loadGradingSetup(setup);
  return runSubmissionPlan(planSubmission(notebookPath, loaded), loaded);
}
