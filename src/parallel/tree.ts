/**
 * Tree all-reduce: a binomial-tree reduce to worker 0, then a binomial-tree
 * broadcast back (the binary-tree algorithms of Thakur, Rabenseifner & Gropp 2005,
 * "Optimization of Collective Communication Operations in MPICH", §4, "Broadcast"
 * and "Reduce": each takes ⌈lg n⌉ steps and sends the whole buffer every step).
 *
 * reduce, distance d = 1, 2, 4, …: worker i + d sends its partial sum to worker i
 *   for every i that is a multiple of 2d (and i + d < n); worker i adds it.
 * broadcast, the same distances in reverse: worker i sends the sum to worker i + d.
 *
 * Latency is logarithmic (2⌈lg n⌉ steps instead of 2(n−1)), but every message
 * carries all S bytes, so the bandwidth term is 2⌈lg n⌉·S·β instead of the
 * ring's 2(n−1)/n·S·β: trees win for small messages, rings for large ones.
 */
import { collectiveResult, recordCollectiveMessage, type CollectiveMessage, type CollectiveResult } from "./trace";
import { expectEqualBuffers } from "./validate";

/** ⌈log2 n⌉ for n >= 1: the number of steps of each binomial-tree phase. */
export function treeDepth(n: number): number {
  let depth = 0;
  while (2 ** depth < n) depth++;
  return depth;
}

/**
 * Binomial-tree all-reduce.
 * @returns outputs (the same sum on every worker), trace, bytes per worker
 */
export function treeAllReduce(buffers: readonly Float32Array[]): CollectiveResult {
  const length = expectEqualBuffers(buffers);
  const n = buffers.length;
  const work = buffers.map((b) => b.slice());
  const trace: CollectiveMessage[] = [];
  const depth = treeDepth(n);
  let step = 1;
  // reduce towards worker 0
  for (let level = 0; level < depth; level++, step++) {
    const d = 2 ** level;
    for (let i = 0; i + d < n; i += 2 * d) {
      const parent = work[i]!;
      const child = work[i + d]!;
      for (let j = 0; j < length; j++) parent[j] = parent[j]! + child[j]!;
      recordCollectiveMessage(trace, step, "reduce", i + d, i, -1, 0, length);
    }
  }
  // broadcast from worker 0
  for (let level = depth - 1; level >= 0; level--, step++) {
    const d = 2 ** level;
    for (let i = 0; i + d < n; i += 2 * d) {
      work[i + d]!.set(work[i]!);
      recordCollectiveMessage(trace, step, "broadcast", i, i + d, -1, 0, length);
    }
  }
  return collectiveResult(work, trace);
}
