/**
 * Naive model parallelism: the layers are split across p devices, but only one
 * (micro-)batch is in the pipeline at a time.
 *
 * Each micro-batch goes forward through stages 0..p−1, then backward through
 * p−1..0, and only then does the next one enter. At any moment exactly one device
 * works and the other p−1 wait: the idle devices GPipe was designed to remove
 * (Huang et al. 2019, "GPipe", §2.2 and Figure 2b). With m micro-batches
 * (gradient accumulation) the bubble over ideal is p − 1.
 *
 * Stage s runs: F0 B0 F1 B1 … F(m−1) B(m−1).
 */
import { expectPipelineSize } from "./arguments";
import { pipelineOp, type PipelineOp, type PipelineSchedule } from "./op";

/**
 * Naive model-parallel schedule.
 * @param stages p, number of devices
 * @param microbatches m, micro-batches run one after another. @default 1 (one batch)
 * @example
 *   naiveSchedule(2).perStage[0]; // [F0, B0]
 */
export function naiveSchedule(stages: number, microbatches = 1): PipelineSchedule {
  expectPipelineSize(stages, microbatches);
  const perStage: PipelineOp[][] = [];
  for (let s = 0; s < stages; s++) {
    const ops: PipelineOp[] = [];
    for (let j = 0; j < microbatches; j++) {
      ops.push(pipelineOp("forward", s, j));
      ops.push(pipelineOp("backward", s, j));
    }
    perStage.push(ops);
  }
  return { name: "naive", stages, microbatches, chunks: 1, splitBackward: false, perStage };
}
