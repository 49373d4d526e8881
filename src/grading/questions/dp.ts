/**
 * Lab 3 (notebooks/03-data-parallel.ipynb): the graded questions on data parallelism.
 *
 * Answer cells define exactly these functions, on plain per-worker Float32Arrays (the
 * buffers the library's simulator, src/parallel/, moves between its workers):
 *
 *   dp.ringAllReduce  ringAllReduce(buffers)                                  -> Float32Array[]
 *                     reduce-scatter then all-gather around the ring 0 → 1 → … → n−1 → 0;
 *                     every worker ends with Σ_i buffers[i] (Patarasuk & Yuan 2009, §4)
 *   dp.step           dpStep(params, grads, shardSizes, lr, allReduce)         -> void
 *                     g = Σ_i (b_i / B) g_i (one all-reduce), θ_i ← θ_i − η g on every worker
 *                     (Li et al. 2020, "PyTorch Distributed", §2–3)
 *   dp.zeroStage1     zeroStage1Step(params, grads, partitions, update, allGather) -> void
 *                     worker i updates only θ[partition i] with the optimizer state it holds,
 *                     then all-gathers the updated partitions (Rajbhandari et al. 2020, ZeRO, §5.1 P_os)
 *
 * The tests pass the library's collectives and optimizer as `allReduce`, `allGather` and
 * `update`, so a mistake in one question never costs points in another. When an answer
 * is wrong, the tests name the likely mistake: for the ring, they re-run the answer on
 * buffers whose values encode which workers contributed (worker j holds 8^j), and read
 * off, element by element, which contributions are missing or counted twice.
 */
import { chunkBoundaries, type ChunkBounds } from "../../parallel/chunks";
import { createReplicaOptimizer, replicaOptimizerUpdate, type ReplicaOptimizerConfig, type ReplicaOptimizerState } from "../../parallel/replica-optimizer";
import { ringAllGather, ringAllReduce as referenceRingAllReduce } from "../../parallel/ring";
import { createRng } from "../../foundation/random";
import { GradingError, type GradedTest, type Implementation, type Question } from "../question";
import { callGradedAnswer } from "./gd";

// ---------------------------------------------------------------------------------------
// Helpers: buffers, comparisons, known mistakes
// ---------------------------------------------------------------------------------------

/** n seeded standard-normal buffers of `length` floats (the same numbers everywhere). */
export function dpRandomBuffers(seed: number, n: number, length: number): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.normalArray(length));
}

/** A wrong answer a typical mistake produces, and what to call it (completes "Looks like ..."). */
export interface BufferMistake {
  readonly value: ArrayLike<number>;
  readonly description: string;
}

/** ‖a − b‖∞ / max(‖b‖∞, 1e-12) (Infinity if a holds NaN). */
function bufferRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let j = 0; j < b.length; j++) {
    const d = Math.abs(a[j]! - b[j]!);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(b[j]!));
  }
  return diff / Math.max(scale, 1e-12);
}

function previewBuffer(x: ArrayLike<number>): string {
  const shown = Array.from(x).slice(0, 6).map((v) => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v));
  return `[${shown.join(", ")}${x.length > 6 ? ", ..." : ""}]`;
}

/** Compare a buffer with the expected values; a wrong one that matches a known mistake is named. */
export function expectBufferClose(received: ArrayLike<number>, expected: ArrayLike<number>, what: string, mistakes: readonly BufferMistake[] = [], tolerance = 1e-5): void {
  if (received.length === expected.length && bufferRelativeError(received, expected) <= tolerance) return;
  const mistake = mistakes.find((m) => m.value.length === received.length && bufferRelativeError(received, m.value) <= tolerance && bufferRelativeError(m.value, expected) > tolerance);
  const why = mistake ? ` Looks like ${mistake.description}.` : "";
  throw new GradingError(`${what} is not the expected value.${why}`, previewBuffer(expected), previewBuffer(received));
}

/** Check that `value` is an array of `n` Float32Arrays of `length` floats. */
function expectWorkerBuffers(value: unknown, n: number, length: number, what: string): Float32Array[] {
  if (!Array.isArray(value)) {
    throw new GradingError(`${what} should return an array with one Float32Array per worker, got ${value === null ? "null" : typeof value}.`);
  }
  if (value.length !== n) throw new GradingError(`${what} should return ${n} buffers (one per worker), got ${value.length}.`, String(n), String(value.length));
  value.forEach((b: unknown, i) => {
    if (!(b instanceof Float32Array)) throw new GradingError(`${what}[${i}] should be a Float32Array, got ${Array.isArray(b) ? "a plain array" : typeof b}.`);
    if (b.length !== length) throw new GradingError(`${what}[${i}] has length ${b.length}, expected ${length} (the input's length).`, String(length), String(b.length));
  });
  return value as Float32Array[];
}

/** A graded test with the usual fields. */
function dpTest(name: string, points: number, hint: string, run: (impl: Implementation) => Promise<void>): GradedTest {
  return { name, points, hint, run };
}

// ---------------------------------------------------------------------------------------
// dp.ringAllReduce
// ---------------------------------------------------------------------------------------

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
  publicTests: [
    dpTest("two workers holding [1, 2] and [3, 4] both end with [4, 6]", 1, "With n = 2 there is one reduce-scatter step and one all-gather step.", async (impl) => {
      await checkRingAllReduceCase(impl, [new Float32Array([1, 2]), new Float32Array([3, 4])]);
    }),
    dpTest(
      "four workers with 10 floats each (chunks of 3, 3, 2 and 2 floats): every worker ends with the sum",
      2,
      "Cut the buffer with lab.chunkBoundaries(10, 4); at step k worker i sends chunk lab.wrapIndex(i − k, n) to worker (i + 1) % n.",
      async (impl) => {
        await checkRingAllReduceCase(impl, dpRandomBuffers(301, 4, 10));
      },
    ),
    dpTest(
      "1 to 8 workers and 1 to 20 floats (some chunks empty when n > length): the sum, with the same bits on every worker",
      2,
      "Both phases run n − 1 steps (none for one worker); the all-gather copies chunks, it does not add them.",
      async (impl) => {
        for (let n = 1; n <= 8; n++) {
          for (const L of [1, 3, 7, 8, 13, 20]) await checkRingAllReduceCase(impl, dpRandomBuffers(310 + 31 * n + L, n, L));
        }
      },
    ),
  ],
};

// ---------------------------------------------------------------------------------------
// dp.step
// ---------------------------------------------------------------------------------------

/** An all-reduce that counts its calls (the library's ring does the arithmetic). */
export function countingAllReduce(): { readonly allReduce: (buffers: Float32Array[]) => Float32Array[]; calls: number } {
  const counter = {
    calls: 0,
    allReduce: (buffers: Float32Array[]): Float32Array[] => {
      counter.calls += 1;
      return referenceRingAllReduce(buffers).outputs;
    },
  };
  return counter;
}

/** The new θ_i that the right answer and typical mistakes give, per worker. */
export function dpStepOutcomes(params: readonly Float32Array[], grads: readonly Float32Array[], shardSizes: readonly number[], lr: number) {
  const N = params.length;
  const B = shardSizes.reduce((a, b) => a + b, 0);
  const combine = (weight: (i: number) => number) => {
    const g = new Float64Array(params[0]!.length);
    grads.forEach((gi, i) => gi.forEach((v, j) => (g[j]! += weight(i) * v)));
    return g;
  };
  const step = (theta: Float32Array, g: ArrayLike<number>, eta = lr) => Array.from(theta, (v, j) => v - eta * g[j]!);
  const weighted = combine((i) => shardSizes[i]! / B); // Σ_i (b_i / B) g_i
  const expected = params.map((theta) => step(theta, weighted));
  const mistakes = params.map((theta, i): BufferMistake[] => [
    { value: step(theta, combine(() => 1 / N)), description: "the gradients were averaged with equal weights 1/N: with uneven shards weight worker i's mean gradient by b_i / B (B = Σ b_i)" },
    { value: step(theta, combine((k) => shardSizes[k]! / B / N)), description: "the gradient was averaged twice (divided by the number of workers N on top of the weights b_i / B, which already sum to 1)" },
    { value: step(theta, combine(() => 1)), description: "the workers' gradients were summed, not averaged: weight worker i's mean gradient by b_i / B" },
    { value: step(theta, combine((k) => shardSizes[k]!)), description: "the gradients were weighted by b_i but not divided by the global batch B = Σ b_i" },
    { value: step(theta, grads[i]!), description: `worker ${i} used only its own gradient: all-reduce the weighted gradients so every replica applies the same update` },
    { value: step(theta, weighted, -lr), description: "the step goes uphill: subtract η · g" },
    { value: step(theta, weighted, 1), description: "the learning rate η is missing from the update" },
  ]);
  return { expected, mistakes };
}

/** Check `dpStep` on one input (params are copied); returns the new replicas. */
export async function checkDpStepCase(impl: Implementation, params: readonly Float32Array[], grads: readonly Float32Array[], shardSizes: readonly number[], lr: number, label?: string): Promise<Float32Array[]> {
  const what = label ?? `dpStep(${params.length} workers, shardSizes = [${shardSizes.join(", ")}], lr = ${lr})`;
  const replicas = params.map((p) => p.slice());
  const counter = countingAllReduce();
  await callGradedAnswer(impl, "dp.step", "dpStep", replicas, grads.map((g) => g.slice()), shardSizes.slice(), lr, counter.allReduce);
  const { expected, mistakes } = dpStepOutcomes(params, grads, shardSizes, lr);
  replicas.forEach((theta, i) => {
    if (theta.length !== params[i]!.length) throw new GradingError(`${what}: worker ${i}'s parameter buffer changed length; update it in place.`);
  });
  // prefer the mistake that explains every worker's result (on one worker, several may coincide)
  const explainsAll = mistakes[0]!.findIndex((_, k) => replicas.every((theta, i) => bufferRelativeError(theta, mistakes[i]![k]!.value) <= 1e-5));
  replicas.forEach((theta, i) => {
    const named = explainsAll >= 0 ? [mistakes[i]![explainsAll]!] : mistakes[i]!;
    expectBufferClose(theta, expected[i]!, `${what}: worker ${i}'s parameters after the step`, named);
  });
  if (counter.calls !== 1) {
    throw new GradingError(`${what}: allReduce was called ${counter.calls} times; a data-parallel step communicates the gradients with exactly one all-reduce.`, "1", String(counter.calls));
  }
  return replicas;
}

/** N identical replicas of a random θ, and random per-worker mean gradients. */
export function dpStepInputs(seed: number, N: number, Psi: number): { params: Float32Array[]; grads: Float32Array[] } {
  const theta = dpRandomBuffers(seed, 1, Psi)[0]!;
  return { params: Array.from({ length: N }, () => theta.slice()), grads: dpRandomBuffers(seed + 1, N, Psi) };
}

export const dpStepQuestion: Question = {
  id: "dp.step",
  notebook: "03-data-parallel.ipynb",
  title: "One data-parallel step: weighted gradient average, the same update everywhere",
  exports: ["dpStep"],
  publicTests: [
    dpTest(
      "uneven shards b = [1, 3] with mean gradients [4] and [0]: g = ¼·4 + ¾·0 = 1, so θ = [1] becomes [0.5] on both workers (η = 0.5)",
      2,
      "Worker i's mean gradient counts b_i / B of the batch: g = Σ_i (b_i / B) g_i, not the plain mean over workers.",
      async (impl) => {
        await checkDpStepCase(impl, [new Float32Array([1]), new Float32Array([1])], [new Float32Array([4]), new Float32Array([0])], [1, 3], 0.5);
      },
    ),
    dpTest("four workers with even shards of 8 samples and 7 parameters: every replica takes the same step", 1, "With even shards b_i / B = 1/N: the mean of the workers' gradients.", async (impl) => {
      const { params, grads } = dpStepInputs(321, 4, 7);
      await checkDpStepCase(impl, params, grads, [8, 8, 8, 8], 0.1);
    }),
    dpTest(
      "three workers with shards [5, 1, 2] and 10 parameters: the weighted average, through exactly one all-reduce",
      2,
      "Scale each g_i by b_i / B, all-reduce once (the sum of the scaled gradients), then θ_i ← θ_i − η g on every worker.",
      async (impl) => {
        const { params, grads } = dpStepInputs(331, 3, 10);
        await checkDpStepCase(impl, params, grads, [5, 1, 2], 0.3);
      },
    ),
  ],
};

// ---------------------------------------------------------------------------------------
// dp.zeroStage1
// ---------------------------------------------------------------------------------------

/** Adam with the paper's defaults and a visible learning rate (the simulator's optimizer). */
export const DP_ZERO_ADAM: ReplicaOptimizerConfig = { kind: "adam", lr: 0.05 };

/** N workers under ZeRO stage 1: partitions, per-worker optimizer states for their partition only. */
export interface ZeroStage1Harness {
  readonly partitions: ChunkBounds[];
  readonly states: ReplicaOptimizerState[];
  /** The reference: one optimizer over the whole vector (plain DP). */
  readonly fullState: ReplicaOptimizerState;
}

export function zeroStage1Harness(N: number, Psi: number, config: ReplicaOptimizerConfig = DP_ZERO_ADAM): ZeroStage1Harness {
  const partitions = chunkBoundaries(Psi, N);
  return {
    partitions,
    states: partitions.map((p) => createReplicaOptimizer(config, p.end - p.start)),
    fullState: createReplicaOptimizer(config, Psi),
  };
}

/** Where `piece` sits inside `whole` (by values), or -1. */
function offsetByValues(whole: Float32Array, piece: Float32Array): number {
  if (piece.length === 0) return -1;
  for (let o = 0; o + piece.length <= whole.length; o++) {
    let same = true;
    for (let j = 0; j < piece.length && same; j++) same = Object.is(whole[o + j], piece[j]);
    if (same) return o;
  }
  return -1;
}

/**
 * Run one `zeroStage1Step` of the answer on replicas `params` (updated in place) with the
 * all-reduced gradient `g` on every worker, and check it against one optimizer step over
 * the whole vector.
 */
export async function checkZeroStage1Case(impl: Implementation, harness: ZeroStage1Harness, params: Float32Array[], g: Float32Array, label: string): Promise<void> {
  const N = params.length;
  const { partitions, states } = harness;
  const grads = params.map(() => g.slice()); // the all-reduced gradient, on every worker
  const before = params[0]!.slice();
  const updates: { rank: number; offset: number; length: number }[] = [];
  const update = (rank: number, w: Float32Array, gi: Float32Array): void => {
    const own = partitions[rank];
    if (own === undefined) throw new Error(`update: rank must be a worker index 0..${N - 1}, got ${rank}.`);
    const size = own.end - own.start;
    const offset = offsetByValues(grads[rank]!, gi);
    const other = partitions.findIndex((p, k) => k !== rank && p.start === offset && p.end - p.start === gi.length);
    if (other >= 0) {
      throw new Error(
        `worker ${rank} was given partition ${other}'s elements [${partitions[other]!.start}, ${partitions[other]!.end}) but owns [${own.start}, ${own.end}): ` +
          `ZeRO updates the wrong partition. Worker i's optimizer state belongs to partitions[i]`,
      );
    }
    if (w.length !== size || gi.length !== size) {
      throw new Error(
        `worker ${rank}'s optimizer holds state for its own partition only (${size} elements, [${own.start}, ${own.end})), got w of length ${w.length} and g of length ${gi.length}. ` +
          `Pass params[${rank}].subarray(start, end) and grads[${rank}].subarray(start, end)`,
      );
    }
    updates.push({ rank, offset, length: size });
    replicaOptimizerUpdate(states[rank]!, w, gi);
  };
  let gathers = 0;
  const allGather = (pieces: Float32Array[]): Float32Array[] => {
    gathers += 1;
    return ringAllGather(pieces).outputs;
  };
  await callGradedAnswer(impl, "dp.zeroStage1", "zeroStage1Step", params, grads, partitions.map((p) => ({ ...p })), update, allGather);

  for (let rank = 0; rank < N; rank++) {
    const own = partitions[rank]!;
    const mine = updates.filter((u) => u.rank === rank);
    if (own.end > own.start && mine.length !== 1) {
      throw new GradingError(`${label}: worker ${rank}'s optimizer ran ${mine.length} times in one step; each worker updates its own partition exactly once.`, "1", String(mine.length));
    }
    const u = mine[0];
    if (u !== undefined && u.offset >= 0 && u.offset !== own.start) {
      throw new GradingError(
        `${label}: worker ${rank} updated elements [${u.offset}, ${u.offset + u.length}) but owns [${own.start}, ${own.end}): ZeRO updates the wrong partition. ` +
          `Worker i's optimizer state belongs to partitions[i].`,
      );
    }
  }
  const expected = before.slice();
  replicaOptimizerUpdate(harness.fullState, expected, g); // plain DP: one step over the whole vector
  for (let rank = 0; rank < N; rank++) {
    const theta = params[rank]!;
    if (theta.length !== before.length) throw new GradingError(`${label}: worker ${rank}'s parameter buffer changed length; update it in place (params[i].set(...)).`);
    const bad = theta.findIndex((v, j) => Math.abs(v - expected[j]!) > 1e-6 * Math.max(1, Math.abs(expected[j]!)));
    if (bad < 0) continue;
    const own = partitions[rank]!;
    const unchanged = theta.every((v, j) => Object.is(v, before[j]));
    const ownRight = theta.subarray(own.start, own.end).every((v, j) => Math.abs(v - expected[own.start + j]!) <= 1e-6 * Math.max(1, Math.abs(expected[own.start + j]!)));
    let why: string;
    if (gathers === 0) why = "allGather was never called: after the update, all-gather the updated partitions so every replica holds the new θ.";
    else if (unchanged) why = "The parameters did not change: the pieces sent to allGather were taken before the update (slice each partition after updating it), or the gathered result was not copied into params.";
    else if (ownRight) why = `Worker ${rank}'s own partition is right but the rest of its parameters are not: copy the all-gathered vector into params[${rank}].`;
    else why = "Check that each worker updates params[i] and grads[i] on partitions[i], then gathers the updated partitions.";
    throw new GradingError(`${label}: worker ${rank}'s parameter ${bad} is not what one optimizer step over the whole vector gives. ${why}`, previewBuffer(expected), previewBuffer(theta));
  }
}

/** Run `steps` ZeRO-1 steps of the answer with random gradients, checking every step. */
export async function checkZeroStage1Run(impl: Implementation, seed: number, N: number, Psi: number, steps: number, config: ReplicaOptimizerConfig = DP_ZERO_ADAM): Promise<void> {
  const harness = zeroStage1Harness(N, Psi, config);
  const theta = dpRandomBuffers(seed, 1, Psi)[0]!;
  const params = Array.from({ length: N }, () => theta.slice());
  for (let t = 1; t <= steps; t++) {
    const g = dpRandomBuffers(seed + t, 1, Psi)[0]!;
    await checkZeroStage1Case(impl, harness, params, g, `zeroStage1Step (${N} workers, Ψ = ${Psi}, step ${t})`);
  }
}

export const dpZeroStage1Question: Question = {
  id: "dp.zeroStage1",
  notebook: "03-data-parallel.ipynb",
  title: "ZeRO stage 1: each worker updates its own partition, then all-gather",
  exports: ["zeroStage1Step"],
  publicTests: [
    dpTest(
      "two workers, Ψ = 4: worker 0 updates θ[0, 2), worker 1 updates θ[2, 4), and both end with the same θ as plain Adam",
      2,
      "Call update(i, params[i].subarray(start, end), grads[i].subarray(start, end)) with partitions[i]; then allGather the updated partitions.",
      async (impl) => {
        await checkZeroStage1Run(impl, 341, 2, 4, 1);
      },
    ),
    dpTest(
      "four workers, Ψ = 10 (partitions of 3, 3, 2, 2): five Adam steps equal plain data parallelism",
      2,
      "Each worker's optimizer state covers only its own partition; after the update every worker needs every partition (all-gather).",
      async (impl) => {
        await checkZeroStage1Run(impl, 351, 4, 10, 5);
      },
    ),
    dpTest("one worker owns everything: ZeRO stage 1 is plain Adam", 1, "partitions[0] covers [0, Ψ) when N = 1.", async (impl) => {
      await checkZeroStage1Run(impl, 361, 1, 6, 3);
    }),
  ],
};

/** Lab 3's questions, in notebook order. */
export const dpQuestions: readonly Question[] = [dpRingAllReduceQuestion, dpStepQuestion, dpZeroStage1Question];
