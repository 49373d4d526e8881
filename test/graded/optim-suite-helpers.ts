/**
 * Shared by test/graded/gd.test.ts and adam.test.ts: run a question's public and hidden
 * tests against an implementation, the way `check()` and the grader do (each test
 * isolated, a failure recorded with its message, never thrown to the caller).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { GradedTest, HiddenTests, Implementation, Question } from "../../src/grading/question";

export interface TestOutcome {
  readonly name: string;
  readonly points: number;
  readonly passed: boolean;
  readonly message: string;
}

/** Run every public and hidden test of `question` against `impl`. */
export async function runQuestionSuite(question: Question, hidden: readonly HiddenTests[], impl: Implementation): Promise<TestOutcome[]> {
  const tests: GradedTest[] = [...question.publicTests, ...hidden.filter((h) => h.questionId === question.id).flatMap((h) => h.tests)];
  const outcomes: TestOutcome[] = [];
  for (const test of tests) {
    try {
      await test.run(impl);
      outcomes.push({ name: test.name, points: test.points, passed: true, message: "" });
    } catch (error) {
      outcomes.push({ name: test.name, points: test.points, passed: false, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}

/** A mutant module: the wrong implementation plus which question and which message it must trigger. */
export interface MutantModule {
  readonly file: string;
  readonly mutantOf: string;
  readonly expectedMessage: RegExp;
  readonly impl: Implementation;
}

/** Load every mutant of a lab from test/fixtures/mutants/<lab>/. */
export async function loadMutants(lab: string): Promise<MutantModule[]> {
  const dir = path.join(__dirname, "..", "fixtures", "mutants", lab);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();
  const mutants: MutantModule[] = [];
  for (const file of files) {
    const mod = (await import(path.join(dir, file))) as Record<string, unknown>;
    mutants.push({ file, mutantOf: String(mod["mutantOf"]), expectedMessage: mod["expectedMessage"] as RegExp, impl: mod });
  }
  return mutants;
}

/** An implementation whose every export throws like the student edition's stubs. */
export function stubImplementation(question: Question): Implementation {
  return Object.fromEntries(
    question.exports.map((name) => [
      name,
      () => {
        throw new Error(`Not implemented: ${question.id}`);
      },
    ]),
  );
}
