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
import { GradingError, type Implementation, type Question } from "../../question";
import { callGradedAnswer, gradedRandomBuffers, gradedTest, preview } from "../expectations";

/** Adam with the paper's defaults and a visible learning rate (the simulator's optimizer). */
export const DP_ZERO_ADAM: ReplicaOptimizerConfig = { kind: "adam", learningRate: 0.05 };

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
    throw new GradingError(`${label}: worker ${rank}'s parameter ${bad} is not what one optimizer step over the whole vector gives. ${why}`, preview(expected), preview(theta));
  }
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
