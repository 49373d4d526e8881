/**
 * Gradients that fp16 cannot hold, and what a loss scale does to them.
 *
 * Micikevicius et al. 2018 (§3.2, Figure 3) histogram the activation gradients of an SSD
 * detector: many fall below 2^−24, fp16's smallest subnormal, and become zero, while the upper
 * part of fp16's range goes unused; scaling the loss by 8 was enough for that network. For a
 * set of gradients and a loss scale S, `underflowReport` counts
 * how many of S·g round to zero (underflow), to ±∞ (overflow) or to a subnormal
 * (kept, with fewer significant bits) in a format.
 */
import { formatLimits, roundToFormat, type FloatFormatName } from "./formats";
import { createRng } from "../foundation/random";

/** Where the scaled gradients land. */
export interface UnderflowReport {
  readonly scale: number;
  readonly format: FloatFormatName;
  /** Fraction of nonzero gradients that became 0. */
  readonly underflow: number;
  /** Fraction that became subnormal. */
  readonly subnormal: number;
  /** Fraction that overflowed (±∞ or NaN). */
  readonly overflow: number;
  /** Fraction stored as a normal number. */
  readonly normal: number;
}

/** Count what happens to S·g for every gradient g when stored in `format` (fp16 by default). */
export function underflowReport(gradients: readonly number[], scale: number, format: FloatFormatName = "fp16"): UnderflowReport {
  const nonzero = gradients.filter((g) => g !== 0);
  if (nonzero.length === 0) throw new Error("Expected at least one nonzero gradient.");
  const { minNormal } = formatLimits(format);
  let underflow = 0;
  let subnormal = 0;
  let overflow = 0;
  for (const g of nonzero) {
    const stored = roundToFormat(scale * g, format);
    if (!Number.isFinite(stored)) overflow++;
    else if (stored === 0) underflow++;
    else if (Math.abs(stored) < minNormal) subnormal++;
  }
  const n = nonzero.length;
  return { scale, format, underflow: underflow / n, subnormal: subnormal / n, overflow: overflow / n, normal: (n - underflow - subnormal - overflow) / n };
}

/**
 * Gradients whose magnitudes are log-normal around 2^`log2Center` with `log2Spread` binades of
 * standard deviation, random signs: a synthetic stand-in for a histogram like Figure 3's, centred
 * on fp16's smallest subnormal. @default log2Center −24, log2Spread 5
 */
export function logNormalGradients(count: number, log2Center = -24, log2Spread = 5, seed = 3): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => (rng.uniform() < 0.5 ? -1 : 1) * 2 ** (log2Center + log2Spread * rng.normal()));
}
