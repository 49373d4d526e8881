/**
 * Naive all-reduce: gather every buffer at a root, reduce there, broadcast back.
 *
 * The root (worker 0) receives the n−1 other buffers one after another, adds them
 * in rank order, then sends the sum to each other worker in turn: 2(n−1) steps,
 * and the root alone sends (n−1)·S bytes, so its link is the bottleneck
 * (Thakur, Rabenseifner & Gropp 2005, "Optimization of Collective Communication
 * Operations in MPICH", Int. J. High Perform. Comput. Appl. 19(1), §3 cost model:
 * a message of S bytes costs α + Sβ; a root that talks to one worker at a time
 * pays that n−1 times per phase).
 */
import { collectiveResult, recordCollectiveMessage, type CollectiveMessage, type CollectiveResult } from "./trace";
import { expectEqualBuffers } from "./validate";

/**
 * Naive all-reduce through worker 0.
 * @returns outputs (the same sum on every worker), trace, bytes per worker
 */
export function naiveAllReduce(buffers: readonly Float32Array[]): CollectiveResult {
  const length = expectEqualBuffers(buffers);
  const n = buffers.length;
  const root = 0;
  const trace: CollectiveMessage[] = [];
  const sum = buffers[root]!.slice(); // [length]
  // gather + reduce: step k, worker k sends its buffer to the root, which adds it.
  for (let k = 1; k < n; k++) {
    const received = buffers[k]!;
    for (let j = 0; j < length; j++) sum[j] = sum[j]! + received[j]!;
    recordCollectiveMessage(trace, k, "gather", k, root, -1, 0, length);
  }
  // broadcast: step n−1+k, the root sends the sum to worker k.
  const outputs: Float32Array[] = [sum];
  for (let k = 1; k < n; k++) {
    outputs.push(sum.slice());
    recordCollectiveMessage(trace, n - 1 + k, "broadcast", root, k, -1, 0, length);
  }
  return collectiveResult(outputs, trace);
}
