/**
 * Shared by the graded suites in test/graded/: run a question's public and hidden tests
 * against an implementation, the way `check()` and the grader do (each test isolated, a
 * failure recorded with its message, never thrown to the caller), and the proofs every
 * lab's suite owes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect, it } from "vitest";
import type { GradedTest, HiddenTests, Implementation, Question } from "../../src/grading/question";
import { questionProblems } from "../../src/grading/question-registry";

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

/** What `proveGradedLab` needs to know about a lab. */
export interface GradedLab {
  /** Lab id, also the folder of its mutants: test/fixtures/mutants/<lab>/. */
  readonly lab: string;
  readonly questions: readonly Question[];
  readonly hidden: readonly HiddenTests[];
  /** The reference answers, by export name. */
  readonly reference: Implementation;
  /** The question ids, in teaching order, as the notebook and the README name them. */
  readonly ids: readonly string[];
}

/**
 * The proofs every graded lab owes (DESIGN.md, "Graded suites prove themselves"), as
 * vitest tests: the questions are well formed; the reference passes every public and
 * hidden test; a stub fails every test with "Not implemented" without crashing; every
 * mutant (at least 3 per question) loses points with a message naming its mistake.
 * Call it inside the lab's `describe`.
 */
export function proveGradedLab(suite: GradedLab): void {
  const { lab, questions, hidden, reference, ids } = suite;

  it("are well formed: ids, exports, points, a hint on every test, hidden tests for every question", () => {
    expect(questionProblems(questions)).toEqual([]);
    expect(questions.map((q) => q.id)).toEqual(ids);
    for (const q of questions) {
      for (const t of q.publicTests) expect(t.hint.length).toBeGreaterThan(10);
      expect(hidden.some((h) => h.questionId === q.id && h.tests.length > 0)).toBe(true);
    }
  });

  it("the reference solution passes every public and hidden test", async () => {
    for (const q of questions) {
      const outcomes = await runQuestionSuite(q, hidden, reference);
      expect(outcomes.filter((o) => !o.passed), q.id).toEqual([]);
    }
  });

  it("a stub that throws `Not implemented: <id>` fails every test, with that message, without crashing", async () => {
    for (const q of questions) {
      const outcomes = await runQuestionSuite(q, hidden, stubImplementation(q));
      expect(outcomes.length).toBeGreaterThan(0);
      for (const o of outcomes) {
        expect(o.passed, `${q.id}: ${o.name}`).toBe(false);
        expect(o.message).toContain(`Not implemented: ${q.id}`);
      }
    }
  });

  it("every mutant (at least 3 per question) loses points, and a failing message names its mistake", async () => {
    const mutants = await loadMutants(lab);
    for (const q of questions) expect(mutants.filter((m) => m.mutantOf === q.id).length, q.id).toBeGreaterThanOrEqual(3);
    for (const mutant of mutants) {
      const question = questions.find((q) => q.id === mutant.mutantOf);
      expect(question, mutant.file).toBeDefined();
      const outcomes = await runQuestionSuite(question!, hidden, mutant.impl);
      const failed = outcomes.filter((o) => !o.passed);
      expect(failed.length, `${mutant.file} should fail at least one test`).toBeGreaterThan(0);
      expect(failed.map((o) => o.message).join("\n"), mutant.file).toMatch(mutant.expectedMessage);
    }
  });
}
