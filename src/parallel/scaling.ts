/**
 * How long a data-parallel step takes on a cluster, and how well training scales.
 *
 * Step time (synchronous DP): every worker waits for the all-reduce, which cannot
 * finish before the slowest worker has produced its gradients, so
 *   T_step = max_i C_i + T_comm                     (no overlap)
 * PyTorch DDP splits the gradients into k buckets and all-reduces bucket j as
 * soon as the backward pass has produced it (Li et al. 2020, "PyTorch
 * Distributed", VLDB 13(12), §3.2.3 "Bucketing gradients" and "Overlap
 * computation with communication"). With forward time F = (1 − f)·C_max and
 * backward time f·C_max (f = backwardFraction), bucket j (j = 1..k) is ready at
 *   r_j = F + f·C_max · j/k,
 * its all-reduce starts at s_j = max(r_j, e_{j−1}) and ends at e_j = s_j + T(S/k), so
 *   T_step = max(C_max, e_k).
 * Each bucket pays its own latency: more buckets overlap more but add α terms.
 *
 * Scaling: throughput X(N) = global batch / T_step(N).
 *   weak scaling   — per-worker batch b fixed, global batch N·b;
 *   strong scaling — global batch B fixed, per-worker batch B/N;
 *   speedup(N) = X(N) / X(1),  efficiency(N) = speedup(N) / N,
 * where X(1) is one worker without slowdown (so a straggler shows as lost efficiency).
 */
import type { AllReduceAlgorithm } from "./all-reduce";
import { allReduceCost } from "./cost-model";
import { LINK_PRESETS, type LinkSpec } from "./links";
import { expectInteger, expectPositive, expectNonNegative } from "../foundation/validate";

/** Workers grouped in nodes: a fast link inside a node, a slower one between nodes. */
export interface ScalingCluster {
  readonly name: string;
  readonly gpusPerNode: number;
  readonly intraNode: LinkSpec;
  readonly interNode: LinkSpec;
}

/** Delta's 4×A100 nodes: NVLink 3 inside, Slingshot 200 Gb/s between (links.ts). */
export const DELTA_A100_CLUSTER: ScalingCluster = {
  name: "Delta 4×A100 (NVLink 3, Slingshot 200 Gb/s)",
  gpusPerNode: 4,
  intraNode: LINK_PRESETS["a100-nvlink3"],
  interNode: LINK_PRESETS["slingshot-200g"],
};

/** Delta's 4×A40 nodes: PCIe Gen4 inside, Slingshot 200 Gb/s between. */
export const DELTA_A40_CLUSTER: ScalingCluster = {
  name: "Delta 4×A40 (PCIe Gen4, Slingshot 200 Gb/s)",
  gpusPerNode: 4,
  intraNode: LINK_PRESETS["a40-pcie4"],
  interNode: LINK_PRESETS["slingshot-200g"],
};

/**
 * The link a flat ring over `workers` workers sees: the intra-node link while the
 * ring fits in one node, otherwise its slowest hop (largest α, smallest bandwidths),
 * because every step waits for the slowest message.
 */
export function ringBottleneckLink(cluster: ScalingCluster, workers: number): LinkSpec {
  expectInteger("workers", workers, 1);
  expectInteger("gpusPerNode", cluster.gpusPerNode, 1);
  if (workers <= cluster.gpusPerNode) return cluster.intraNode;
  const a = cluster.intraNode;
  const b = cluster.interNode;
  return {
    latency: Math.max(a.latency, b.latency),
    bandwidth: Math.min(a.bandwidth, b.bandwidth),
    reduceBandwidth: Math.min(a.reduceBandwidth ?? Infinity, b.reduceBandwidth ?? Infinity),
  };
}

/** Inputs of one step's time. */
export interface DataParallelStepTimeOptions {
  /** forward + backward seconds of each worker, [N] */
  readonly computeSeconds: readonly number[];
  /** S: bytes of gradients all-reduced per step */
  readonly gradientBytes: number;
  readonly link: LinkSpec;
  /** @default "ring" */
  readonly algorithm?: AllReduceAlgorithm;
  /** k: gradient buckets. @default 1 */
  readonly buckets?: number;
  /** Start each bucket's all-reduce during the backward pass. @default false */
  readonly overlap?: boolean;
  /** f: share of compute spent in the backward pass (≈ 2/3: backward costs about twice the forward). @default 2/3 */
  readonly backwardFraction?: number;
}

/** Where a step's time goes. */
export interface DataParallelStepTime {
  /** C_max: the slowest worker's compute, seconds */
  readonly computeSeconds: number;
  /** rank of the slowest worker */
  readonly slowestWorker: number;
  /** k · T(S/k): time the network is busy, seconds */
  readonly commSeconds: number;
  /** T_step − C_max: communication not hidden behind compute, seconds */
  readonly exposedCommSeconds: number;
  /** T_step, seconds */
  readonly stepSeconds: number;
}

/** Step time of synchronous data parallelism, with optional bucketed overlap. */
export function dataParallelStepTime(options: DataParallelStepTimeOptions): DataParallelStepTime {
  const N = options.computeSeconds.length;
  expectInteger("the number of workers (computeSeconds.length)", N, 1);
  options.computeSeconds.forEach((c, i) => expectNonNegative(`computeSeconds[${i}]`, c));
  expectNonNegative("gradientBytes", options.gradientBytes);
  const k = options.buckets ?? 1;
  expectInteger("buckets", k, 1);
  const f = options.backwardFraction ?? 2 / 3;
  if (!(f >= 0 && f <= 1)) throw new Error(`Expected backwardFraction to be in [0, 1], got ${f}.`);
  const Cmax = Math.max(...options.computeSeconds);
  const slowestWorker = options.computeSeconds.indexOf(Cmax);
  const bucketSeconds = allReduceCost(options.algorithm ?? "ring", N, options.gradientBytes / k, options.link).seconds;
  const commSeconds = k * bucketSeconds;
  let stepSeconds: number;
  if (options.overlap === true) {
    const F = (1 - f) * Cmax; // forward
    let e = 0; // end of the previous bucket's all-reduce
    for (let j = 1; j <= k; j++) {
      const r = F + (f * Cmax * j) / k; // bucket j ready
      e = Math.max(r, e) + bucketSeconds;
    }
    stepSeconds = Math.max(Cmax, e);
  } else {
    stepSeconds = Cmax + commSeconds;
  }
  return { computeSeconds: Cmax, slowestWorker, commSeconds, exposedCommSeconds: stepSeconds - Cmax, stepSeconds };
}

/** Weak (fixed per-worker batch) or strong (fixed global batch) scaling. */
export type ScalingMode = "weak" | "strong";

/** A scaling study of one model on one cluster. */
export interface ScalingStudyOptions {
  readonly mode: ScalingMode;
  readonly cluster: ScalingCluster;
  /** worker counts to evaluate (N = 1 is always the baseline) */
  readonly workerCounts: readonly number[];
  /** S: gradient bytes per step (e.g. 2Ψ for fp16 gradients) */
  readonly gradientBytes: number;
  /** forward + backward seconds per sample on one worker */
  readonly secondsPerSample: number;
  /** weak: per-worker batch b; strong: global batch B */
  readonly batch: number;
  /** @default "ring" */
  readonly algorithm?: AllReduceAlgorithm;
  /** @default 1 */
  readonly buckets?: number;
  /** @default false */
  readonly overlap?: boolean;
  /** One worker (the last) is this many times slower. @default 1 (no straggler) */
  readonly stragglerSlowdown?: number;
}

/** One point of a scaling curve. */
export interface ScalingPoint {
  readonly workers: number;
  readonly stepSeconds: number;
  readonly computeSeconds: number;
  readonly exposedCommSeconds: number;
  /** samples per second */
  readonly throughput: number;
  /** X(N) / X(1), X(1) = one worker without slowdown */
  readonly speedup: number;
  /** speedup / N */
  readonly efficiency: number;
}

/**
 * Throughput, speedup and efficiency for each worker count.
 * @example
 *   scalingCurve({ mode: "weak", cluster: DELTA_A100_CLUSTER, workerCounts: [1, 4, 8, 64],
 *                  gradientBytes: 2 * 1.5e9, secondsPerSample: 0.05, batch: 8 })
 *     .map((p) => p.efficiency); // drops from 4 to 8 workers, where the ring leaves the node
 */
export function scalingCurve(options: ScalingStudyOptions): ScalingPoint[] {
  expectPositive("secondsPerSample", options.secondsPerSample);
  expectPositive("batch", options.batch);
  const slowdown = options.stragglerSlowdown ?? 1;
  expectPositive("stragglerSlowdown", slowdown);
  const evaluate = (N: number, straggler: number) => {
    expectInteger("workers", N, 1);
    const globalBatch = options.mode === "weak" ? N * options.batch : options.batch;
    const perWorker = globalBatch / N;
    const computeSeconds = Array.from({ length: N }, (_, i) =>
      (i === N - 1 ? straggler : 1) * perWorker * options.secondsPerSample,
    );
    const time = dataParallelStepTime({
      computeSeconds,
      gradientBytes: options.gradientBytes,
      link: ringBottleneckLink(options.cluster, N),
      algorithm: options.algorithm,
      buckets: options.buckets,
      overlap: options.overlap,
    });
    return { N, time, throughput: globalBatch / time.stepSeconds };
  };
  // X(1) is one healthy worker, so a straggler's cost shows in speedup and efficiency
  const base = evaluate(1, 1);
  return options.workerCounts.map((count) => {
    const { N, time, throughput } = evaluate(count, slowdown);
    const speedup = throughput / base.throughput;
    return {
      workers: N,
      stepSeconds: time.stepSeconds,
      computeSeconds: time.computeSeconds,
      exposedCommSeconds: time.exposedCommSeconds,
      throughput,
      speedup,
      efficiency: speedup / N,
    };
  });
}
