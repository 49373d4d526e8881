import { beforeAll, describe, expect, it } from "vitest";
import { initTensors } from "../../src/tensor";
import { gdStep, mseGradient, sgdEpoch } from "../../src/optim";
import { gdQuestions } from "../../src/grading/questions/gd";
import { gdHiddenTests } from "./hidden/gd.hidden";
import { proveGradedLab, runQuestionSuite } from "./graded-suite";

beforeAll(async () => {
  await initTensors();
});

/** The reference answers: the library's own functions. */
const reference = { mseGradient, gdStep, sgdEpoch };

describe("lab 1 (gradient descent) graded questions", () => {
  proveGradedLab({ lab: "gd", questions: gdQuestions, hidden: gdHiddenTests, reference, ids: ["gd.mseGradient", "gd.step", "gd.sgdEpoch"] });

  it("a missing function fails with a message naming the function to define", async () => {
    const outcomes = await runQuestionSuite(gdQuestions[0]!, [], {});
    expect(outcomes.every((o) => !o.passed && /must define a function `mseGradient`/.test(o.message))).toBe(true);
  });

});
