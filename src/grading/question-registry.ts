/**
 * The question registry: which questions exist, and where their tests come from.
 *
 * Question files (`src/grading/questions/<lab>.ts`) export `Question` values or
 * arrays of them; hidden suites (`test/graded/hidden/<lab>.hidden.ts`) export
 * `HiddenTests` values or arrays. Any export shape works: the registry collects
 * every exported value that looks like one, so a lab's author picks the names.
 */
import type { GradedTest, HiddenTests, Question } from "./question";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isGradedTest(value: unknown): value is GradedTest {
  return isRecord(value) && typeof value["name"] === "string" && typeof value["points"] === "number" && typeof value["run"] === "function";
}

/** True for a value shaped like a `Question`. */
export function isQuestion(value: unknown): value is Question {
  return (
    isRecord(value) &&
    typeof value["id"] === "string" &&
    typeof value["notebook"] === "string" &&
    Array.isArray(value["exports"]) &&
    Array.isArray(value["publicTests"]) &&
    value["publicTests"].every(isGradedTest)
  );
}

/** True for a value shaped like `HiddenTests`. */
export function isHiddenTests(value: unknown): value is HiddenTests {
  return isRecord(value) && typeof value["questionId"] === "string" && Array.isArray(value["tests"]) && value["tests"].every(isGradedTest);
}

function collect<T>(moduleExports: unknown, guard: (v: unknown) => v is T): T[] {
  if (!isRecord(moduleExports)) return [];
  const found: T[] = [];
  for (const value of Object.values(moduleExports)) {
    if (guard(value)) found.push(value);
    else if (Array.isArray(value)) found.push(...value.filter(guard));
  }
  return found;
}

/** Every `Question` a module exports (alone or in arrays), without duplicates by id. */
export function questionsInModule(moduleExports: unknown): Question[] {
  const byId = new Map<string, Question>();
  for (const q of collect(moduleExports, isQuestion)) byId.set(q.id, q);
  return [...byId.values()];
}

/** Every `HiddenTests` a module exports (alone or in arrays). */
export function hiddenTestsInModule(moduleExports: unknown): HiddenTests[] {
  return collect(moduleExports, isHiddenTests);
}

/** A question's lab: the part of its id before the first dot (`adam.step` -> `adam`). */
export function labOfQuestion(questionId: string): string {
  return questionId.split(".", 1)[0] ?? questionId;
}

/** Hidden tests for one question, gathered from all hidden suites. */
export function hiddenTestsFor(questionId: string, hidden: readonly HiddenTests[]): GradedTest[] {
  return hidden.filter((h) => h.questionId === questionId).flatMap((h) => h.tests);
}

/** A question's total points: public plus hidden tests. */
export function questionMaxPoints(question: Question, hidden: readonly HiddenTests[]): number {
  return [...question.publicTests, ...hiddenTestsFor(question.id, hidden)].reduce((sum, t) => sum + t.points, 0);
}

/**
 * Validate a set of questions: ids are `<lab>.<name>`, unique, with exports and
 * positive points. Returns the problems found (empty when all is well).
 */
export function questionProblems(questions: readonly Question[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const q of questions) {
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+$/.test(q.id)) problems.push(`Question id "${q.id}" must look like "<lab>.<name>", e.g. "adam.step".`);
    if (seen.has(q.id)) problems.push(`Question id "${q.id}" is registered twice.`);
    seen.add(q.id);
    if (q.exports.length === 0) problems.push(`Question ${q.id} names no exports; list the functions its answer cell defines.`);
    for (const t of q.publicTests) {
      if (!(t.points >= 0)) problems.push(`Question ${q.id}, test "${t.name}": expected points >= 0, got ${t.points}.`);
    }
  }
  return problems;
}
