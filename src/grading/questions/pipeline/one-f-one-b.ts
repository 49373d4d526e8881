/**
 * pipeline.oneFOneB (notebooks/05-pipeline.ipynb): 1F1B (PipeDream-Flush) as data.
 *
 *   oneFOneBSchedule(stages, microbatches) -> PipelineSchedule
 *   warm-up min(p − s − 1, m) forwards, steady F B pairs, cool-down
 *   (Narayanan et al. 2021, §2.2.1; Megatron-LM's forward_backward_pipelining_without_interleaving)
 *
 * The reference is the library's `oneFOneBSchedule` (src/pipeline/one-f-one-b.ts).
 */
import { gpipeSchedule as libraryReferenceGpipe } from "../../../pipeline/gpipe";
import { oneFOneBSchedule as libraryReferenceOneFOneB } from "../../../pipeline/one-f-one-b";
import { pipelineOp, type PipelineOp, type PipelineSchedule } from "../../../pipeline/op";
import type { Implementation, Question } from "../../question";
import { callGradedAnswer, gradedTest } from "../expectations";
import { expectSchedule, expectScheduleShape, scheduleOf, type ScheduleMistake } from "./schedules";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const referenceGpipe = recordedReference("gpipeSchedule", libraryReferenceGpipe);
const referenceOneFOneB = recordedReference("oneFOneBSchedule", libraryReferenceOneFOneB);

/** 1F1B with a warm-up rule `warmup(s)` and, optionally, B before F in the steady phase. */
function oneFOneBWith(p: number, m: number, warmup: (s: number) => number, backwardFirst = false): PipelineSchedule {
  return scheduleOf("1f1b", p, m, (s) => {
    const w = Math.max(0, Math.min(warmup(s), m));
    const ops: PipelineOp[] = [];
    for (let j = 0; j < w; j++) ops.push(pipelineOp("forward", s, j)); // warm-up
    for (let i = 0; i < m - w; i++) {
      const pair = [pipelineOp("forward", s, w + i), pipelineOp("backward", s, i)]; // steady 1F1B
      ops.push(...(backwardFirst ? pair.reverse() : pair));
    }
    for (let j = m - w; j < m; j++) ops.push(pipelineOp("backward", s, j)); // cool-down
    return ops;
  });
}

/** The schedules typical mistakes give for 1F1B. */
export function oneFOneBMistakes(p: number, m: number): ScheduleMistake[] {
  return [
    { schedule: oneFOneBWith(p, m, () => p), description: "every stage warms up with p forwards instead of p − s − 1 (warm-up = min(p − s − 1, m), s = the stage's rank): the schedule is valid but holds more micro-batches than 1F1B" },
    { schedule: oneFOneBWith(p, m, (s) => p - s), description: "stage s warms up with p − s forwards, one too many: warm-up = min(p − s − 1, m)" },
    { schedule: oneFOneBWith(p, m, (s) => s), description: "the warm-up counts from the wrong end: the FIRST stage needs the longest warm-up, p − s − 1 (p − 1 on stage 0, none on the last stage)" },
    { schedule: oneFOneBWith(p, m, (s) => p - s - 1, true), description: "the steady phase runs backward before forward: each steady step is one forward F(w + i), THEN one backward B(i)" },
    { schedule: referenceGpipe(p, m), description: "this is GPipe (all forwards, then all backwards), not 1F1B" },
    {
      schedule: scheduleOf("1f1b", p, m, (s) => {
        const ops = [...referenceOneFOneB(p, m).perStage[s]!];
        const w = Math.min(p - s - 1, m);
        return [...ops.slice(0, ops.length - w), ...ops.slice(ops.length - w).reverse()];
      }),
      description: "the cool-down backwards run in reverse order: finish the backwards oldest micro-batch first, B(m − w) … B(m − 1)",
    },
  ];
}

/** Check `oneFOneBSchedule(p, m)`; shared by public and hidden tests. */
export async function checkOneFOneBCase(impl: Implementation, p: number, m: number): Promise<void> {
  const what = `oneFOneBSchedule(${p}, ${m})`;
  const expected = referenceOneFOneB(p, m);
  const mistakes = oneFOneBMistakes(p, m);
  const schedule = expectScheduleShape(await callGradedAnswer(impl, "pipeline.oneFOneB", "oneFOneBSchedule", p, m), p, m, what);
  expectSchedule(schedule, expected, mistakes, what);
}

export const pipelineOneFOneBQuestion: Question = {
  id: "pipeline.oneFOneB",
  notebook: "05-pipeline.ipynb",
  title: "1F1B (PipeDream-Flush): warm-up, steady one-forward-one-backward, cool-down",
  exports: ["oneFOneBSchedule"],
  references: ["oneFOneBSchedule", "buildPipelineSchedule"],
  publicTests: [
    gradedTest("p = 3, m = 4: stage 0 runs F0 F1 | F2 B0 F3 B1 | B2 B3, the last stage F0 B0 F1 B1 …", 2, "Stage s warms up with w = min(p − s − 1, m) forwards, then m − w pairs F(w + i) B(i), then the w backwards left.", (impl) =>
      checkOneFOneBCase(impl, 3, 4),
    ),
    gradedTest("p = 4, m = 8: the schedule of Narayanan et al. 2021, Figure 4 (top)", 2, "The last stage has no warm-up: it alternates F and B from the start.", (impl) => checkOneFOneBCase(impl, 4, 8)),
    gradedTest("p = 1..6 and m = 1..9, including m < p (warm-up capped at m)", 2, "When m < p − s − 1 the warm-up is all m forwards and there is no steady phase.", async (impl) => {
      for (let p = 1; p <= 6; p++) for (const m of [1, 2, 3, 5, 9]) await checkOneFOneBCase(impl, p, m);
    }),
  ],
};
