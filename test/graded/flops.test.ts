import { describe, expect, it } from "vitest";
import { trainingFlopsRule, utilisation, trainingSeconds } from "../../src/profiling";
import { flopsQuestions } from "../../src/grading/questions/flops";
import { NARAYANAN_GPT3_RUN, type GradedRun } from "../../src/grading/questions/flops/mfu";
import { flopsHiddenTests } from "./hidden/flops.hidden";
import { proveGradedLab, runQuestionSuite } from "./graded-suite";

/** The reference answers, built on the library (src/profiling/flops.ts) with the notebook's signatures. */
const reference = {
  trainingFlops: (P: number, D: number, recompute: "none" | "full") => ({ ...trainingFlopsRule(P, D, recompute) }),
  utilization: (run: GradedRun) => {
    const model = trainingFlopsRule(run.parameters, run.tokensPerStep, "none").total;
    const hardware = trainingFlopsRule(run.parameters, run.tokensPerStep, run.recompute).total;
    const u = utilisation({ modelFlops: model, hardwareFlops: hardware, seconds: run.stepSeconds, devices: run.devices, peakFlops: run.peakFlopsPerDevice });
    return { mfu: u.mfu, hfu: u.hfu };
  },
};

describe("lab 6 (flops) graded questions", () => {
  proveGradedLab({ lab: "flops", questions: flopsQuestions, hidden: flopsHiddenTests, reference, ids: ["flops.training", "flops.mfu"] });

  it("the public GPT-3 run is Narayanan et al.'s: 34 days for 300B tokens (Eq. 4), HFU = 140/312", () => {
    const r = NARAYANAN_GPT3_RUN;
    const steps = 300e9 / r.tokensPerStep;
    expect(Math.round((steps * r.stepSeconds) / 86400)).toBe(34);
    expect(trainingSeconds(300e9, r.parameters, r.devices, 140e12) / 86400).toBeCloseTo((steps * r.stepSeconds) / 86400, 9);
    expect(reference.utilization(r).hfu).toBeCloseTo(140 / 312, 12);
  });

  it("a missing function fails with a message naming the function to define", async () => {
    const outcomes = await runQuestionSuite(flopsQuestions[1]!, [], {});
    expect(outcomes.every((o) => !o.passed && /must define a function `utilization`/.test(o.message))).toBe(true);
  });
});
