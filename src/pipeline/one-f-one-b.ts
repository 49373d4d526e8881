/**
 * 1F1B, also called PipeDream-Flush (Narayanan et al. 2021, "Efficient
 * Large-Scale Language Model Training on GPU Clusters Using Megatron-LM", §2.2.1,
 * Figure 4 top; PipeDream-2BW, Narayanan et al. 2021 ICML).
 *
 * Same work and same flush as GPipe, in a different order: after a short warm-up
 * each stage alternates one forward and one backward, so a micro-batch's
 * activations are freed as soon as possible. The makespan (hence the bubble,
 * (p − 1)/m over ideal) is GPipe's, but stage s (0-based) never holds more than
 * p − s micro-batches instead of m.
 *
 * Mirrors Megatron-LM's `forward_backward_pipelining_without_interleaving`
 * (megatron/core/pipeline_parallel/schedules.py). For stage s:
 *   warm-up    w = min(p − s − 1, m) forwards:          F0 … F(w−1)
 *   steady     for i = 0..m−w−1: one forward, one backward: F(w+i) B(i)
 *   cool-down  the remaining backwards:                  B(m−w) … B(m−1)
 */
import { expectPipelineSize } from "./arguments";
import { pipelineOp, type PipelineOp, type PipelineSchedule } from "./op";

/** Number of warm-up forwards of stage s in 1F1B: min(p − s − 1, m). */
export function oneFOneBWarmup(stages: number, stage: number, microbatches: number): number {
  return Math.min(stages - stage - 1, microbatches);
}

/**
 * 1F1B (PipeDream-Flush) schedule.
 * @param stages p
 * @param microbatches m
 * @example
 *   oneFOneBSchedule(3, 4).perStage[0]; // F0 F1 | F2 B0 F3 B1 | B2 B3
 */
export function oneFOneBSchedule(stages: number, microbatches: number): PipelineSchedule {
  // BEGIN SOLUTION pipeline.oneFOneB
  expectPipelineSize(stages, microbatches);
  const perStage: PipelineOp[][] = [];
  for (let s = 0; s < stages; s++) {
    const ops: PipelineOp[] = [];
    const warmup = oneFOneBWarmup(stages, s, microbatches);
    const remaining = microbatches - warmup;
    // warm-up: forwards only
    for (let j = 0; j < warmup; j++) ops.push(pipelineOp("forward", s, j));
    // steady 1F1B: one forward, one backward
    for (let i = 0; i < remaining; i++) {
      ops.push(pipelineOp("forward", s, warmup + i));
      ops.push(pipelineOp("backward", s, i));
    }
    // cool-down: the backwards still owed
    for (let j = remaining; j < microbatches; j++) ops.push(pipelineOp("backward", s, j));
    perStage.push(ops);
  }
  return { name: "1f1b", stages, microbatches, chunks: 1, splitBackward: false, perStage };
  // STUDENT EDITION
  // const yourSchedule = yours.answer<typeof oneFOneBSchedule>("oneFOneBSchedule");
  // expectPipelineSize(stages, microbatches);
  // return yourSchedule(stages, microbatches);
  // END SOLUTION
}
