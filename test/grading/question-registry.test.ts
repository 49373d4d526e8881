import { describe, expect, test } from "vitest";
import { hiddenTestsFor, hiddenTestsInModule, labOfQuestion, questionMaxPoints, questionProblems, questionsInModule } from "../../src/grading/question-registry";
import { courseQuestions } from "../../src/grading/questions";
import { hiddenModulesForQuestion } from "../../src/grading/submission-grader";
import { toyHidden } from "../fixtures/toy/toy.hidden";
import { toyQuestions } from "../fixtures/toy/toy.questions";

describe("the question registry", () => {
  test("collects questions exported alone or in arrays, once per id", () => {
    const [add, mean] = toyQuestions;
    expect(questionsInModule({ add, list: [add, mean], other: 3, fn: () => 1 }).map((q) => q.id)).toEqual(["toy.add", "toy.mean"]);
    expect(questionsInModule(undefined)).toEqual([]);
  });

  test("collects hidden suites and finds a question's hidden tests", () => {
    expect(hiddenTestsInModule({ toyHidden }).map((h) => h.questionId)).toEqual(["toy.add", "toy.mean"]);
    expect(hiddenTestsFor("toy.add", toyHidden).map((t) => t.name)).toEqual(["large numbers add exactly"]);
    expect(hiddenTestsFor("toy.norm", toyHidden)).toEqual([]);
  });

  test("a question's points are its public plus hidden tests: toy.add = 1 + 1 + 1", () => {
    expect(questionMaxPoints(toyQuestions[0]!, toyHidden)).toBe(3);
  });

  test("the lab is the id's part before the first dot", () => {
    expect(labOfQuestion("adam.biasCorrection")).toBe("adam");
    expect(labOfQuestion("gd.sgd.epoch")).toBe("gd");
  });

  test("malformed questions are reported with the fix", () => {
    const bad = { ...toyQuestions[0]!, id: "noDot", exports: [] };
    expect(questionProblems([bad, bad])).toEqual([
      'Question id "noDot" must look like "<lab>.<name>", e.g. "adam.step".',
      "Question noDot names no exports; list the functions its answer cell defines.",
      'Question id "noDot" must look like "<lab>.<name>", e.g. "adam.step".',
      'Question id "noDot" is registered twice.',
      "Question noDot names no exports; list the functions its answer cell defines.",
    ]);
  });

  test("every registered course question is well formed and its lab's notebook is named", () => {
    expect(courseQuestions.length).toBeGreaterThan(0);
    expect(questionProblems(courseQuestions)).toEqual([]);
    for (const q of courseQuestions) expect(q.notebook).toMatch(/^\d\d-[a-z0-9-]+\.ipynb$/);
  });

  test("a sandbox loads only its lab's hidden suites when they follow the naming", () => {
    const suites = ["/h/gd.hidden.ts", "/h/adam.hidden.ts", "/h/gdx.hidden.ts"];
    expect(hiddenModulesForQuestion("gd.step", suites)).toEqual(["/h/gd.hidden.ts"]);
    expect(hiddenModulesForQuestion("dp.ring", suites)).toEqual(suites);
  });
});
