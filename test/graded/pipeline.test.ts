import { describe, expect, it } from "vitest";
import { gpipeSchedule, oneFOneBSchedule, pipelineMetrics, simulatePipeline, findPipelineScheduleError, type PipelineTimeline } from "../../src/pipeline";
import { splitMlpWeights, type MlpWeights } from "../../src/parallel/tensor-parallel";
import { pipelineQuestions } from "../../src/grading/questions/pipeline";
import { gpipeMistakes } from "../../src/grading/questions/pipeline/gpipe";
import { oneFOneBMistakes } from "../../src/grading/questions/pipeline/one-f-one-b";
import { pipelineOpsText } from "../../src/grading/questions/pipeline/schedules";
import { bubbleFractionCase, bubbleFractionOutcomes } from "../../src/grading/questions/pipeline/bubble-fraction";
import { pipelineHiddenTests } from "./hidden/pipeline.hidden";
import { proveGradedLab, runQuestionSuite } from "./graded-suite";

/** The reference answers: the library's own schedules, metric and split. */
const reference = {
  gpipeSchedule: (p: number, m: number) => gpipeSchedule(p, m),
  oneFOneBSchedule: (p: number, m: number) => oneFOneBSchedule(p, m),
  bubbleFraction: (timeline: PipelineTimeline) => pipelineMetrics(timeline).bubbleFraction,
  columnRowSplit: (weights: MlpWeights, t: number) => splitMlpWeights(weights, t),
};

describe("lab 5 (pipeline) graded questions", () => {
  proveGradedLab({ lab: "pipeline", questions: pipelineQuestions, hidden: pipelineHiddenTests, reference, ids: ["pipeline.gpipe", "pipeline.oneFOneB", "pipeline.bubbleFraction", "pipeline.columnRowSplit"] });

  it("the public 1F1B example is the one worked in the notebook: stage 0 of p = 3, m = 4 runs F0 F1 F2 B0 F3 B1 B2 B3", () => {
    // warm-up w = min(3 − 0 − 1, 4) = 2: F0 F1; steady i = 0, 1: F2 B0, F3 B1; cool-down: B2 B3
    expect(pipelineOpsText(oneFOneBSchedule(3, 4).perStage[0]!)).toBe("F0 F1 F2 B0 F3 B1 B2 B3");
    // the last stage has w = 0: it alternates from the start
    expect(pipelineOpsText(oneFOneBSchedule(3, 4).perStage[2]!)).toBe("F0 B0 F1 B1 F2 B2 F3 B3");
  });

  it("every named schedule mistake differs from the right answer for the public sizes, and the invalid ones are caught by the validator", () => {
    for (const [p, m] of [[3, 4], [4, 8]] as const) {
      for (const k of gpipeMistakes(p, m)) expect(pipelineOpsText(k.schedule.perStage[0]!, 100) === pipelineOpsText(gpipeSchedule(p, m).perStage[0]!, 100), k.description).toBe(false);
      for (const k of oneFOneBMistakes(p, m)) expect(k.schedule.perStage.some((ops, s) => pipelineOpsText(ops, 100) !== pipelineOpsText(oneFOneBSchedule(p, m).perStage[s]!, 100)), k.description).toBe(true);
    }
    // backwards before forwards can never run (a backward needs its own forward)
    expect(findPipelineScheduleError(gpipeMistakes(2, 2)[0]!.schedule)).toMatch(/after its own forward/);
    // a warm-up of p forwards is valid but holds more activations than 1F1B's p − s
    const tooLong = oneFOneBMistakes(4, 8)[0]!.schedule;
    expect(findPipelineScheduleError(tooLong)).toBeUndefined();
    expect(pipelineMetrics(simulatePipeline(tooLong)).peakInFlight).toEqual([5, 5, 5, 5]);
    expect(pipelineMetrics(simulatePipeline(oneFOneBSchedule(4, 8))).peakInFlight).toEqual([4, 3, 2, 1]);
  });

  it("the public bubble examples match the closed forms: naive 3/4, GPipe (p − 1)/(m + p − 1) = 3/11 (Huang et al. 2019, §2.3)", () => {
    expect(bubbleFractionOutcomes(bubbleFractionCase("naive", 4, 1)[0]).expected).toBeCloseTo(3 / 4, 12);
    expect(bubbleFractionOutcomes(bubbleFractionCase("gpipe", 4, 8)[0]).expected).toBeCloseTo(3 / 11, 12);
  });

  it("a missing function fails with a message naming the function to define", async () => {
    const outcomes = await runQuestionSuite(pipelineQuestions[1]!, [], {});
    expect(outcomes.every((o) => !o.passed && /must define a function `oneFOneBSchedule`/.test(o.message))).toBe(true);
  });

});
