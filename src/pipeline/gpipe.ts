/**
 * GPipe: all forwards, then all backwards (Huang et al. 2019, "GPipe", §2.2).
 *
 * The batch is cut into m micro-batches that follow each other through the p
 * stages, so stages overlap; the gradients of the m micro-batches are accumulated
 * and applied once at the end (a "pipeline flush"). Every stage keeps the
 * activations of all m micro-batches until their backward, so memory grows with m.
 *
 * Stage s runs: F0 F1 … F(m−1) B0 B1 … B(m−1)
 * (backwards in the order of Narayanan et al. 2021, Figure 3).
 *
 * With uniform costs the makespan is (m + p − 1)(t_f + t_b), so the bubble
 * fraction is (p − 1)/(m + p − 1) and the bubble over ideal (p − 1)/m
 * (Huang et al. 2019, §2.3; Narayanan et al. 2021, §2.2.1).
 */
import { expectPipelineSize } from "./arguments";
import { pipelineOp, type PipelineOp, type PipelineSchedule } from "./op";

/**
 * GPipe schedule.
 * @param stages p
 * @param microbatches m
 * @example
 *   gpipeSchedule(2, 3).perStage[1]; // F0 F1 F2 B0 B1 B2
 */
export function gpipeSchedule(stages: number, microbatches: number): PipelineSchedule {
  // BEGIN SOLUTION pipeline.gpipe
  expectPipelineSize(stages, microbatches);
  const perStage: PipelineOp[][] = [];
  for (let s = 0; s < stages; s++) {
    const ops: PipelineOp[] = [];
    // all forwards
    for (let j = 0; j < microbatches; j++) ops.push(pipelineOp("forward", s, j));
    // all backwards
    for (let j = 0; j < microbatches; j++) ops.push(pipelineOp("backward", s, j));
    perStage.push(ops);
  }
  return { name: "gpipe", stages, microbatches, chunks: 1, splitBackward: false, perStage };
  // STUDENT EDITION
  // const yourSchedule = yours.answer<typeof gpipeSchedule>("gpipeSchedule");
  // expectPipelineSize(stages, microbatches);
  // return yourSchedule(stages, microbatches);
  // END SOLUTION
}
