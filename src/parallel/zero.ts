/**
 * ZeRO-powered data parallelism, stages 0–3, on the simulated workers
 * (Rajbhandari, Rasley, Ruwase & He 2020, "ZeRO: Memory Optimizations Toward
 * Training Trillion Parameter Models", SC'20).
 *
 * With N workers, Ψ parameters and the simulation's fp32 precision
 * (4 bytes per parameter, 4 per gradient, K bytes of optimizer state: Adam's m
 * and v, K = 8; SGD, K = 0), worker i owns partition i of the flat parameter
 * vector (chunkBoundaries(Ψ, N)[i], Ψ/N elements when N divides Ψ) and holds
 * (ZeRO §5, Figure 1):
 *   stage 0 (plain DP):          4Ψ + 4Ψ + KΨ
 *   stage 1 (P_os, optimizer):   4Ψ + 4Ψ + KΨ/N
 *   stage 2 (P_os+g, gradients): 4Ψ + (4 + K)Ψ/N
 *   stage 3 (P_os+g+p, params):  (4 + 4 + K)Ψ/N
 *
 * One step, and the elements each worker sends (ZeRO §7, "Communication analysis"):
 *   stage 0: forward/backward; ring all-reduce of gradients              → 2Ψ
 *   stage 1: forward/backward; ring reduce-scatter of gradients (Ψ), update own
 *            partition; ring all-gather of parameters (Ψ)                → 2Ψ
 *   stage 2: as stage 1, keeping only the own gradient partition         → 2Ψ
 *   stage 3: all-gather parameters for the forward (Ψ), free; all-gather again
 *            for the backward (Ψ), free; reduce-scatter of gradients (Ψ);
 *            update own partition                                         → 3Ψ
 * ("Ψ" counts a full ring pass, (N−1)/N·Ψ elements per worker exactly.)
 *
 * The reduce-scatter is the first half of the ring all-reduce (ring.ts), so every
 * reduced element has the same bits as under plain DP, and the optimizer updates
 * each element on its own: all stages train exactly like plain ring DP.
 */
import { chunkBoundaries, type ChunkBounds } from "./chunks";
import { localShardGradient, type DataParallelOptions } from "./data-parallel";
import {
  createReplicaOptimizer,
  replicaOptimizerBytes,
  replicaOptimizerUpdate,
  type ReplicaOptimizerState,
} from "./replica-optimizer";
import { ringAllGatherSteps, ringReduceScatterSteps } from "./ring";
import { globalBatchSize, shardIndices } from "./sharding";
import { initSoftmaxRegression, softmaxRegressionLoss, type ClassificationData } from "./softmax-regression";
import { countTraceBytes, type CollectiveMessage } from "./trace";
import { zeroStateBytes, type ZeroMemoryHeld, type ZeroPerDeviceAnswer, type ZeroStage } from "./zero-bytes";
import { assertNever } from "../foundation/assert-never";
import { FLOAT32_BYTES } from "../foundation/units";

/** Options: shards, optimizer and seed as for plain DP (the algorithm is always the ring), plus the stage. */
export interface ZeroOptions extends Omit<DataParallelOptions, "algorithm" | "compute" | "link" | "allReduceFunction"> {
  readonly stage: ZeroStage;
}

/** One ZeRO worker's persistent buffers. */
export interface ZeroWorker {
  readonly rank: number;
  /** the elements of θ this worker owns */
  readonly partition: ChunkBounds;
  /** θ: [Ψ] for stages 0–2, [partition] for stage 3 */
  readonly params: Float32Array;
  /** gradient: [Ψ] for stages 0–1, [partition] for stages 2–3 */
  readonly grads: Float32Array;
  /** optimizer state: for [Ψ] at stage 0, for [partition] at stages 1–3 */
  readonly optimizer: ReplicaOptimizerState;
}

/** What one ZeRO step did. */
export interface ZeroStepRecord {
  readonly step: number;
  readonly loss: number;
  /** bytes each worker sent during the step, [N] */
  readonly bytesSent: readonly number[];
}

export interface ZeroSimulation {
  readonly data: ClassificationData;
  readonly options: ZeroOptions;
  readonly workers: readonly ZeroWorker[];
  readonly history: ZeroStepRecord[];
}

/** Workers with partitions and buffers sized for the stage. */
export function createZeroSimulation(data: ClassificationData, options: ZeroOptions): ZeroSimulation {
  const N = options.shardSizes.length;
  globalBatchSize(options.shardSizes);
  if (![0, 1, 2, 3].includes(options.stage)) {
    throw new Error(`Expected stage to be 0, 1, 2 or 3, got ${String(options.stage)}.`);
  }
  const theta0 = initSoftmaxRegression(data.features, data.classes, options.seed ?? 0);
  const Psi = theta0.length;
  const bounds = chunkBoundaries(Psi, N);
  const workers: ZeroWorker[] = bounds.map((partition, rank) => {
    const own = partition.end - partition.start;
    const full = options.stage <= 2;
    return {
      rank,
      partition,
      params: full ? theta0.slice() : theta0.slice(partition.start, partition.end),
      grads: new Float32Array(options.stage <= 1 ? Psi : own),
      optimizer: createReplicaOptimizer(options.optimizer, options.stage === 0 ? Psi : own),
    };
  });
  return { data, options, workers, history: [] };
}

/** Bytes held by a worker for parameters, gradients and optimizer states. */
export function zeroMemoryHeld(worker: ZeroWorker): ZeroMemoryHeld {
  const paramBytes = worker.params.length * FLOAT32_BYTES;
  const gradBytes = worker.grads.length * FLOAT32_BYTES;
  const optimizerBytes = replicaOptimizerBytes(worker.optimizer);
  return { paramBytes, gradBytes, optimizerBytes, totalBytes: paramBytes + gradBytes + optimizerBytes };
}

/** Full parameter vectors on every worker, gathered from the stage-3 partitions (traced). */
function gatherParams(workers: readonly ZeroWorker[], Psi: number, trace: CollectiveMessage[], firstStep: number) {
  const full = workers.map((w) => {
    const theta = new Float32Array(Psi);
    theta.set(w.params, w.partition.start);
    return theta;
  });
  const next = ringAllGatherSteps(full, workers.map((w) => w.partition), trace, firstStep);
  return { full, next };
}

/**
 * ZeRO stages 1 and 2 after the gradients' reduce-scatter: each worker updates only the
 * partition it owns, with the optimizer state it holds for it (Rajbhandari et al. 2020,
 * §5.1, P_os), then one all-gather sends every updated partition to every replica (Ψ).
 * At stage 2 the worker keeps only its partition of the gradient.
 * @param gradients worker i's full-size gradient after the reduce-scatter: its own partition holds the sum
 */
function updateOwnPartitions(workers: readonly ZeroWorker[], gradients: readonly Float32Array[], stage: 1 | 2, trace: CollectiveMessage[], step: number): void {
  // BEGIN SOLUTION dp.zeroStage1
  for (const [i, w] of workers.entries()) {
    const { start, end } = w.partition;
    if (stage === 2) w.grads.set(gradients[i]!.subarray(start, end)); // keep only the own partition
    const g = stage === 1 ? w.grads.subarray(start, end) : w.grads;
    replicaOptimizerUpdate(w.optimizer, w.params.subarray(start, end), g);
  }
  ringAllGatherSteps(
    workers.map((w) => w.params),
    workers.map((w) => w.partition),
    trace,
    step,
  ); // updated parameters to every replica, Ψ
  // STUDENT EDITION
  // type ZeroStage1Step = (params: Float32Array[], grads: Float32Array[], partitions: ChunkBounds[], update: (rank: number, w: Float32Array, g: Float32Array) => void, allGather: (pieces: Float32Array[]) => Float32Array[]) => void;
  // const zeroStage1Step = yours.answer<ZeroStage1Step>("zeroStage1Step");
  // const bounds = workers.map((w) => w.partition);
  // const update = (rank: number, w: Float32Array, g: Float32Array): void => {
  //   const worker = workers[rank]!;
  //   if (stage === 2) worker.grads.set(g); // at stage 2 the worker holds only its partition of the gradient
  //   replicaOptimizerUpdate(worker.optimizer, w, stage === 2 ? worker.grads : g);
  // };
  // // Your all-gather's pieces go into full-size buffers, and the traced ring all-gather completes them.
  // const allGather = (pieces: Float32Array[]): Float32Array[] => {
  //   const full = pieces.map((piece, i) => {
  //     const buffer = new Float32Array(workers[0]!.params.length);
  //     buffer.set(piece, bounds[i]!.start);
  //     return buffer;
  //   });
  //   ringAllGatherSteps(full, bounds, trace, step);
  //   return full;
  // };
  // zeroStage1Step(workers.map((w) => w.params), [...gradients], bounds, update, allGather);
  // END SOLUTION
}

/** One ZeRO step on every worker. */
export function zeroStep(sim: ZeroSimulation): ZeroStepRecord {
  // BEGIN SOLUTION dp.zeroStage1
  const { data, options, workers } = sim;
  const { stage } = options;
  const t = sim.history.length;
  const N = workers.length;
  const B = globalBatchSize(options.shardSizes);
  const shards = shardIndices(t, options.shardSizes, data.samples);
  const Psi = stage === 3 ? workers.reduce((s, w) => s + w.params.length, 0) : workers[0]!.params.length;
  const bounds = workers.map((w) => w.partition);
  const trace: CollectiveMessage[] = [];
  let step = 1;

  // forward/backward: full-size gradients, transient for stages 2–3
  let fullParams: Float32Array[];
  let loss = 0;
  if (stage === 3) {
    const forward = gatherParams(workers, Psi, trace, step); // all-gather for the forward, Ψ
    step = forward.next;
    workers.forEach((_, i) => (loss += softmaxRegressionLoss(forward.full[i]!, data, shards[i]!) * shards[i]!.length));
    // the gathered parameters are freed here; the backward gathers them again
    const backward = gatherParams(workers, Psi, trace, step); // all-gather for the backward, Ψ
    step = backward.next;
    fullParams = backward.full;
  } else {
    fullParams = workers.map((w) => w.params);
  }
  const gradients = workers.map((w, i) => {
    const g = stage <= 1 ? w.grads : new Float32Array(Psi); // [Ψ]
    const lossSum = localShardGradient(fullParams[i]!, data, shards[i]!, B, g);
    if (stage !== 3) loss += lossSum;
    return g;
  });

  // gradient reduction: reduce-scatter (Ψ); plain DP continues with the all-gather half of the all-reduce (Ψ)
  step = ringReduceScatterSteps(gradients, bounds, trace, step);
  switch (stage) {
    case 0:
      ringAllGatherSteps(gradients, bounds, trace, step);
      for (const w of workers) replicaOptimizerUpdate(w.optimizer, w.params, w.grads);
      break;
    case 1:
    case 2:
      updateOwnPartitions(workers, gradients, stage, trace, step);
      break;
    case 3:
      for (const [i, w] of workers.entries()) {
        w.grads.set(gradients[i]!.subarray(w.partition.start, w.partition.end));
        replicaOptimizerUpdate(w.optimizer, w.params, w.grads);
      }
      break;
    default:
      assertNever(stage);
  }
  const record: ZeroStepRecord = { step: t, loss: loss / B, bytesSent: countTraceBytes(trace, N).bytesSent };
  sim.history.push(record);
  return record;
  // STUDENT EDITION KEEPS THIS BODY
  // END SOLUTION
}

/**
 * Create a ZeRO simulation and run `steps` steps.
 * @example
 *   const z3 = trainZero(data, { shardSizes: evenShards(4, 8), optimizer: { kind: "adam", lr: 0.01 }, stage: 3 }, 50);
 *   zeroParameters(z3); // bit for bit the parameters of plain ring DP
 *   zeroMemoryHeld(z3.workers[0]); // a quarter of plain DP's bytes
 */
export function trainZero(data: ClassificationData, options: ZeroOptions, steps: number): ZeroSimulation {
  const sim = createZeroSimulation(data, options);
  for (let t = 0; t < steps; t++) zeroStep(sim);
  return sim;
}

/** The full parameter vector of a ZeRO simulation (gathered from the partitions at stage 3). */
export function zeroParameters(sim: ZeroSimulation): Float32Array {
  if (sim.options.stage !== 3) return sim.workers[0]!.params.slice();
  const Psi = sim.workers.reduce((s, w) => s + w.params.length, 0);
  const theta = new Float32Array(Psi);
  for (const w of sim.workers) theta.set(w.params, w.partition.start);
  return theta;
}

/** Bytes per parameter of each model state. */
export interface ZeroBytesPerParameter {
  /** bytes per parameter of the parameters themselves. @default 4 (fp32, as in the simulation) */
  readonly param?: number;
  /** bytes per parameter of the gradients. @default 4 */
  readonly grad?: number;
  /** K: bytes per parameter of optimizer states. @default 8 (fp32 Adam m and v) */
  readonly optimizer?: number;
}

/**
 * Bytes per worker the ZeRO paper's formulas predict (Rajbhandari et al. 2020, §5.1,
 * Figure 1), by the one byte model of zero-bytes.ts. The defaults are the simulation's
 * fp32 precision (4 + 4 + 8); pass { param: 2, grad: 2, optimizer: 12 } for the paper's
 * mixed precision.
 */
export function zeroFormulaBytes(
  stage: ZeroStage,
  Psi: number,
  N: number,
  bytesPerParameter: ZeroBytesPerParameter = {},
): ZeroMemoryHeld {
  // BEGIN SOLUTION memory.zeroPerDevice
  return zeroStateBytes(stage, Psi, N, {
    param: bytesPerParameter.param ?? 4,
    grad: bytesPerParameter.grad ?? 4,
    optimizer: bytesPerParameter.optimizer ?? 8,
  });
  // STUDENT EDITION
  // const yourZeroPerDevice = yours.answer<ZeroPerDeviceAnswer>("zeroPerDevice");
  // const perParameter = { parameters: bytesPerParameter.param ?? 4, gradients: bytesPerParameter.grad ?? 4, optimizerStates: bytesPerParameter.optimizer ?? 8 };
  // const device = yourZeroPerDevice(Psi, perParameter, stage, N);
  // return { paramBytes: device.parameters, gradBytes: device.gradients, optimizerBytes: device.optimizerStates, totalBytes: device.total };
  // END SOLUTION
}
