/**
 * How a global batch is split into the workers' shards, and what computing on a
 * shard costs in (simulated) time.
 *
 * Step t uses the global batch of B = Σ_i b_i samples starting at t·B (wrapping
 * around the data set); worker i takes the next b_i of them after workers 0..i−1.
 * One worker with batch B therefore sees exactly the samples N workers see together.
 */
import { expectInteger, expectNonNegative } from "../foundation/validate";

/** N shards of b samples each. */
export function evenShards(workers: number, localBatch: number): number[] {
  expectInteger("workers", workers, 1);
  expectInteger("localBatch", localBatch, 1);
  return new Array<number>(workers).fill(localBatch);
}

/** Throws unless every shard size is an integer >= 1; returns B = Σ b_i. */
export function globalBatchSize(shardSizes: readonly number[]): number {
  expectInteger("the number of workers (shardSizes.length)", shardSizes.length, 1);
  shardSizes.forEach((b, i) => expectInteger(`shardSizes[${i}]`, b, 1));
  return shardSizes.reduce((a, b) => a + b, 0);
}

/** Sample indices of each worker at step t (0-based), for a data set of `samples` rows. */
export function shardIndices(step: number, shardSizes: readonly number[], samples: number): number[][] {
  const B = globalBatchSize(shardSizes);
  expectInteger("samples", samples, 1);
  let next = step * B;
  return shardSizes.map((b) => {
    const indices: number[] = [];
    for (let j = 0; j < b; j++, next++) indices.push(next % samples);
    return indices;
  });
}

/**
 * A worker's compute time for one forward + backward pass:
 *   seconds = slowdown · (overheadSeconds + secondsPerSample · b)
 * A straggler is a worker with slowdown > 1.
 */
export interface WorkerComputeModel {
  /** seconds of forward + backward per sample */
  readonly secondsPerSample: number;
  /** fixed seconds per step (kernel launches, data loading). @default 0 */
  readonly overheadSeconds?: number;
  /** multiplies the whole time; > 1 makes a straggler. @default 1 */
  readonly slowdown?: number;
}

/** Simulated compute seconds of one step on b samples. */
export function workerComputeSeconds(model: WorkerComputeModel, b: number): number {
  expectNonNegative("secondsPerSample", model.secondsPerSample);
  const overhead = model.overheadSeconds ?? 0;
  const slowdown = model.slowdown ?? 1;
  expectNonNegative("overheadSeconds", overhead);
  expectNonNegative("slowdown", slowdown);
  return slowdown * (overhead + model.secondsPerSample * b);
}
