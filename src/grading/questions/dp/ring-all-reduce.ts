/**
 * dp.ringAllReduce (notebooks/03-data-parallel.ipynb): ring all-reduce written as the
 * program ONE worker runs, the way MPI and NCCL collectives are written.
 *
 *   async ringAllReduce(comm, x) -> void
 *   comm.rank = i, comm.size = n; comm.send(chunk) to worker (i + 1) mod n; await comm.recv()
 *   from worker (i − 1) mod n; x is the worker's own buffer, left holding Σ_j x_j. All n
 *   workers run it at once (src/parallel/ring-communicator.ts), and every message is traced.
 *
 * The tests grade the algorithm, not only the sums (Patarasuk & Yuan 2009, §4): the trace
 * must show 2(n − 1) steps in which every worker sends one chunk of about L/n floats, each
 * worker's result must come from what it received, and the bytes must be 2(n − 1)/n · S per
 * worker (ring-trace.ts). When the sums are wrong, the tests re-run the answer on buffers
 * whose values encode which workers contributed (worker j holds 8^j) and read off, element
 * by element, which contributions are missing or counted twice.
 */
import { chunkBoundaries } from "../../../parallel/chunks";
import { runRingProgram, type RingRun } from "../../../parallel/ring-communicator";
import { GradingError, type Implementation, type Question } from "../../question";
import { callGradedAnswer, gradedRandomBuffers, gradedTest } from "../expectations";
import { noRingProblem, ringBytesProblem, ringScheduleProblem, unreceivedDataProblem } from "./ring-trace";

/**
 * Run the answer's program (the code one worker runs) on n simulated workers in a ring,
 * each with its own copy of buffers[i]. Errors in the program, deadlocks and runaway
 * senders become a GradingError that names the worker.
 */
export async function runGradedRing(impl: Implementation, buffers: readonly Float32Array[], what: string): Promise<RingRun> {
  if (typeof impl["ringAllReduce"] !== "function") {
    await callGradedAnswer(impl, "dp.ringAllReduce", "ringAllReduce"); // throws: names the missing function
  }
  try {
    return await runRingProgram((comm, x) => callGradedAnswer(impl, "dp.ringAllReduce", "ringAllReduce", comm, x) as Promise<void>, buffers);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/not implemented/i.test(text)) throw new GradingError(text.replace(/^worker \d+: /, ""));
    const signature =
      (impl["ringAllReduce"] as (...args: unknown[]) => unknown).length < 2
        ? " ringAllReduce(comm, x) is the program of one worker: it gets this worker's communicator and its own buffer x, not all the buffers."
        : "";
    throw new GradingError(`${what}: ${signature === "" ? text : text.replace(/\.?$/, ".") + signature}`);
  }
}

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
    outputs = (await runGradedRing(impl, coded, "ringAllReduce")).outputs;
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
        `At step k worker i sends chunk (i − k) mod n in the reduce-scatter and chunk (i − k + 1) mod n in the all-gather, ` +
        `and puts what it receives in chunk (i − k − 1) mod n, resp. (i − k) mod n.`
      );
    }
  }
  return "";
}

/**
 * Check the answer's ring on one input; shared by public and hidden tests. In this order:
 * the program runs to the end on every worker; a ring was used (something was sent, and no
 * worker summed data it never received); the schedule (2(n − 1) steps, one chunk of about
 * L/n floats per worker per step); the sums; the bytes (2(n − 1)/n · S per worker); the
 * same bits on every worker. Expectations are computed before the answer runs.
 */
export async function checkRingAllReduceCase(impl: Implementation, buffers: readonly Float32Array[], label?: string): Promise<void> {
  const n = buffers.length;
  const L = buffers[0]!.length;
  const what = label ?? `ringAllReduce on ${n} workers × ${L} floats`;
  const sum = new Float64Array(L); // Σ_i buffers[i], in float64
  const magnitude = new Float64Array(L); // Σ_i |buffers[i]|: the scale of float32 rounding
  for (const b of buffers) b.forEach((v, e) => ((sum[e]! += v), (magnitude[e]! += Math.abs(v))));
  const isSum = (got: number, e: number) => Math.abs(got - sum[e]!) <= 1e-5 * Math.max(magnitude[e]!, 1e-30);

  const run = await runGradedRing(impl, buffers, what);
  const outputs = run.outputs;
  const summed = outputs.map((x) => x.every((v, e) => isSum(v, e)));
  const problem = noRingProblem(run, summed) ?? unreceivedDataProblem(run, summed) ?? ringScheduleProblem(run, L);
  if (problem !== undefined) throw new GradingError(`${what}: ${problem}`);
  for (let w = 0; w < n; w++) {
    const e = outputs[w]!.findIndex((v, j) => !isSum(v, j));
    if (e >= 0) {
      const why = await diagnoseRingAllReduce(impl, n, L);
      throw new GradingError(`${what}: worker ${w}'s element ${e} is not the sum over the workers.${why}`, String(Math.fround(sum[e]!)), String(outputs[w]![e]));
    }
  }
  const bytes = ringBytesProblem(run, L);
  if (bytes !== undefined) throw new GradingError(`${what}: ${bytes}`);
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
  title: "Ring all-reduce, as the program of one worker: reduce-scatter, then all-gather",
  exports: ["ringAllReduce"],
  references: ["ringAllReduceWorker", "ringAllReduce", "allReduce"],
  forbidden: [
    ...["lab.ringAllReduce", "lab.allReduce", "lab.naiveAllReduce", "lab.treeAllReduce", "lab.ringReduceScatter", "lab.ringAllGather"].map((name) => ({
      name,
      why: "it reduces every worker's buffer at once; write the program of one worker, which sees only its own buffer and what comm.recv() brings",
    })),
    { name: "lab.runRingProgram", why: "the lab runs your program on every worker; inside it, talk to the ring only through comm.send and comm.recv" },
  ],
  publicTests: [
    gradedTest(
      "two workers holding [1, 2] and [3, 4] both end with [4, 6], in 2 steps of one 1-float chunk each",
      1,
      "With n = 2 there is one reduce-scatter step and one all-gather step: send a chunk, await comm.recv(), add (then copy) it.",
      async (impl) => {
        await checkRingAllReduceCase(impl, [new Float32Array([1, 2]), new Float32Array([3, 4])]);
      },
    ),
    gradedTest(
      "four workers with 10 floats each (chunks of 3, 3, 2 and 2 floats): 6 steps, one chunk per worker per step, and every worker ends with the sum",
      2,
      "Cut x with lab.chunkBoundaries(10, 4); at step k worker i sends chunk lab.wrapIndex(i − k, n) and adds the chunk it receives into chunk lab.wrapIndex(i − k − 1, n).",
      async (impl) => {
        await checkRingAllReduceCase(impl, gradedRandomBuffers(301, 4, 10));
      },
    ),
    gradedTest(
      "1 to 8 workers and 1 to 20 floats (some chunks empty when n > length): 2(n − 1) steps, 2(n − 1)/n · S bytes per worker, the same bits everywhere",
      2,
      "Both phases run n − 1 steps (none for one worker); send empty chunks too; the all-gather copies chunks, it does not add them.",
      async (impl) => {
        for (let n = 1; n <= 8; n++) {
          for (const L of [1, 3, 7, 8, 13, 20]) await checkRingAllReduceCase(impl, gradedRandomBuffers(310 + 31 * n + L, n, L));
        }
      },
    ),
  ],
};
