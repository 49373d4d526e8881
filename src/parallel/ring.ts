/**
 * Ring reduce-scatter, ring all-gather and ring all-reduce.
 *
 * The n workers form a ring 0 → 1 → … → n−1 → 0 and every buffer is cut into n
 * chunks (chunks.ts). Each step, every worker sends one chunk to its right
 * neighbour and receives one from its left neighbour, so all links are busy at
 * once and no worker sends more than its share.
 *
 * Index conventions (steps are numbered from 1, as in the MPICH and NCCL
 * descriptions; chunk indices are taken mod n):
 *   reduce-scatter, step k = 1..n−1: worker i sends chunk (i − k) to worker i+1,
 *     which adds it into its own copy of that chunk. After n−1 steps worker i
 *     holds the complete sum of chunk i.
 *   all-gather, step k = 1..n−1: worker i sends chunk (i − k + 1) to worker i+1,
 *     which overwrites its copy. Step 1 sends the chunk a worker owns; later steps
 *     forward the chunk received the step before.
 *   all-reduce = reduce-scatter followed by all-gather: 2(n−1) steps.
 *
 * Bytes sent per worker for a buffer of S bytes: each phase sends n−1 chunks of
 * S/n, so all-reduce sends 2(n−1)/n · S, which is optimal for any all-reduce in
 * which every worker has the same share of work (Patarasuk & Yuan 2009,
 * "Bandwidth optimal all-reduce algorithms for clusters of workstations",
 * J. Parallel Distrib. Comput. 69(2), §3 lower bound and §4 ring algorithm).
 * When n does not divide the length, chunks differ by one element and the bytes
 * are the sum of the actual chunk sizes sent (all recorded in the trace).
 *
 * Within one step, a worker reads the chunk it sends and writes a different chunk
 * (the one it receives), so the simulation can update buffers in place.
 *
 * Two views of the same schedule: `ringAllReduce(buffers)` moves the chunks of all
 * workers in lock-step (the simulator's view, synchronous), and `ringAllReduceWorker`
 * is the program one worker runs with a communicator (ring-communicator.ts), the way
 * MPI and NCCL collectives are written. Both give the same bits and the same trace.
 */
import type { RingCommunicator } from "./ring-communicator";
import { chunkBoundaries, wrapIndex, type ChunkBounds } from "./chunks";
import { collectiveResult, recordCollectiveMessage, type CollectiveMessage, type CollectiveResult } from "./trace";
import { expectInteger } from "../foundation/validate";
import { expectEqualBuffers } from "./validate";

/** Options of the ring collectives. */
export interface RingOptions {
  /**
   * Reduce into the given buffers instead of copies (saves one copy per worker;
   * the simulator and the benchmark use it). @default false
   */
  readonly inPlace?: boolean;
}

/**
 * received[j] ← received[j] + sent[j] for j in [start, end): the receiver's
 * reduction of one chunk, in float32 (each sum is rounded when stored).
 * Unrolled by 8 because V8 does not vectorise typed-array loops: the unrolled loop
 * runs about 1.7× faster here (bench/parallel.bench.ts), with the same results.
 */
export function addChunkInto(received: Float32Array, sent: Float32Array, start: number, end: number): void {
  let j = start;
  for (; j + 7 < end; j += 8) {
    received[j] = received[j]! + sent[j]!;
    received[j + 1] = received[j + 1]! + sent[j + 1]!;
    received[j + 2] = received[j + 2]! + sent[j + 2]!;
    received[j + 3] = received[j + 3]! + sent[j + 3]!;
    received[j + 4] = received[j + 4]! + sent[j + 4]!;
    received[j + 5] = received[j + 5]! + sent[j + 5]!;
    received[j + 6] = received[j + 6]! + sent[j + 6]!;
    received[j + 7] = received[j + 7]! + sent[j + 7]!;
  }
  for (; j < end; j++) received[j] = received[j]! + sent[j]!;
}

/** Reduce-scatter steps on full-size working buffers; returns the next free step number. */
export function ringReduceScatterSteps(
  work: readonly Float32Array[],
  bounds: readonly ChunkBounds[],
  trace: CollectiveMessage[],
  firstStep = 1,
): number {
  const n = work.length;
  for (let k = 1; k <= n - 1; k++) {
    const step = firstStep + k - 1;
    for (let i = 0; i < n; i++) {
      const right = (i + 1) % n;
      const c = wrapIndex(i - k, n); // chunk worker i sends at step k
      const { start, end } = bounds[c]!;
      addChunkInto(work[right]!, work[i]!, start, end);
      recordCollectiveMessage(trace, step, "reduce-scatter", i, right, c, start, end);
    }
  }
  return firstStep + n - 1;
}

/** All-gather steps on full-size working buffers (worker i owns chunk i); returns the next free step number. */
export function ringAllGatherSteps(
  work: readonly Float32Array[],
  bounds: readonly ChunkBounds[],
  trace: CollectiveMessage[],
  firstStep = 1,
): number {
  const n = work.length;
  for (let k = 1; k <= n - 1; k++) {
    const step = firstStep + k - 1;
    for (let i = 0; i < n; i++) {
      const right = (i + 1) % n;
      const c = wrapIndex(i - k + 1, n); // chunk worker i forwards at step k
      const { start, end } = bounds[c]!;
      work[right]!.set(work[i]!.subarray(start, end), start);
      recordCollectiveMessage(trace, step, "all-gather", i, right, c, start, end);
    }
  }
  return firstStep + n - 1;
}

/**
 * Ring all-reduce: every worker ends with the element-wise sum of all buffers.
 * @param buffers one equally sized Float32Array per worker
 * @returns outputs (identical on every worker, bit for bit), trace and bytes per worker
 * @example
 *   const { outputs, bytesSent } = ringAllReduce([new Float32Array([1, 2]), new Float32Array([3, 4])]);
 *   // outputs[0] = outputs[1] = [4, 6]; bytesSent = [8, 8] = 2(n−1)/n · 8 bytes
 */
export function ringAllReduce(buffers: readonly Float32Array[], options: RingOptions = {}): CollectiveResult {
  const length = expectEqualBuffers(buffers);
  const n = buffers.length;
  const work = options.inPlace === true ? buffers.slice() : buffers.map((b) => b.slice());
  const bounds = chunkBoundaries(length, n);
  const trace: CollectiveMessage[] = [];
  const next = ringReduceScatterSteps(work, bounds, trace, 1); // steps 1..n−1
  ringAllGatherSteps(work, bounds, trace, next); // steps n..2(n−1)
  return collectiveResult(work, trace);
}

/**
 * Ring all-reduce as the program of one worker (rank i of n), with the schedule above:
 * at step k of the reduce-scatter it sends chunk (i − k) and adds the chunk (i − k − 1)
 * it receives; at step k of the all-gather it forwards chunk (i − k + 1) and copies the
 * chunk (i − k) it receives. Leaves Σ_j x_j in `x`.
 * @example
 *   const run = await runRingProgram(ringAllReduceWorker, buffers); // run.outputs[i] = Σ_j buffers[j]
 */
export async function ringAllReduceWorker(comm: RingCommunicator, x: Float32Array): Promise<void> {
  // BEGIN SOLUTION dp.ringAllReduce
  const n = comm.size;
  const i = comm.rank;
  const chunks = chunkBoundaries(x.length, n);
  for (let k = 1; k <= n - 1; k++) {
    const sent = chunks[wrapIndex(i - k, n)]!; // reduce-scatter, step k
    comm.send(x.subarray(sent.start, sent.end));
    const { start } = chunks[wrapIndex(i - k - 1, n)]!;
    const received = await comm.recv();
    for (let j = 0; j < received.length; j++) x[start + j] = x[start + j]! + received[j]!; // add what arrived
  }
  for (let k = 1; k <= n - 1; k++) {
    const forwarded = chunks[wrapIndex(i - k + 1, n)]!; // all-gather, step k
    comm.send(x.subarray(forwarded.start, forwarded.end));
    x.set(await comm.recv(), chunks[wrapIndex(i - k, n)]!.start);
  }
  // STUDENT EDITION
  // return yours.answer<typeof ringAllReduceWorker>("ringAllReduce")(comm, x);
  // END SOLUTION
}

/**
 * Ring reduce-scatter: worker i ends with the sum over workers of chunk i.
 * @returns outputs[i] holds chunk i of the sum (length of chunk i, see chunkBoundaries)
 */
export function ringReduceScatter(buffers: readonly Float32Array[]): CollectiveResult {
  const length = expectEqualBuffers(buffers);
  const n = buffers.length;
  const work = buffers.map((b) => b.slice());
  const bounds = chunkBoundaries(length, n);
  const trace: CollectiveMessage[] = [];
  ringReduceScatterSteps(work, bounds, trace, 1);
  const result = collectiveResult(work, trace);
  const outputs = work.map((w, i) => w.slice(bounds[i]!.start, bounds[i]!.end));
  return { ...result, outputs };
}

/**
 * Ring all-gather: worker i contributes `pieces[i]`; every worker ends with the
 * concatenation pieces[0] ‖ pieces[1] ‖ … ‖ pieces[n−1]. Pieces may differ in length.
 */
export function ringAllGather(pieces: readonly Float32Array[]): CollectiveResult {
  const n = pieces.length;
  expectInteger("the number of pieces (one per worker)", n, 1);
  const bounds: ChunkBounds[] = [];
  let start = 0;
  for (const p of pieces) {
    bounds.push({ start, end: start + p.length });
    start += p.length;
  }
  const work = pieces.map((p, i) => {
    const full = new Float32Array(start);
    full.set(p, bounds[i]!.start);
    return full;
  });
  const trace: CollectiveMessage[] = [];
  ringAllGatherSteps(work, bounds, trace, 1);
  return collectiveResult(work, trace);
}
