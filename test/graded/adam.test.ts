import { beforeAll, describe, expect, it } from "vitest";
import { initTensors } from "../../src/tensor";
import { adamBiasCorrection, adamMoments, adamStep } from "../../src/optim";
import { adamQuestions } from "../../src/grading/questions/adam";
import { questionProblems } from "../../src/grading/question-registry";
import { adamHiddenTests } from "./hidden/adam.hidden";
import { loadMutants, runQuestionSuite, stubImplementation } from "./optim-suite-helpers";

beforeAll(async () => {
  await initTensors();
});

/** The reference answers: the library's own functions. */
const reference = { adamMoments, adamBiasCorrection, adamStep };

describe("lab 2 (Adam) graded questions", () => {
  it("are well formed: ids, exports, points, a hint on every test, hidden tests for every question", () => {
    expect(questionProblems(adamQuestions)).toEqual([]);
    expect(adamQuestions.map((q) => q.id)).toEqual(["adam.moments", "adam.biasCorrection", "adam.step"]);
    for (const q of adamQuestions) {
      for (const t of q.publicTests) expect(t.hint.length).toBeGreaterThan(10);
      expect(adamHiddenTests.some((h) => h.questionId === q.id && h.tests.length > 0)).toBe(true);
    }
  });

  it("the reference solution passes every public and hidden test", async () => {
    for (const q of adamQuestions) {
      const outcomes = await runQuestionSuite(q, adamHiddenTests, reference);
      expect(outcomes.filter((o) => !o.passed), q.id).toEqual([]);
    }
  });

  it("a stub that throws `Not implemented: <id>` fails every test, with that message, without crashing", async () => {
    for (const q of adamQuestions) {
      const outcomes = await runQuestionSuite(q, adamHiddenTests, stubImplementation(q));
      expect(outcomes.length).toBeGreaterThan(0);
      for (const o of outcomes) {
        expect(o.passed, `${q.id}: ${o.name}`).toBe(false);
        expect(o.message).toContain(`Not implemented: ${q.id}`);
      }
    }
  });

  it("an answer returning a bare tensor instead of { m, v } is told which fields to return", async () => {
    const outcomes = await runQuestionSuite(adamQuestions[0]!, [], { adamMoments: (m: unknown) => m });
    expect(outcomes.every((o) => !o.passed && /object with field `m`/.test(o.message))).toBe(true);
  });

  it("every mutant (at least 3 per question) loses points, and a failing message names its mistake", async () => {
    const mutants = await loadMutants("adam");
    for (const q of adamQuestions) expect(mutants.filter((m) => m.mutantOf === q.id).length, q.id).toBeGreaterThanOrEqual(3);
    for (const mutant of mutants) {
      const question = adamQuestions.find((q) => q.id === mutant.mutantOf);
      expect(question, mutant.file).toBeDefined();
      const outcomes = await runQuestionSuite(question!, adamHiddenTests, mutant.impl);
      const failed = outcomes.filter((o) => !o.passed);
      expect(failed.length, `${mutant.file} should fail at least one test`).toBeGreaterThan(0);
      const messages = failed.map((o) => o.message).join("\n");
      expect(messages, mutant.file).toMatch(mutant.expectedMessage);
    }
  });
});
