/**
 * dp.ringAllReduce (notebooks/03-data-parallel.ipynb): ring all-reduce on plain
 * per-worker Float32Arrays (the buffers the library's simulator, src/parallel/, moves).
 *
 *   ringAllReduce(buffers) -> Float32Array[]
 *   reduce-scatter then all-gather around the ring 0 → 1 → … → n−1 → 0; every worker
 *   ends with Σ_i buffers[i] (Patarasuk & Yuan 2009, §4)
 *
 * When an answer is wrong, the tests re-run it on buffers whose values encode which
 * workers contributed (worker j holds 8^j), and read off, element by element, which
 * contributions are missing or counted twice.
 */
import { chunkBoundaries } from "../../../parallel/chunks";
import { GradingError, type Implementation, type Question } from "../../question";
import { callGradedAnswer, expectWorkerBuffers, gradedRandomBuffers, gradedTest } from "../expectations";

/** Largest n whose contribution codes base^j stay exact in float32 (base^n ≤ 2^24). */
const MAX_DIAGNOSED_WORKERS = 12;

/**
 * Why a ring gives wrong sums: re-run it on buffers where worker j holds base^j everywhere
 * (base 8 up to 8 workers, else 4), so each output element, written in that base, counts
 * every worker's contribution (up to base − 1 times).
 * Returns a sentence (starting with a space), or "" when nothing can be said.
 */
export async function diagnoseRingAllReduce(impl: Implementation, n: number, length: number): Promise<string> {
  if (n > MAX_DIAGNOSED_WORKERS || length === 0) return "";
  const base = n <= 8 ? 8 : 4;
  const coded = Array.from({ length: n }, (_, j) => new Float32Array(length).fill(base ** j));
  let outputs: Float32Array[];
  try {
    outputs = expectWorkerBuffers(await callGradedAnswer(impl, "dp.ringAllReduce", "ringAllReduce", coded), n, length, "ringAllReduce");
  } catch {
    return "";
  }
  const bounds = chunkBoundaries(length, n);
  const chunkOf = (e: number) => bounds.findIndex((b) => e >= b.start && e < b.end);
  for (let w = 0; w < n; w++) {
    for (let e = 0; e < length; e++) {
      const value = outputs[w]![e]!;
      if (value === (base ** n - 1) / (base - 1)) continue; // Σ_j base^j: every contribution once
      if (!Number.isInteger(value) || value < 0 || value >= base ** n) {
        return ` Worker ${w}'s element ${e} is not a sum of the workers' inputs at all: check the chunk indices.`;
      }
      const digits = Array.from({ length: n }, (_, j) => Math.floor(value / base ** j) % base); // contributions of worker j
      const twice = digits.map((d, j) => (d >= 2 ? j : -1)).filter((j) => j >= 0);
      const missing = digits.map((d, j) => (d === 0 ? j : -1)).filter((j) => j >= 0);
      const where = `worker ${w}'s element ${e} (chunk ${chunkOf(e)} of lab.chunkBoundaries(${length}, ${n}))`;
      if (twice.length > 0) {
        return (
          ` Looks like a chunk was reduced twice: ${where} counts the contribution of worker${twice.length > 1 ? "s" : ""} ${twice.join(", ")} more than once. ` +
          `The reduce-scatter adds each chunk n − 1 times; the all-gather must copy (set) the finished chunk, not add it.`
        );
      }
      const fullChunks = n * Math.floor(length / n);
      if (length % n !== 0 && e >= fullChunks && missing.length === n - 1) {
        return (
          ` Looks like the last ${length % n} element(s) were never reduced: ${where} holds only its own value. ` +
          `When n does not divide the length the chunks must still cover every element: use lab.chunkBoundaries(length, n).`
        );
      }
      return (
        ` Looks like a chunk was dropped: ${where} misses the contribution of worker${missing.length > 1 ? "s" : ""} ${missing.join(", ")}. ` +
        `Each phase takes n − 1 steps; at step k worker i sends chunk (i − k) mod n in the reduce-scatter and chunk (i − k + 1) mod n in the all-gather.`
      );
    }
  }
  return "";
}

/** Check `ringAllReduce` on one input; shared by public and hidden tests. */
export async function checkRingAllReduceCase(impl: Implementation, buffers: readonly Float32Array[], label?: string): Promise<void> {
  const n = buffers.length;
  const L = buffers[0]!.length;
  const what = label ?? `ringAllReduce(${n} workers × ${L} floats)`;
  const result = await callGradedAnswer(impl, "dp.ringAllReduce", "ringAllReduce", buffers.map((b) => b.slice()));
  const outputs = expectWorkerBuffers(result, n, L, what);
  const sum = new Float64Array(L); // Σ_i buffers[i], in float64
  const magnitude = new Float64Array(L); // Σ_i |buffers[i]|: the scale of float32 rounding
  for (const b of buffers) b.forEach((v, e) => ((sum[e]! += v), (magnitude[e]! += Math.abs(v))));
  for (let w = 0; w < n; w++) {
    for (let e = 0; e < L; e++) {
      const got = outputs[w]![e]!;
      if (!(Math.abs(got - sum[e]!) <= 1e-5 * Math.max(magnitude[e]!, 1e-30))) {
        const why = await diagnoseRingAllReduce(impl, n, L);
        throw new GradingError(`${what}: worker ${w}'s element ${e} is not the sum over the workers.${why}`, String(Math.fround(sum[e]!)), String(got));
      }
    }
  }
  for (let w = 1; w < n; w++) {
    const e = outputs[w]!.findIndex((v, j) => !Object.is(v, outputs[0]![j]));
    if (e >= 0) {
      throw new GradingError(
        `${what}: workers 0 and ${w} hold different bits at element ${e}. An all-reduce must leave the same values on every worker: ` +
          `reduce each chunk once, on its owner, then copy the finished chunk around the ring.`,
      );
    }
  }
}

export const dpRingAllReduceQuestion: Question = {
  id: "dp.ringAllReduce",
  notebook: "03-data-parallel.ipynb",
  title: "Ring all-reduce: reduce-scatter, then all-gather",
  exports: ["ringAllReduce"],
  references: ["ringAllReduce", "allReduce"],
  publicTests: [
    gradedTest("two workers holding [1, 2] and [3, 4] both end with [4, 6]", 1, "With n = 2 there is one reduce-scatter step and one all-gather step.", async (impl) => {
      await checkRingAllReduceCase(impl, [new Float32Array([1, 2]), new Float32Array([3, 4])]);
    }),
    gradedTest(
      "four workers with 10 floats each (chunks of 3, 3, 2 and 2 floats): every worker ends with the sum",
      2,
      "Cut the buffer with lab.chunkBoundaries(10, 4); at step k worker i sends chunk lab.wrapIndex(i − k, n) to worker (i + 1) % n.",
      async (impl) => {
        await checkRingAllReduceCase(impl, gradedRandomBuffers(301, 4, 10));
      },
    ),
    gradedTest(
      "1 to 8 workers and 1 to 20 floats (some chunks empty when n > length): the sum, with the same bits on every worker",
      2,
      "Both phases run n − 1 steps (none for one worker); the all-gather copies chunks, it does not add them.",
      async (impl) => {
        for (let n = 1; n <= 8; n++) {
          for (const L of [1, 3, 7, 8, 13, 20]) await checkRingAllReduceCase(impl, gradedRandomBuffers(310 + 31 * n + L, n, L));
        }
      },
    ),
  ],
};
