/**
 * pipeline.bubbleFraction (notebooks/05-pipeline.ipynb): the bubble fraction of a
 * simulated timeline.
 *
 *   bubbleFraction(timeline) -> number
 *   Σ_s (T − b_s) / (p · T) (DESIGN.md, "Pipeline metrics")
 *
 * The reference is the library's `pipelineMetrics(timeline).bubbleFraction` (src/pipeline/metrics.ts).
 */
import { gpipeSchedule as libraryReferenceGpipe } from "../../../pipeline/gpipe";
import { oneFOneBSchedule as libraryReferenceOneFOneB } from "../../../pipeline/one-f-one-b";
import { naiveSchedule } from "../../../pipeline/naive";
import { zbH1Schedule } from "../../../pipeline/zero-bubble";
import { interleavedSchedule } from "../../../pipeline/interleaved";
import type { PipelineSchedule } from "../../../pipeline/op";
import { simulatePipeline, type PipelineCosts, type PipelineTimeline } from "../../../pipeline/simulate";
import { pipelineMetrics as libraryPipelineMetrics } from "../../../pipeline/metrics";
import { GradingError, type Implementation, type Question } from "../../question";
import { callGradedAnswer, gradedTest, looksLike, matchingMistakes, sameNumber } from "../expectations";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const referenceGpipe = recordedReference("gpipeSchedule", libraryReferenceGpipe);
const referenceOneFOneB = recordedReference("oneFOneBSchedule", libraryReferenceOneFOneB);
const pipelineMetrics = recordedReference("pipelineMetrics", libraryPipelineMetrics);

/** The bubble fraction the right answer and typical mistakes give for a timeline. */
export function bubbleFractionOutcomes(timeline: PipelineTimeline): { expected: number; mistakes: { value: number; description: string }[] } {
  const metrics = pipelineMetrics(timeline);
  const T = metrics.makespan;
  const p = timeline.schedule.stages;
  const totalIdle = metrics.busy.reduce((sum, b) => sum + (T - b), 0); // Σ_s (T − b_s)
  const totalBusy = metrics.busy.reduce((sum, b) => sum + b, 0);
  return {
    expected: metrics.bubbleFraction,
    mistakes: [
      { value: totalIdle / T, description: "the idle time was divided by the makespan T only: divide by the total stage-time p · T" },
      { value: totalBusy / (p * T), description: "this is the busy share, 1 − bubble: count the time stages are idle, T − b_s" },
      {
        // every stage does the same work, so b_s = ideal and (T − ideal)/ideal = Σ_s (T − b_s) / Σ_s b_s
        value: metrics.bubbleOverIdeal,
        description: "the idle time was divided by the busy time, which gives the bubble over ideal, (T − ideal)/ideal, a different metric: divide the idle stage-time by the total stage-time p · T",
      },
    ],
  };
}

/** Check `bubbleFraction(timeline)` against the library's metric. */
export async function checkBubbleFractionCase(impl: Implementation, timeline: PipelineTimeline, label: string): Promise<void> {
  const what = `bubbleFraction(${label})`;
  const { expected, mistakes } = bubbleFractionOutcomes(timeline);
  const received = await callGradedAnswer(impl, "pipeline.bubbleFraction", "bubbleFraction", timeline);
  if (typeof received !== "number") throw new GradingError(`${what} should return a number, got ${typeof received}.`);
  if (sameNumber(received, expected)) return;
  const matched = matchingMistakes(received, expected, mistakes, sameNumber);
  const why = matched.length > 0 ? looksLike(matched) : Number.isNaN(received) ? " It is NaN: check for a division by zero or an undefined field." : "";
  throw new GradingError(`${what} is not the idle share of all stage-time.${why}`, String(expected), String(received));
}

/** Timelines of the public tests, with their labels. */
export function bubbleFractionCase(kind: "gpipe" | "1f1b" | "naive" | "zb-h1" | "interleaved", p: number, m: number, costs: PipelineCosts = {}): [PipelineTimeline, string] {
  const schedule = ((): PipelineSchedule => {
    switch (kind) {
      case "gpipe":
        return referenceGpipe(p, m);
      case "1f1b":
        return referenceOneFOneB(p, m);
      case "naive":
        return naiveSchedule(p, m);
      case "zb-h1":
        return zbH1Schedule(p, m);
      case "interleaved":
        return interleavedSchedule(p, m, 2);
    }
  })();
  const costText = Object.keys(costs).length === 0 ? "" : `, ${Object.entries(costs).map(([k, v]) => `${k} ${v}`).join(", ")}`;
  return [simulatePipeline(schedule, costs), `${kind} p = ${p}, m = ${m}${costText}`];
}

export const pipelineBubbleFractionQuestion: Question = {
  id: "pipeline.bubbleFraction",
  notebook: "05-pipeline.ipynb",
  title: "Bubble fraction from a simulated timeline: idle stage-time ÷ (stages × makespan)",
  exports: ["bubbleFraction"],
  references: ["pipelineMetrics", "pipelineBubbleFraction"],
  publicTests: [
    gradedTest("naive model parallelism, p = 4: each stage idles 3/4 of the time, bubble 0.75", 1, "Each stage computes F and B of the one batch (2 of 8 time units); sum T − b_s over the stages.", (impl) =>
      checkBubbleFractionCase(impl, ...bubbleFractionCase("naive", 4, 1)),
    ),
    gradedTest("GPipe p = 4, m = 8 with F = B = 1: (p − 1)/(m + p − 1) = 3/11", 2, "b_s = Σ (end − start) over stage s's ops; divide Σ_s (T − b_s) by p · T.", (impl) =>
      checkBubbleFractionCase(impl, ...bubbleFractionCase("gpipe", 4, 8)),
    ),
    gradedTest("1F1B and ZB-H1 with unequal costs and communication time", 2, "Read each op's start and end from timeline.perStage[s] (b_s = Σ (end − start)); sum T − b_s over all p stages.", async (impl) => {
      await checkBubbleFractionCase(impl, ...bubbleFractionCase("1f1b", 3, 5, { forward: 1, backward: 2, communication: 0.25 }));
      await checkBubbleFractionCase(impl, ...bubbleFractionCase("zb-h1", 4, 6, { forward: 1, backward: 1, weight: 1 }));
    }),
  ],
};
