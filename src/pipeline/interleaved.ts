/**
 * Interleaved 1F1B (Narayanan et al. 2021, "Efficient Large-Scale Language Model
 * Training on GPU Clusters Using Megatron-LM", §2.2.2, Figure 4 bottom).
 *
 * Each device holds v model chunks instead of one contiguous block of layers:
 * device s holds virtual stages s, p + s, 2p + s, … (chunk c = virtual stage
 * c·p + s). A micro-batch therefore crosses the devices v times, each chunk op
 * costs 1/v of a stage's work, and the pipeline fills and drains v times faster:
 * with uniform costs the bubble over ideal is (p − 1)/(v·m) (§2.2.2: the
 * bubble time shrinks by a factor of v). The price is v times more
 * point-to-point communication.
 *
 * Mirrors Megatron-LM's `forward_backward_pipelining_with_interleaving`
 * (megatron/core/pipeline_parallel/schedules.py), which requires m to be a
 * multiple of p. Each device walks through m·v "virtual micro-batches" k:
 *   chunk(k, forward)   = ⌊(k mod p·v) / p⌋
 *   chunk(k, backward)  = v − 1 − ⌊(k mod p·v) / p⌋
 *   microbatch(k)       = ⌊k / (p·v)⌋ · p + (k mod p)
 * i.e. groups of p micro-batches go through chunk 0, then chunk 1, …; backwards
 * visit the chunks in reverse. For stage s:
 *   warm-up    w = min(2(p − s − 1) + (v − 1)·p, m·v) forwards (all m·v when m = p)
 *   steady     for i = 0..m·v−w−1: forward k = w + i, backward k = i
 *   cool-down  the remaining backwards k = m·v − w … m·v − 1
 */
import { expectPipelineSize } from "./arguments";
import { pipelineOp, type PipelineOp, type PipelineSchedule } from "./op";

/** Model chunk of virtual micro-batch k on the way forward (or backward). */
export function interleavedChunk(k: number, stages: number, chunks: number, forward: boolean): number {
  const c = Math.floor((k % (stages * chunks)) / stages);
  return forward ? c : chunks - 1 - c;
}

/** Micro-batch of virtual micro-batch k: ⌊k / (p·v)⌋ · p + (k mod p). */
export function interleavedMicrobatch(k: number, stages: number, chunks: number): number {
  return Math.floor(k / (stages * chunks)) * stages + (k % stages);
}

/** Number of warm-up forwards of stage s in the interleaved schedule. */
export function interleavedWarmup(stages: number, stage: number, microbatches: number, chunks: number): number {
  const total = microbatches * chunks;
  if (microbatches === stages) return total; // Megatron: "all warm-up" when m = p
  return Math.min(2 * (stages - stage - 1) + (chunks - 1) * stages, total);
}

/**
 * Interleaved 1F1B schedule.
 * @param stages p
 * @param microbatches m, a multiple of p
 * @param chunks v, model chunks per device. @default 2
 * @example
 *   interleavedSchedule(2, 4, 2).perStage[0].length; // 2·m·v = 16 ops
 */
export function interleavedSchedule(stages: number, microbatches: number, chunks = 2): PipelineSchedule {
  expectPipelineSize(stages, microbatches, chunks);
  if (microbatches % stages !== 0) {
    throw new RangeError(
      `Expected microbatches to be a multiple of stages (${stages}) for the interleaved schedule, got ${microbatches}. ` +
        `Use e.g. ${Math.max(1, Math.round(microbatches / stages)) * stages}.`,
    );
  }
  const total = microbatches * chunks; // virtual micro-batches per device
  const forwardOp = (s: number, k: number): PipelineOp =>
    pipelineOp("forward", s, interleavedMicrobatch(k, stages, chunks), interleavedChunk(k, stages, chunks, true));
  const backwardOp = (s: number, k: number): PipelineOp =>
    pipelineOp("backward", s, interleavedMicrobatch(k, stages, chunks), interleavedChunk(k, stages, chunks, false));

  const perStage: PipelineOp[][] = [];
  for (let s = 0; s < stages; s++) {
    const ops: PipelineOp[] = [];
    const warmup = interleavedWarmup(stages, s, microbatches, chunks);
    const remaining = total - warmup;
    // warm-up: forwards only
    for (let k = 0; k < warmup; k++) ops.push(forwardOp(s, k));
    // steady 1F1B
    for (let i = 0; i < remaining; i++) {
      ops.push(forwardOp(s, warmup + i));
      ops.push(backwardOp(s, i));
    }
    // cool-down
    for (let k = remaining; k < total; k++) ops.push(backwardOp(s, k));
    perStage.push(ops);
  }
  return { name: "interleaved", stages, microbatches, chunks, splitBackward: false, perStage };
}
