import { describe, expect, it } from "vitest";
import { dynamicLossScalerStep, roundToFormat } from "../../src/precision";
import { precisionQuestions } from "../../src/grading/questions/precision";
import { toFp16With } from "../../src/grading/questions/precision/to-fp16";
import { precisionHiddenTests } from "./hidden/precision.hidden";
import { proveGradedLab, runQuestionSuite } from "./graded-suite";

/** The reference answers: the library's rounding and loss scaler (src/precision). */
const reference = {
  toFp16: (x: number) => roundToFormat(x, "fp16"),
  lossScalerStep: (state: { scale: number; growthTracker: number }, grads: number[], options: { growthFactor: number; backoffFactor: number; growthInterval: number }) =>
    dynamicLossScalerStep(state, grads, options),
};

describe("lab 6 (precision) graded questions", () => {
  proveGradedLab({ lab: "precision", questions: precisionQuestions, hidden: precisionHiddenTests, reference, ids: ["precision.toFp16", "precision.lossScaler"] });

  it("each written-out fp16 mistake differs from IEEE rounding on some public input (so it can be named)", () => {
    const inputs = [0.1, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 2049, 2 ** -24 * 1.5, 65520, Infinity, 3.14159];
    for (const variant of ["truncate", "ties-away", "flush-subnormals", "saturate", "no-overflow"] as const) {
      expect(inputs.some((x) => !Object.is(toFp16With(x, variant), toFp16With(x))), variant).toBe(true);
    }
  });

  it("a missing function fails with a message naming the function to define", async () => {
    const outcomes = await runQuestionSuite(precisionQuestions[0]!, [], {});
    expect(outcomes.every((o) => !o.passed && /must define a function `toFp16`/.test(o.message))).toBe(true);
  });
});
