/**
 * The α-β-γ cost model of collective communication.
 *
 * Thakur, Rabenseifner & Gropp 2005, "Optimization of Collective Communication
 * Operations in MPICH", Int. J. High Perform. Comput. Appl. 19(1), §3 ("Cost
 * model"): sending a message of S bytes between two workers takes α + S·β
 * seconds (α latency, β seconds per byte), and reducing S bytes takes S·γ.
 * With n workers and S bytes per worker (the per-algorithm costs of §4, and
 * Patarasuk & Yuan 2009, §4, for the ring):
 *
 *   naive (gather to a root, reduce, broadcast one worker at a time):
 *     T = 2(n−1)·α + 2(n−1)·S·β + (n−1)·S·γ
 *   binomial tree (reduce to a root, then broadcast), L = ⌈lg n⌉:
 *     T = 2L·α + 2L·S·β + L·S·γ
 *   ring (reduce-scatter then all-gather):
 *     T = 2(n−1)·α + 2·(n−1)/n·S·β + (n−1)/n·S·γ
 *   ring reduce-scatter: T = (n−1)·α + (n−1)/n·S·β + (n−1)/n·S·γ
 *   ring all-gather (S = the gathered size): T = (n−1)·α + (n−1)/n·S·β
 *
 * Reported bandwidths follow nccl-tests' PERFORMANCE.md:
 *   algBandwidth = S / T
 *   busBandwidth = algBandwidth · 2(n−1)/n for all-reduce,
 *                  algBandwidth · (n−1)/n for reduce-scatter and all-gather,
 *                  algBandwidth for broadcast and reduce,
 * so that busBandwidth of a bandwidth-optimal algorithm approaches the link speed
 * whatever n is.
 */
import type { AllReduceAlgorithm } from "./all-reduce";
import type { LinkSpec } from "./links";
import { treeDepth } from "./tree";
import { assertNever } from "../foundation/assert-never";
import { expectInteger, expectPositive, expectNonNegative } from "../foundation/validate";

/** The collectives whose bus bandwidth nccl-tests defines. */
export type CollectiveKind = "all-reduce" | "reduce-scatter" | "all-gather" | "broadcast" | "reduce";

/** A priced collective: time split into its three terms, bytes and bandwidths. */
export interface CollectiveCost {
  /** total seconds = latencySeconds + transferSeconds + reduceSeconds */
  readonly seconds: number;
  /** the α term, seconds */
  readonly latencySeconds: number;
  /** the β term, seconds */
  readonly transferSeconds: number;
  /** the γ term, seconds */
  readonly reduceSeconds: number;
  /** bytes sent by the busiest worker */
  readonly bytesSentPerWorker: number;
  /** bytes / second: S / seconds */
  readonly algBandwidth: number;
  /** bytes / second: algBandwidth × the nccl-tests factor */
  readonly busBandwidth: number;
}

/** Validate a link and return its α, β, γ. */
function coefficients(link: LinkSpec): { alpha: number; beta: number; gamma: number } {
  expectNonNegative("latency (seconds)", link.latency);
  expectPositive("bandwidth (bytes per second)", link.bandwidth);
  const reduceBandwidth = link.reduceBandwidth ?? Infinity;
  if (!(reduceBandwidth > 0)) {
    throw new Error(`Expected reduceBandwidth to be > 0 bytes per second (or omitted), got ${reduceBandwidth}.`);
  }
  return { alpha: link.latency, beta: 1 / link.bandwidth, gamma: 1 / reduceBandwidth };
}

/** nccl-tests' bus-bandwidth factor for `kind` on n workers. */
export function busBandwidthFactor(kind: CollectiveKind, n: number): number {
  expectInteger("workers", n, 1);
  switch (kind) {
    case "all-reduce":
      return (2 * (n - 1)) / n;
    case "reduce-scatter":
    case "all-gather":
      return (n - 1) / n;
    case "broadcast":
    case "reduce":
      return 1;
    default:
      return assertNever(kind);
  }
}

/** algBandwidth = S / T, in bytes per second (Infinity when T = 0, e.g. one worker). */
export function algBandwidth(bytes: number, seconds: number): number {
  return seconds === 0 ? Infinity : bytes / seconds;
}

/** busBandwidth = algBandwidth × busBandwidthFactor (nccl-tests, PERFORMANCE.md). */
export function busBandwidth(kind: CollectiveKind, bytes: number, seconds: number, n: number): number {
  return algBandwidth(bytes, seconds) * busBandwidthFactor(kind, n);
}

function priced(
  kind: CollectiveKind,
  n: number,
  S: number,
  latencySeconds: number,
  transferSeconds: number,
  reduceSeconds: number,
  bytesSentPerWorker: number,
): CollectiveCost {
  const seconds = latencySeconds + transferSeconds + reduceSeconds;
  return {
    seconds,
    latencySeconds,
    transferSeconds,
    reduceSeconds,
    bytesSentPerWorker,
    algBandwidth: algBandwidth(S, seconds),
    busBandwidth: busBandwidth(kind, S, seconds, n),
  };
}

/**
 * Time of an all-reduce of S bytes on n workers.
 * @param algorithm "naive" | "tree" | "ring"
 * @param n workers (integer >= 1)
 * @param S bytes per worker
 * @param link α, bandwidth and reduction speed
 * @example allReduceCost("ring", 8, 1e9, LINK_PRESETS["a100-nvlink3"]).busBandwidth // about 230e9 bytes/s
 */
export function allReduceCost(algorithm: AllReduceAlgorithm, n: number, S: number, link: LinkSpec): CollectiveCost {
  expectInteger("workers", n, 1);
  expectNonNegative("bytes", S);
  const { alpha, beta, gamma } = coefficients(link);
  switch (algorithm) {
    case "naive":
      return priced("all-reduce", n, S, 2 * (n - 1) * alpha, 2 * (n - 1) * S * beta, (n - 1) * S * gamma, (n - 1) * S);
    case "tree": {
      const L = treeDepth(n);
      return priced("all-reduce", n, S, 2 * L * alpha, 2 * L * S * beta, L * S * gamma, L * S);
    }
    case "ring":
      return priced(
        "all-reduce",
        n,
        S,
        2 * (n - 1) * alpha,
        ((2 * (n - 1)) / n) * S * beta,
        ((n - 1) / n) * S * gamma,
        ((2 * (n - 1)) / n) * S,
      );
    default:
      return assertNever(algorithm);
  }
}

/** Ring reduce-scatter of S bytes per worker: (n−1)α + (n−1)/n·S·β + (n−1)/n·S·γ. */
export function reduceScatterCost(n: number, S: number, link: LinkSpec): CollectiveCost {
  expectInteger("workers", n, 1);
  expectNonNegative("bytes", S);
  const { alpha, beta, gamma } = coefficients(link);
  const share = ((n - 1) / n) * S;
  return priced("reduce-scatter", n, S, (n - 1) * alpha, share * beta, share * gamma, share);
}

/** Ring all-gather producing S bytes on every worker: (n−1)α + (n−1)/n·S·β. */
export function allGatherCost(n: number, S: number, link: LinkSpec): CollectiveCost {
  expectInteger("workers", n, 1);
  expectNonNegative("bytes", S);
  const { alpha, beta } = coefficients(link);
  const share = ((n - 1) / n) * S;
  return priced("all-gather", n, S, (n - 1) * alpha, share * beta, 0, share);
}
