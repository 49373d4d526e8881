import { beforeAll, describe, expect, it } from "vitest";
import { initTensors } from "../../src/tensor";
import { gdStep, mseGradient, sgdEpoch } from "../../src/optim";
import { gdQuestions } from "../../src/grading/questions/gd";
import { questionProblems } from "../../src/grading/question-registry";
import { gdHiddenTests } from "./hidden/gd.hidden";
import { loadMutants, runQuestionSuite, stubImplementation } from "./optim-suite-helpers";

beforeAll(async () => {
  await initTensors();
});

/** The reference answers: the library's own functions. */
const reference = { mseGradient, gdStep, sgdEpoch };

describe("lab 1 (gradient descent) graded questions", () => {
  it("are well formed: ids, exports, points, a hint on every test, hidden tests for every question", () => {
    expect(questionProblems(gdQuestions)).toEqual([]);
    expect(gdQuestions.map((q) => q.id)).toEqual(["gd.mseGradient", "gd.step", "gd.sgdEpoch"]);
    for (const q of gdQuestions) {
      for (const t of q.publicTests) expect(t.hint.length).toBeGreaterThan(10);
      expect(gdHiddenTests.some((h) => h.questionId === q.id && h.tests.length > 0)).toBe(true);
    }
  });

  it("the reference solution passes every public and hidden test", async () => {
    for (const q of gdQuestions) {
      const outcomes = await runQuestionSuite(q, gdHiddenTests, reference);
      expect(outcomes.filter((o) => !o.passed), q.id).toEqual([]);
    }
  });

  it("a stub that throws `Not implemented: <id>` fails every test, with that message, without crashing", async () => {
    for (const q of gdQuestions) {
      const outcomes = await runQuestionSuite(q, gdHiddenTests, stubImplementation(q));
      expect(outcomes.length).toBeGreaterThan(0);
      for (const o of outcomes) {
        expect(o.passed, `${q.id}: ${o.name}`).toBe(false);
        expect(o.message).toContain(`Not implemented: ${q.id}`);
      }
    }
  });

  it("a missing function fails with a message naming the function to define", async () => {
    const outcomes = await runQuestionSuite(gdQuestions[0]!, [], {});
    expect(outcomes.every((o) => !o.passed && /must define a function `mseGradient`/.test(o.message))).toBe(true);
  });

  it("every mutant (at least 3 per question) loses points, and a failing message names its mistake", async () => {
    const mutants = await loadMutants("gd");
    for (const q of gdQuestions) expect(mutants.filter((m) => m.mutantOf === q.id).length, q.id).toBeGreaterThanOrEqual(3);
    for (const mutant of mutants) {
      const question = gdQuestions.find((q) => q.id === mutant.mutantOf);
      expect(question, mutant.file).toBeDefined();
      const outcomes = await runQuestionSuite(question!, gdHiddenTests, mutant.impl);
      const failed = outcomes.filter((o) => !o.passed);
      expect(failed.length, `${mutant.file} should fail at least one test`).toBeGreaterThan(0);
      const messages = failed.map((o) => o.message).join("\n");
      expect(messages, mutant.file).toMatch(mutant.expectedMessage);
    }
  });
});
