/**
 * ZB-H1, the first handcrafted zero-bubble schedule (Qi, Wan, Huang & Lin 2024,
 * "Zero Bubble Pipeline Parallelism", ICLR 2024, §2.1 "memory efficient
 * schedule" and Figure 3 top).
 *
 * The backward is split in two (§1–2): B computes the gradient with respect to the
 * stage's input, which the previous stage waits for, and W the gradient with
 * respect to the weights, which nobody waits for. Only B is on the critical path,
 * so a stage can postpone its W ops and use them to fill what would have been
 * bubbles. ZB-H1 starts like 1F1B and lets stage s postpone s of its W ops, so every
 * stage holds the same p micro-batches at its peak; the
 * last stage then finishes its backwards early and the earlier stages' tail bubbles
 * fill with W. Peak memory stays that of 1F1B's first stage (p micro-batches).
 *
 * Under the paper's simplifying assumption that F, B and W take the same time
 * (§2, stated for the handcrafted schedules) the bubble shrinks from 1F1B's
 * (p − 1)(T_F + T_B + T_W) to (p − 1)(T_F + T_B − T_W), a third: bubble over ideal
 * (p − 1)/(3m).
 *
 * For stage s (0-based), with w = min(p − s − 1, m):
 *   warm-up    F0 … F(w−1)
 *   steady     for i = 0..m−w−1: F(w+i) B(i), then W(i − s) once i ≥ s
 *   cool-down  for i = m−w..m−1: B(i), then W(i − s) once i ≥ s
 *   tail       the W ops still postponed
 */
import { expectPipelineSize } from "./arguments";
import { pipelineOp, type PipelineOp, type PipelineSchedule } from "./op";
import { oneFOneBWarmup } from "./one-f-one-b";

/**
 * ZB-H1 schedule.
 * @param stages p
 * @param microbatches m
 * @example
 *   zbH1Schedule(2, 2).perStage[1]; // F0 B0 F1 B1 W0 W1  (stage 1 postpones one W)
 */
export function zbH1Schedule(stages: number, microbatches: number): PipelineSchedule {
  expectPipelineSize(stages, microbatches);
  const perStage: PipelineOp[][] = [];
  for (let s = 0; s < stages; s++) {
    const ops: PipelineOp[] = [];
    const warmup = oneFOneBWarmup(stages, s, microbatches);
    const remaining = microbatches - warmup;
    let nextWeight = 0; // oldest micro-batch whose W is still owed
    const weightAfterBackward = (i: number): void => {
      // stage s keeps s weight gradients postponed
      if (i >= s) ops.push(pipelineOp("weight", s, nextWeight++));
    };
    // warm-up: forwards only
    for (let j = 0; j < warmup; j++) ops.push(pipelineOp("forward", s, j));
    // steady: F, B, and a W that trails the backwards by s micro-batches
    for (let i = 0; i < remaining; i++) {
      ops.push(pipelineOp("forward", s, warmup + i));
      ops.push(pipelineOp("backward", s, i));
      weightAfterBackward(i);
    }
    // cool-down: B, and the trailing W
    for (let i = remaining; i < microbatches; i++) {
      ops.push(pipelineOp("backward", s, i));
      weightAfterBackward(i);
    }
    // tail: the postponed W ops fill the end of the pipeline
    while (nextWeight < microbatches) ops.push(pipelineOp("weight", s, nextWeight++));
    perStage.push(ops);
  }
  return { name: "zb-h1", stages, microbatches, chunks: 1, splitBackward: true, perStage };
}
