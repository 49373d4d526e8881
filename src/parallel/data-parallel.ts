/**
 * Simulated data-parallel (DP) training: N workers, each with its own replica of
 * the parameters, its own shard of every global batch and its own compute speed.
 *
 * One step (Li et al. 2020, "PyTorch Distributed: Experiences on Accelerating
 * Data Parallel Training", VLDB 13(12), §2–3):
 *   1. local forward/backward on the shard: g_i = (1/B) Σ_{s ∈ shard i} ∇ℓ_s
 *   2. all-reduce:                         g = Σ_i g_i = (1/B) Σ_{s ∈ batch} ∇ℓ_s
 *   3. the same optimizer step on every replica with g.
 * Dividing by the global batch B (not by the local b_i, then averaging over N) is
 * the weighted average Σ_i (b_i/B)·mean_i: it stays the large-batch gradient when
 * shards are uneven. Since every replica receives the same bits from the
 * all-reduce and applies the same update, replicas stay bit-identical.
 *
 * Simulated time per step = slowest worker's compute + the all-reduce's cost
 * (cost-model.ts); the real arithmetic happens in this process.
 */
import { allReduce, type AllReduceAlgorithm } from "./all-reduce";
import { allReduceCost } from "./cost-model";
import { ringAllReduce } from "./ring";
import { LINK_PRESETS, type LinkSpec } from "./links";
import {
  createReplicaOptimizer,
  replicaOptimizerUpdate,
  type ReplicaOptimizerConfig,
  type ReplicaOptimizerState,
} from "./replica-optimizer";
import { globalBatchSize, shardIndices, workerComputeSeconds, type WorkerComputeModel } from "./sharding";
import {
  initSoftmaxRegression,
  softmaxRegressionLossGradient,
  type ClassificationData,
} from "./softmax-regression";
import { FLOAT32_BYTES } from "../foundation/units";

/** Options of a data-parallel simulation. */
export interface DataParallelOptions {
  /** b_i, samples per worker per step; N = shardSizes.length (see evenShards). */
  readonly shardSizes: readonly number[];
  readonly optimizer: ReplicaOptimizerConfig;
  /** @default "ring" */
  readonly algorithm?: AllReduceAlgorithm;
  /** Per-worker compute model (one entry per worker). @default 1 µs per sample on every worker */
  readonly compute?: readonly WorkerComputeModel[];
  /** Link used to price the all-reduce. @default LINK_PRESETS["a100-nvlink3"] */
  readonly link?: LinkSpec;
  /** Seed of the initial parameters (the same on every replica). @default 0 */
  readonly seed?: number;
  /**
   * An all-reduce of your own (e.g. the lab's answer cell) that does the arithmetic
   * instead of the library's: it receives one gradient buffer per worker and returns
   * one summed buffer per worker. Time and bytes are still priced as `algorithm`
   * (cost-model.ts). @default undefined (the library's `algorithm`)
   */
  readonly allReduceFunction?: CustomAllReduce;
}

/** An all-reduce written elsewhere: one buffer per worker in, one summed buffer per worker out. */
export type CustomAllReduce = (buffers: Float32Array[]) => Float32Array[];

/** One simulated worker. */
export interface DataParallelWorker {
  readonly rank: number;
  /** replica θ [Ψ] */
  readonly params: Float32Array;
  /** gradient after the last all-reduce [Ψ] */
  readonly grads: Float32Array;
  readonly optimizer: ReplicaOptimizerState;
}

/** What one step did. */
export interface DataParallelStepRecord {
  readonly step: number;
  /** mean loss over the global batch, before the update */
  readonly loss: number;
  /** bytes each worker sent in the all-reduce, [N] */
  readonly bytesSent: readonly number[];
  /** simulated compute seconds per worker, [N] */
  readonly computeSeconds: readonly number[];
  /** simulated all-reduce seconds */
  readonly commSeconds: number;
  /** max(computeSeconds) + commSeconds */
  readonly stepSeconds: number;
}

/** The state of a running simulation. */
export interface DataParallelSimulation {
  readonly data: ClassificationData;
  readonly options: DataParallelOptions;
  readonly workers: readonly DataParallelWorker[];
  readonly history: DataParallelStepRecord[];
}

/** N replicas with identical initial parameters. */
export function createDataParallelSimulation(data: ClassificationData, options: DataParallelOptions): DataParallelSimulation {
  const N = options.shardSizes.length;
  globalBatchSize(options.shardSizes);
  if (options.compute !== undefined && options.compute.length !== N) {
    throw new Error(`Expected one compute model per worker (${N}), got ${options.compute.length}.`);
  }
  const theta0 = initSoftmaxRegression(data.features, data.classes, options.seed ?? 0);
  const workers: DataParallelWorker[] = [];
  for (let rank = 0; rank < N; rank++) {
    workers.push({
      rank,
      params: theta0.slice(),
      grads: new Float32Array(theta0.length),
      optimizer: createReplicaOptimizer(options.optimizer, theta0.length),
    });
  }
  return { data, options, workers, history: [] };
}

/** Local forward/backward of one worker: g_i = (1/B) Σ_{s ∈ shard} ∇ℓ_s, written as float32. Returns Σ ℓ. */
export function localShardGradient(
  params: Float32Array,
  data: ClassificationData,
  indices: readonly number[],
  globalBatch: number,
  out: Float32Array,
): number {
  const { lossSum, gradientSum } = softmaxRegressionLossGradient(params, data, indices);
  for (let j = 0; j < out.length; j++) out[j] = gradientSum[j]! / globalBatch;
  return lossSum;
}

/** Throws unless a custom all-reduce returned one buffer of `length` floats per worker. */
function expectReducedBuffers(outputs: unknown, workers: number, length: number): asserts outputs is Float32Array[] {
  if (!Array.isArray(outputs) || outputs.length !== workers) {
    const got = Array.isArray(outputs) ? `${outputs.length} buffers` : typeof outputs;
    throw new Error(`Expected allReduceFunction to return one Float32Array per worker (${workers}), got ${got}.`);
  }
  outputs.forEach((b: unknown, i) => {
    if (!(b instanceof Float32Array) || b.length !== length) {
      const got = b instanceof Float32Array ? `length ${b.length}` : typeof b;
      throw new Error(`Expected allReduceFunction's output ${i} to be a Float32Array of length ${length}, got ${got}.`);
    }
  });
}

/** Step 1 on every worker: forward and backward on its shard, leaving (1/B) Σ_{s ∈ shard i} ∇ℓ_s in `w.grads`. */
function localGradients(sim: DataParallelSimulation): { lossSum: number; B: number } {
  const { data, options, workers } = sim;
  const B = globalBatchSize(options.shardSizes);
  const shards = shardIndices(sim.history.length, options.shardSizes, data.samples);
  let lossSum = 0;
  workers.forEach((w, i) => {
    lossSum += localShardGradient(w.params, data, shards[i]!, B, w.grads);
  });
  return { lossSum, B };
}

/** The simulation's all-reduce (ring, tree, naive or `allReduceFunction`), its modelled time, and the bytes it sent. */
interface GradientAllReduce {
  /** Sums `buffers` across workers; the inputs are not changed. */
  readonly reduce: (buffers: Float32Array[]) => Float32Array[];
  /** Bytes each worker sent in the calls of `reduce` so far. */
  readonly bytesSent: () => readonly number[];
  /** α-β-γ time of one all-reduce of the gradient (cost-model.ts). */
  readonly seconds: number;
}

function gradientAllReduce(sim: DataParallelSimulation): GradientAllReduce {
  const { options, workers } = sim;
  const algorithm = options.algorithm ?? "ring";
  const S = workers[0]!.params.length * FLOAT32_BYTES; // bytes all-reduced
  const cost = allReduceCost(algorithm, workers.length, S, options.link ?? LINK_PRESETS["a100-nvlink3"]);
  let sent = workers.map(() => 0);
  const reduce = (buffers: Float32Array[]): Float32Array[] => {
    if (options.allReduceFunction !== undefined) {
      const outputs = options.allReduceFunction(buffers.map((g) => g.slice()));
      expectReducedBuffers(outputs, workers.length, S / FLOAT32_BYTES);
      sent = sent.map((b) => b + cost.bytesSentPerWorker);
      return outputs;
    }
    const reduced = algorithm === "ring" ? ringAllReduce(buffers) : allReduce(buffers, algorithm);
    sent = sent.map((b, i) => b + reduced.bytesSent[i]!);
    return reduced.outputs;
  };
  return { reduce, bytesSent: () => sent, seconds: cost.seconds };
}

/** The step's record, appended to the history: loss, traffic, and time = slowest worker's compute + communication. */
function recordStep(sim: DataParallelSimulation, loss: number, bytesSent: readonly number[], commSeconds: number): DataParallelStepRecord {
  const computeSeconds = sim.workers.map((_, i) =>
    workerComputeSeconds(sim.options.compute?.[i] ?? { secondsPerSample: 1e-6 }, sim.options.shardSizes[i]!),
  );
  const record: DataParallelStepRecord = {
    step: sim.history.length,
    loss,
    bytesSent,
    computeSeconds,
    commSeconds,
    stepSeconds: Math.max(...computeSeconds) + commSeconds,
  };
  sim.history.push(record);
  return record;
}

/**
 * Run one data-parallel step on every worker; returns its record (also appended to history).
 * 1. each worker: forward and backward on its own shard (`localGradients`);
 * 2. one all-reduce: every worker receives Σ_i (1/B) Σ_{s ∈ shard i} ∇ℓ_s, the global batch's mean gradient;
 * 3. every replica takes the same optimizer step, so the replicas stay identical.
 */
export function dataParallelStep(sim: DataParallelSimulation): DataParallelStepRecord {
  // BEGIN SOLUTION dp.step
  const { lossSum, B } = localGradients(sim);
  const allReduced = gradientAllReduce(sim);
  const reduced = allReduced.reduce(sim.workers.map((w) => w.grads));
  sim.workers.forEach((w, i) => w.grads.set(reduced[i]!));
  for (const w of sim.workers) replicaOptimizerUpdate(w.optimizer, w.params, w.grads);
  return recordStep(sim, lossSum / B, allReduced.bytesSent(), allReduced.seconds);
  // STUDENT EDITION
  // type DpStep = (params: Float32Array[], grads: Float32Array[], shardSizes: number[], lr: number, allReduce: (buffers: Float32Array[]) => Float32Array[]) => void;
  // const dpStep = yours.answer<DpStep>("dpStep");
  // const { lossSum, B } = localGradients(sim);
  // const allReduced = gradientAllReduce(sim);
  // const sizes = [...sim.options.shardSizes];
  // // Your dpStep from θ = 0 with η = −1 leaves θ = Σ_i (b_i/B) g_i, the all-reduced gradient: the configured optimizer applies it.
  // const summed = sim.workers.map((w) => new Float32Array(w.params.length));
  // dpStep(summed, sim.workers.map((w, i) => w.grads.map((v) => (v * B) / sizes[i]!)), sizes, -1, allReduced.reduce);
  // sim.workers.forEach((w, i) => w.grads.set(summed[i]!));
  // for (const w of sim.workers) replicaOptimizerUpdate(w.optimizer, w.params, w.grads);
  // return recordStep(sim, lossSum / B, allReduced.bytesSent(), allReduced.seconds);
  // END SOLUTION
}

/**
 * Create a simulation and run `steps` steps.
 * @example
 *   const data = makeClassificationData({ samples: 512, features: 8, classes: 4 });
 *   const dp = trainDataParallel(data, { shardSizes: evenShards(4, 8), optimizer: { kind: "sgd", lr: 0.5 } }, 50);
 *   const one = trainDataParallel(data, { shardSizes: [32], optimizer: { kind: "sgd", lr: 0.5 } }, 50);
 *   // dp.workers[0].params equals one.workers[0].params to float32 rounding
 */
export function trainDataParallel(
  data: ClassificationData,
  options: DataParallelOptions,
  steps: number,
): DataParallelSimulation {
  const sim = createDataParallelSimulation(data, options);
  for (let t = 0; t < steps; t++) dataParallelStep(sim);
  return sim;
}
