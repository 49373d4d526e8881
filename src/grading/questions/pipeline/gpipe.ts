/**
 * pipeline.gpipe (notebooks/05-pipeline.ipynb): GPipe as data.
 *
 *   gpipeSchedule(stages, microbatches) -> PipelineSchedule
 *   stage s runs F0 … F(m−1) B0 … B(m−1) (Huang et al. 2019, §2.2)
 *
 * The reference is the library's `gpipeSchedule` (src/pipeline/gpipe.ts).
 */
import { gpipeSchedule as libraryReferenceGpipe } from "../../../pipeline/gpipe";
import { oneFOneBSchedule as libraryReferenceOneFOneB } from "../../../pipeline/one-f-one-b";
import { pipelineOp, type PipelineSchedule } from "../../../pipeline/op";
import type { Implementation, Question } from "../../question";
import { callGradedAnswer, gradedTest } from "../expectations";
import { expectSchedule, expectScheduleShape, scheduleOf, type ScheduleMistake } from "./schedules";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const referenceGpipe = recordedReference("gpipeSchedule", libraryReferenceGpipe);
const referenceOneFOneB = recordedReference("oneFOneBSchedule", libraryReferenceOneFOneB);

/** GPipe-shaped schedules with a given order of forwards and backwards. */
function gpipeWith(p: number, m: number, order: "backwards-first" | "backwards-reversed" | "f-b-per-microbatch"): PipelineSchedule {
  return scheduleOf("gpipe", p, m, (s) => {
    const F = Array.from({ length: m }, (_, j) => pipelineOp("forward", s, j));
    const B = Array.from({ length: m }, (_, j) => pipelineOp("backward", s, j));
    switch (order) {
      case "backwards-first":
        return [...B, ...F];
      case "backwards-reversed":
        return [...F, ...B.reverse()];
      case "f-b-per-microbatch":
        return F.flatMap((f, j) => [f, B[j]!]);
    }
  });
}

/** The schedules typical mistakes give for GPipe. */
export function gpipeMistakes(p: number, m: number): ScheduleMistake[] {
  return [
    { schedule: gpipeWith(p, m, "backwards-first"), description: "the backwards run before the forwards: a backward needs its own forward's activations, so run all m forwards first" },
    { schedule: gpipeWith(p, m, "backwards-reversed"), description: "the backwards run last micro-batch first (B(m−1) … B0); GPipe as drawn in Narayanan et al. 2021, Figure 3 runs B0 … B(m−1)" },
    { schedule: gpipeWith(p, m, "f-b-per-microbatch"), description: "each micro-batch's backward follows right after its forward (F0 B0 F1 B1 …): that is naive model parallelism repeated m times; GPipe runs all forwards, then all backwards" },
    { schedule: referenceOneFOneB(p, m), description: "this is 1F1B (warm-up, then alternating F and B), not GPipe: GPipe runs all forwards, then all backwards" },
  ];
}

/** Check `gpipeSchedule(p, m)`; shared by public and hidden tests. */
export async function checkGpipeCase(impl: Implementation, p: number, m: number): Promise<void> {
  const what = `gpipeSchedule(${p}, ${m})`;
  const expected = referenceGpipe(p, m);
  const mistakes = gpipeMistakes(p, m);
  const schedule = expectScheduleShape(await callGradedAnswer(impl, "pipeline.gpipe", "gpipeSchedule", p, m), p, m, what);
  expectSchedule(schedule, expected, mistakes, what);
}

export const pipelineGpipeQuestion: Question = {
  id: "pipeline.gpipe",
  notebook: "05-pipeline.ipynb",
  title: "GPipe as data: all forwards, then all backwards, on every stage",
  exports: ["gpipeSchedule"],
  references: ["gpipeSchedule", "buildPipelineSchedule"],
  publicTests: [
    gradedTest("p = 2, m = 2: both stages run F0 F1 B0 B1", 1, "Build each op with lab.pipelineOp(kind, s, j); stage s's list holds only ops with stage s.", (impl) => checkGpipeCase(impl, 2, 2)),
    gradedTest("p = 4, m = 8: every stage runs F0 … F7, then B0 … B7", 2, "Two loops per stage: all forwards j = 0..m−1, then all backwards j = 0..m−1.", (impl) => checkGpipeCase(impl, 4, 8)),
    gradedTest("p = 1..6 and m = 1..9, including m < p: the same pattern", 2, "Nothing depends on whether m ≥ p; fill name, stages, microbatches, chunks: 1, splitBackward: false.", async (impl) => {
      for (let p = 1; p <= 6; p++) for (const m of [1, 2, 3, 5, 9]) await checkGpipeCase(impl, p, m);
    }),
  ],
};
