import { beforeAll, describe, expect, it } from "vitest";
import { initTensors } from "../../src/tensor";
import { adamBiasCorrection, adamMoments, adamStep } from "../../src/optim";
import { adamQuestions } from "../../src/grading/questions/adam";
import { adamHiddenTests } from "./hidden/adam.hidden";
import { proveGradedLab, runQuestionSuite } from "./graded-suite";

beforeAll(async () => {
  await initTensors();
});

/** The reference answers: the library's own functions. */
const reference = { adamMoments, adamBiasCorrection, adamStep };

describe("lab 2 (Adam) graded questions", () => {
  proveGradedLab({ lab: "adam", questions: adamQuestions, hidden: adamHiddenTests, reference, ids: ["adam.moments", "adam.biasCorrection", "adam.step"] });

  it("an answer returning a bare tensor instead of { m, v } is told which fields to return", async () => {
    const outcomes = await runQuestionSuite(adamQuestions[0]!, [], { adamMoments: (m: unknown) => m });
    expect(outcomes.every((o) => !o.passed && /object with field `m`/.test(o.message))).toBe(true);
  });

});
