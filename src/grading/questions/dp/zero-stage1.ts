/**
 * dp.zeroStage1 (notebooks/03-data-parallel.ipynb): one ZeRO stage-1 step.
 *
 *   zeroStage1Step(params, grads, partitions, update, allGather) -> void
 *   worker i updates only θ[partition i] with the optimizer state it holds, then
 *   all-gathers the updated partitions (Rajbhandari et al. 2020, ZeRO, §5.1 P_os)
 *
 * The tests pass the library's optimizer as `update` and its ring all-gather as
 * `allGather`, and compare with one optimizer step over the whole vector.
 */
import { chunkBoundaries, type ChunkBounds } from "../../../parallel/chunks";
import { createReplicaOptimizer, replicaOptimizerUpdate, type ReplicaOptimizerConfig, type ReplicaOptimizerState } from "../../../parallel/replica-optimizer";
import { ringAllGather } from "../../../parallel/ring";
import { initTensors } from "../../../tensor";
import { answerCopyOrigin, GradingError, type Implementation, type Question } from "../../question";
import { callGradedAnswer, gradedRandomBuffers, gradedTest, isFloat32Array, preview, studentCopy } from "../expectations";
import { OPTIMIZER_BY_HAND } from "../forbidden";

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

/** Equal up to float32 rounding of one optimizer step. */
function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
}

/** What `update` saw: which worker ran its optimizer on which elements, and rule violations. */
interface UpdateLog {
  readonly updates: { rank: number; offset: number; length: number }[];
  violation: string | undefined;
}

/**
 * The `update` callback the answer receives. Worker i's optimizer holds state for
 * partitions[i] only, so it accepts exactly that slice; it also tells which worker's
 * replica a slice belongs to when the answer passes views (`params[i].subarray(...)`).
 * A violation stops the answer (the callback throws) and is reported after the call.
 */
function zeroUpdate(harness: ZeroStage1Harness, params: readonly Float32Array[], g: Float32Array, log: UpdateLog) {
  const { partitions, states } = harness;
  const N = partitions.length;
  const refuse = (message: string): never => {
    log.violation ??= message;
    throw new Error(message);
  };
  return (rank: number, w: Float32Array, gi: Float32Array): void => {
    const own = partitions[rank];
    if (own === undefined || !Number.isInteger(rank)) return refuse(`update: rank must be a worker index 0..${N - 1}, got ${String(rank)}`);
    if (!isFloat32Array(w) || !isFloat32Array(gi)) return refuse(`update(${rank}, w, g) takes two Float32Arrays (slices of params[${rank}] and grads[${rank}])`);
    const size = own.end - own.start;
    // The answer works on copies of the replicas (callAnswer): find the replica a view was copied from.
    const origin = answerCopyOrigin(w);
    const owner = params.findIndex((theta) => theta.buffer === w.buffer || origin?.original === theta);
    if (owner >= 0 && owner !== rank) {
      return refuse(
        `worker ${rank} ran its optimizer on a slice of worker ${owner}'s parameters: under ZeRO each worker updates its own shard of its own replica, ` +
          `update(${rank}, params[${rank}].subarray(start, end), grads[${rank}].subarray(start, end)), and receives the other shards through the all-gather`,
      );
    }
    const offset = owner !== rank ? offsetByValues(g, gi) : origin !== undefined ? origin.offset : w.byteOffset / Float32Array.BYTES_PER_ELEMENT;
    const other = partitions.findIndex((p, k) => k !== rank && p.start === offset && p.end - p.start === gi.length && p.end > p.start);
    if (other >= 0) {
      return refuse(
        `worker ${rank} was given partition ${other}'s elements [${partitions[other]!.start}, ${partitions[other]!.end}) but owns [${own.start}, ${own.end}): ` +
          `ZeRO updates the wrong partition. Worker i's optimizer state belongs to partitions[i]`,
      );
    }
    if (w.length !== size || gi.length !== size) {
      return refuse(
        `worker ${rank}'s optimizer holds state for its own partition only (${size} elements, [${own.start}, ${own.end})), got w of length ${w.length} and g of length ${gi.length}: ` +
          `updating the whole vector on every worker is plain data parallelism, not ZeRO. Pass params[${rank}].subarray(start, end) and grads[${rank}].subarray(start, end)`,
      );
    }
    log.updates.push({ rank, offset, length: size });
    replicaOptimizerUpdate(states[rank]!, w, gi);
  };
}

/**
 * Run one `zeroStage1Step` of the answer on replicas `params` (updated in place) with the
 * all-reduced gradient `g` on every worker, and check it against one optimizer step over
 * the whole vector, computed before the answer runs. The answer must move only shards:
 * worker i runs its optimizer once, on partition i of its own replica, and the updated
 * partitions reach the other workers through exactly one all-gather (none needed for N = 1).
 */
export async function checkZeroStage1Case(impl: Implementation, harness: ZeroStage1Harness, params: Float32Array[], g: Float32Array, label: string): Promise<void> {
  await initTensors(); // the optimizer may compute with tensors (the library's one Adam update)
  const N = params.length;
  const { partitions } = harness;
  const before = params[0]!.slice();
  const expected = before.slice();
  replicaOptimizerUpdate(harness.fullState, expected, g); // plain DP: one step over the whole vector
  const replicas = [...params]; // the grader's own list: the answer may consume the array it is given
  const log: UpdateLog = { updates: [], violation: undefined };
  const gathered: Float32Array[][] = [];
  const allGather = (pieces: Float32Array[]): Float32Array[] => {
    gathered.push(Array.isArray(pieces) ? pieces.map((piece) => Float32Array.from(piece)) : []);
    return ringAllGather(pieces).outputs;
  };
  try {
    await callGradedAnswer(impl, "dp.zeroStage1", "zeroStage1Step", [...replicas], replicas.map(() => g.slice()), studentCopy(partitions), zeroUpdate(harness, replicas, g, log), allGather);
  } catch (error) {
    if (log.violation === undefined) throw error;
  }
  if (log.violation !== undefined) throw new GradingError(`${label}: ${log.violation}.`);

  for (let rank = 0; rank < N; rank++) {
    const own = partitions[rank]!;
    const mine = log.updates.filter((u) => u.rank === rank);
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
  if (N > 1) checkZeroGather(gathered, partitions, before, expected, label);
  for (let rank = 0; rank < N; rank++) {
    const theta = replicas[rank]!;
    if (theta.length !== before.length) throw new GradingError(`${label}: worker ${rank}'s parameter buffer changed length; update it in place (params[i].set(...)).`);
    const bad = theta.findIndex((v, j) => !near(v, expected[j]!));
    if (bad < 0) continue;
    const own = partitions[rank]!;
    const ownRight = theta.subarray(own.start, own.end).every((v, j) => near(v, expected[own.start + j]!));
    const why = ownRight
      ? `Worker ${rank}'s own partition is right but the rest of its parameters are not: copy the all-gathered vector into params[${rank}].`
      : "Check that each worker updates params[i] and grads[i] on partitions[i], then gathers the updated partitions.";
    throw new GradingError(`${label}: worker ${rank}'s parameter ${bad} is not what one optimizer step over the whole vector gives. ${why}`, preview(expected), preview(theta));
  }
}

/** The all-gather of one step: called once, with worker i's updated partition i. */
function checkZeroGather(gathered: readonly Float32Array[][], partitions: readonly ChunkBounds[], before: Float32Array, expected: Float32Array, label: string): void {
  if (gathered.length === 0) {
    throw new GradingError(
      `${label}: allGather was never called: after the update, all-gather the updated partitions so every replica holds the new θ ` +
        `(under ZeRO a worker holds the new values of its own partition only; copying between params[] directly is not a collective).`,
    );
  }
  if (gathered.length > 1) {
    throw new GradingError(`${label}: allGather was called ${gathered.length} times; one all-gather of the N updated partitions completes the step.`, "1", String(gathered.length));
  }
  const pieces = gathered[0]!;
  if (pieces.length !== partitions.length) {
    throw new GradingError(`${label}: allGather received ${pieces.length} pieces; send one per worker, worker i's updated partition i.`, String(partitions.length), String(pieces.length));
  }
  partitions.forEach((p, i) => {
    const piece = pieces[i]!;
    const want = expected.subarray(p.start, p.end);
    if (piece.length === want.length && piece.every((v, j) => near(v, want[j]!))) return;
    const old = before.subarray(p.start, p.end);
    const why =
      piece.length === want.length && piece.every((v, j) => Object.is(v, old[j]))
        ? "The pieces sent to allGather were taken before the update (slice each partition after updating it)."
        : piece.length === expected.length
          ? "Each worker sends only its own partition, params[i].slice(start, end), not its whole replica."
          : `Worker i sends partitions[i] of its replica after updating it (here ${p.end - p.start} elements, [${p.start}, ${p.end})).`;
    throw new GradingError(`${label}: worker ${i}'s piece of the all-gather is not its updated partition. ${why}`, preview(want), preview(piece));
  });
}

/** Run `steps` ZeRO-1 steps of the answer with random gradients, checking every step. */
export async function checkZeroStage1Run(impl: Implementation, seed: number, N: number, Psi: number, steps: number, config: ReplicaOptimizerConfig = DP_ZERO_ADAM): Promise<void> {
  const harness = zeroStage1Harness(N, Psi, config);
  const theta = gradedRandomBuffers(seed, 1, Psi)[0]!;
  const params = Array.from({ length: N }, () => theta.slice());
  for (let t = 1; t <= steps; t++) {
    const g = gradedRandomBuffers(seed + t, 1, Psi)[0]!;
    await checkZeroStage1Case(impl, harness, params, g, `zeroStage1Step (${N} workers, Ψ = ${Psi}, step ${t})`);
  }
}

export const dpZeroStage1Question: Question = {
  id: "dp.zeroStage1",
  notebook: "03-data-parallel.ipynb",
  title: "ZeRO stage 1: each worker updates its own partition, then all-gather",
  exports: ["zeroStage1Step"],
  references: ["zeroStep"],
  forbidden: [OPTIMIZER_BY_HAND],
  publicTests: [
    gradedTest(
      "two workers, Ψ = 4: worker 0 updates θ[0, 2), worker 1 updates θ[2, 4), and both end with the same θ as plain Adam",
      2,
      "Call update(i, params[i].subarray(start, end), grads[i].subarray(start, end)) with partitions[i]; then allGather the updated partitions.",
      async (impl) => {
        await checkZeroStage1Run(impl, 341, 2, 4, 1);
      },
    ),
    gradedTest(
      "four workers, Ψ = 10 (partitions of 3, 3, 2, 2): five Adam steps equal plain data parallelism",
      2,
      "Each worker's optimizer state covers only its own partition; after the update every worker needs every partition (all-gather).",
      async (impl) => {
        await checkZeroStage1Run(impl, 351, 4, 10, 5);
      },
    ),
    gradedTest("one worker owns everything: ZeRO stage 1 is plain Adam", 1, "partitions[0] covers [0, Ψ) when N = 1.", async (impl) => {
      await checkZeroStage1Run(impl, 361, 1, 6, 3);
    }),
  ],
};
