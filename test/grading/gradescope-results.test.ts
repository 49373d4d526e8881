import { describe, expect, test } from "vitest";
import { gradescopeResults, gradescopeResultsProblems } from "../../src/grading/gradescope-results";
import type { SubmissionReport } from "../../src/grading/submission-grader";
import type { TestOutcome } from "../../src/grading/test-outcome";

function outcome(questionId: string, suite: "public" | "hidden", passed: boolean, maxPoints = 1): TestOutcome {
  return { questionId, testName: `${suite} ${passed}`, suite, maxPoints, points: passed ? maxPoints : 0, passed, message: passed ? "" : "wrong: did you average?", hint: "look at eq. 3" };
}

describe("Gradescope results.json", () => {
  const report: SubmissionReport = {
    notes: ["Answer cell `a.x` appears 2 times; the last one (lowest in the notebook) was graded."],
    questions: [
      { questionId: "a.x", title: "X", outcomes: [outcome("a.x", "public", true, 2), outcome("a.x", "hidden", false, 3)] },
      { questionId: "a.y", title: "Y", outcomes: [outcome("a.y", "public", false)] },
    ],
  };
  const results = gradescopeResults(report, { executionTime: 1.23456 });

  test("has every field Gradescope reads, and is valid", () => {
    expect(Object.keys(results).sort()).toEqual(["execution_time", "output", "score", "tests", "visibility"]);
    expect(Object.keys(results.tests[0]!).sort()).toEqual(["max_score", "name", "number", "output", "score", "status", "tags", "visibility"]);
    expect(gradescopeResultsProblems(JSON.parse(JSON.stringify(results)))).toEqual([]);
  });

  test("the score is the sum of test scores: 2 + 0 + 0", () => {
    expect(results.score).toBe(2);
    expect(results.execution_time).toBe(1.235);
  });

  test("hidden tests are after_published by default, configurable, public ones visible", () => {
    expect(results.tests.map((t) => t.visibility)).toEqual(["visible", "after_published", "visible"]);
    expect(gradescopeResults(report, { executionTime: 0, hiddenVisibility: "after_due_date" }).tests[1]!.visibility).toBe("after_due_date");
  });

  test("the summary counts public tests and never claims all tests passed", () => {
    const allPublicPass = gradescopeResults({ notes: [], questions: [{ questionId: "a.x", title: "X", outcomes: [outcome("a.x", "public", true), outcome("a.x", "hidden", false)] }] }, { executionTime: 0 });
    expect(allPublicPass.output).toContain("Public tests: 1 of 1 passed.");
    expect(allPublicPass.output).toContain("hidden tests were also graded");
    expect(allPublicPass.output.toLowerCase()).not.toContain("all tests");
  });

  test("numbers are question.test and tags name the question and suite", () => {
    expect(results.tests.map((t) => t.number)).toEqual(["1.1", "1.2", "2.1"]);
    expect(results.tests[1]!.tags).toEqual(["a.x", "hidden"]);
  });

  test("notes about the notebook come first in the output", () => {
    expect(results.output.split("\n")[0]).toMatch(/appears 2 times/);
  });

  test("the validator catches broken results", () => {
    expect(gradescopeResultsProblems({ score: "1", tests: [{ name: 1, score: 2, max_score: 1, status: "ok", output: 1, visibility: "x" }] }).length).toBeGreaterThanOrEqual(6);
  });
});
