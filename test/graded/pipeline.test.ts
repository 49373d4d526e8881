import { describe, expect, it } from "vitest";
import { gpipeSchedule, oneFOneBSchedule, pipelineMetrics, simulatePipeline, findPipelineScheduleError, type PipelineTimeline } from "../../src/pipeline";
import { splitMlpWeights, type MlpWeights } from "../../src/parallel/tensor-parallel";
import { questionProblems } from "../../src/grading/question-registry";
import { gpipeMistakes, oneFOneBMistakes, pipelineQuestions, pipelineOpsText, bubbleFractionCase, bubbleFractionOutcomes } from "../../src/grading/questions/pipeline";
import { pipelineHiddenTests } from "./hidden/pipeline.hidden";
import { loadMutants, runQuestionSuite, stubImplementation } from "./optim-suite-helpers";

/** The reference answers: the library's own schedules, metric and split. */
const reference = {
  gpipeSchedule: (p: number, m: number) => gpipeSchedule(p, m),
  oneFOneBSchedule: (p: number, m: number) => oneFOneBSchedule(p, m),
  bubbleFraction: (timeline: PipelineTimeline) => pipelineMetrics(timeline).bubbleFraction,
  columnRowSplit: (weights: MlpWeights, t: number) => splitMlpWeights(weights, t),
};

describe("lab 5 (pipeline) graded questions", () => {
  it("are well formed: ids, exports, points, a hint on every test, hidden tests for every question", () => {
    expect(questionProblems(pipelineQuestions)).toEqual([]);
    expect(pipelineQuestions.map((q) => q.id)).toEqual(["pipeline.gpipe", "pipeline.oneFOneB", "pipeline.bubbleFraction", "pipeline.columnRowSplit"]);
    for (const q of pipelineQuestions) {
      for (const t of q.publicTests) expect(t.hint.length).toBeGreaterThan(10);
      expect(pipelineHiddenTests.some((h) => h.questionId === q.id && h.tests.length > 0)).toBe(true);
    }
  });

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

  it("the reference solution passes every public and hidden test", async () => {
    for (const q of pipelineQuestions) {
      const outcomes = await runQuestionSuite(q, pipelineHiddenTests, reference);
      expect(outcomes.filter((o) => !o.passed), q.id).toEqual([]);
    }
  });

  it("a stub that throws `Not implemented: <id>` fails every test, with that message, without crashing", async () => {
    for (const q of pipelineQuestions) {
      const outcomes = await runQuestionSuite(q, pipelineHiddenTests, stubImplementation(q));
      expect(outcomes.length).toBeGreaterThan(0);
      for (const o of outcomes) {
        expect(o.passed, `${q.id}: ${o.name}`).toBe(false);
        expect(o.message).toContain(`Not implemented: ${q.id}`);
      }
    }
  });

  it("a missing function fails with a message naming the function to define", async () => {
    const outcomes = await runQuestionSuite(pipelineQuestions[1]!, [], {});
    expect(outcomes.every((o) => !o.passed && /must define a function `oneFOneBSchedule`/.test(o.message))).toBe(true);
  });

  it("every mutant (at least 3 per question) loses points, and a failing message names its mistake", async () => {
    const mutants = await loadMutants("pipeline");
    for (const q of pipelineQuestions) expect(mutants.filter((m) => m.mutantOf === q.id).length, q.id).toBeGreaterThanOrEqual(3);
    for (const mutant of mutants) {
      const question = pipelineQuestions.find((q) => q.id === mutant.mutantOf);
      expect(question, mutant.file).toBeDefined();
      const outcomes = await runQuestionSuite(question!, pipelineHiddenTests, mutant.impl);
      const failed = outcomes.filter((o) => !o.passed);
      expect(failed.length, `${mutant.file} should fail at least one test`).toBeGreaterThan(0);
      expect(failed.map((o) => o.message).join("\n"), mutant.file).toMatch(mutant.expectedMessage);
    }
  });
});
