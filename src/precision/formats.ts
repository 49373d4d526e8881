/**
 * Floating-point formats of mixed-precision training, written from their bit layout.
 *
 * A binary floating-point number with `e` exponent bits, `m` mantissa (fraction) bits and
 * bias 2^(e−1) − 1 is, for a stored exponent E and fraction F:
 *
 *   normal     (1 ≤ E ≤ Emax):   (−1)^S · 2^(E − bias) · (1 + F / 2^m)
 *   subnormal  (E = 0):          (−1)^S · 2^(1 − bias) · (F / 2^m)
 *
 * Rounding is IEEE 754's default, round to nearest, ties to even (IEEE 754-2019 §4.3.1):
 * a value is scaled to the spacing (ulp) of its binade, rounded to an integer with ties
 * going to the even one, and scaled back. Results above the largest finite value overflow:
 * to ±∞ in formats that have infinities, to NaN in fp8 E4M3 (which has none).
 *
 * Formats (name: sign/exponent/mantissa bits, bias):
 *   fp32      1/8/23, bias 127   IEEE binary32; rounded with Math.fround (also round-to-nearest-even)
 *   fp16      1/5/10, bias 15    IEEE binary16: max 65504, min normal 2^−14, min subnormal 2^−24, ε = 2^−10
 *   bf16      1/8/7,  bias 127   bfloat16: fp32's range (max ≈ 3.39e38) with ε = 2^−7
 *   fp8-e4m3  1/4/3,  bias 7     OCP FP8 (Micikevicius et al. 2022, "FP8 Formats for Deep Learning", §3, Table 1):
 *                                no infinities, only S.1111.111 is NaN, so exponent 1111 holds normal
 *                                numbers: max = 1.75 · 2^8 = 448, min normal 2^−6, min subnormal 2^−9
 *   fp8-e5m2  1/5/2,  bias 15    IEEE-like (infinities and NaNs): max = 1.75 · 2^15 = 57344, min subnormal 2^−16
 *
 * Inputs are JavaScript numbers (float64), so every rounding here is exact: a float64
 * divided by a power of two stays exact at these ranges.
 */

/** The formats this module knows. */
export type FloatFormatName = "fp32" | "fp16" | "bf16" | "fp8-e4m3" | "fp8-e5m2";

/** A binary floating-point format, as bits. */
export interface FloatFormat {
  readonly name: FloatFormatName;
  /** Exponent bits. */
  readonly exponentBits: number;
  /** Mantissa (fraction) bits, without the implicit leading 1. */
  readonly mantissaBits: number;
  /** 2^(exponentBits − 1) − 1. */
  readonly bias: number;
  /** Whether the all-ones exponent encodes ±∞ and NaN (IEEE); false for fp8 E4M3. */
  readonly hasInfinity: boolean;
}

/** The formats, by name. */
export const FLOAT_FORMATS: Readonly<Record<FloatFormatName, FloatFormat>> = {
  fp32: { name: "fp32", exponentBits: 8, mantissaBits: 23, bias: 127, hasInfinity: true },
  fp16: { name: "fp16", exponentBits: 5, mantissaBits: 10, bias: 15, hasInfinity: true },
  bf16: { name: "bf16", exponentBits: 8, mantissaBits: 7, bias: 127, hasInfinity: true },
  "fp8-e4m3": { name: "fp8-e4m3", exponentBits: 4, mantissaBits: 3, bias: 7, hasInfinity: false },
  "fp8-e5m2": { name: "fp8-e5m2", exponentBits: 5, mantissaBits: 2, bias: 15, hasInfinity: true },
};

/** Names in order of decreasing width. */
export const FLOAT_FORMAT_NAMES: readonly FloatFormatName[] = ["fp32", "fp16", "bf16", "fp8-e4m3", "fp8-e5m2"];

/** The numbers that characterise a format's range and precision. */
export interface FormatLimits {
  readonly name: FloatFormatName;
  /** Largest finite value. */
  readonly max: number;
  /** Smallest positive normal value, 2^(1 − bias). */
  readonly minNormal: number;
  /** Smallest positive subnormal value, 2^(1 − bias − m). */
  readonly minSubnormal: number;
  /** Machine epsilon: the gap between 1 and the next larger number, 2^−m. */
  readonly epsilon: number;
}

/** 2^k for k = −1022 … 1023, each built from its bits (exact), computed once. */
const POWERS_OF_TWO: readonly number[] = (() => {
  const view = new DataView(new ArrayBuffer(8));
  return Array.from({ length: 2046 }, (_, i) => {
    view.setUint32(0, (i + 1) << 20); // sign 0, biased exponent k + 1023 = i + 1, fraction 0
    view.setUint32(4, 0);
    return view.getFloat64(0);
  });
})();

/** 2^k for an integer k in float64's normal range (exact). */
export function pow2(k: number): number {
  const value = POWERS_OF_TWO[k + 1022];
  if (!Number.isInteger(k) || value === undefined) throw new Error(`Expected an integer exponent in [-1022, 1023], got ${k}.`);
  return value;
}

/** Look a format up by name, with a message listing the names when it is unknown. */
export function floatFormat(name: string): FloatFormat {
  const format = (FLOAT_FORMATS as Record<string, FloatFormat | undefined>)[name];
  if (format === undefined) throw new Error(`Unknown format "${name}". Expected one of: ${FLOAT_FORMAT_NAMES.join(", ")}.`);
  return format;
}

/** The largest stored exponent holding finite numbers, minus the bias: emax. */
function maxExponent(f: FloatFormat): number {
  const allOnes = 2 ** f.exponentBits - 1;
  return (f.hasInfinity ? allOnes - 1 : allOnes) - f.bias;
}

const limitsCache = new Map<FloatFormat, FormatLimits>();

/** Range and precision of a format. */
export function formatLimits(format: FloatFormat | FloatFormatName): FormatLimits {
  const f = typeof format === "string" ? floatFormat(format) : format;
  const cached = limitsCache.get(f);
  if (cached !== undefined) return cached;
  const m = f.mantissaBits;
  const emax = maxExponent(f);
  // E4M3 gives its top mantissa pattern (111) at emax to NaN: the largest fraction is 2^m − 2.
  const topFraction = f.hasInfinity ? 2 ** m - 1 : 2 ** m - 2;
  const limits: FormatLimits = {
    name: f.name,
    max: pow2(emax) * (1 + topFraction / 2 ** m),
    minNormal: pow2(1 - f.bias),
    minSubnormal: pow2(1 - f.bias - m),
    epsilon: pow2(-m),
  };
  limitsCache.set(f, limits);
  return limits;
}

/** floor(log2(a)) for a positive finite float64, exactly. */
function binade(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (e > 1023) e = 1023;
  if (e < -1022) e = -1022;
  while (e > -1022 && pow2(e) > a) e--;
  while (e < 1023 && pow2(e + 1) <= a) e++;
  return e;
}

/** Round n (an integer plus a fraction, |n| < 2^53) to an integer, ties to even. */
export function roundHalfToEven(n: number): number {
  const floor = Math.floor(n);
  const fraction = n - floor; // exact below 2^53
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Options of `roundToFormat`. */
export interface RoundOptions {
  /** Clamp overflow to ±max instead of ±∞ (or NaN for E4M3), as fp8 "saturating" casts do. @default false */
  readonly saturate?: boolean;
}

/**
 * The value `x` becomes when stored in `format` (round to nearest, ties to even).
 *
 * @example roundToFormat(0.1, "fp16")      // 0.0999755859375
 * @example roundToFormat(65520, "fp16")    // Infinity (the tie goes to the even 2^16, beyond max)
 * @example roundToFormat(1e-8, "fp16")     // 0 (below half the smallest subnormal, 2^−25)
 */
export function roundToFormat(x: number, format: FloatFormat | FloatFormatName, options: RoundOptions = {}): number {
  // BEGIN SOLUTION precision.toFp16
  const f = typeof format === "string" ? floatFormat(format) : format;
  if (f.name === "fp32") return Math.fround(x);
  if (Number.isNaN(x)) return NaN;
  const limits = formatLimits(f);
  const overflow = (sign: number): number => (options.saturate ? sign * limits.max : f.hasInfinity ? sign * Infinity : NaN);
  if (!Number.isFinite(x)) return overflow(Math.sign(x));
  if (x === 0) return x; // keeps −0
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  // spacing of the grid around a: subnormals share the smallest normal binade's spacing
  const e = Math.max(binade(a), 1 - f.bias);
  const ulp = pow2(e - f.mantissaBits);
  const rounded = roundHalfToEven(a / ulp) * ulp;
  if (rounded > limits.max) return overflow(sign);
  return sign * rounded; // −0 when a negative number rounds to zero
  // STUDENT EDITION
  // const yourToFp16 = yours.answer<(x: number) => number>("toFp16");
  // const f = typeof format === "string" ? floatFormat(format) : format;
  // if (f.name === "fp32") return Math.fround(x);
  // if (f.name !== "fp16") {
  //   throw new Error(
  //     `Not implemented in the student edition: this is exercise precision.toFp16 of lab 06. Your toFp16 rounds to fp16 only; ` +
  //       `rounding to ${f.name} takes the library's rounding for every format, which is that exercise's solution, so here roundToFormat takes "fp16" and "fp32".`,
  //   );
  // }
  // const rounded = yourToFp16(x);
  // // saturate: what overflows to ±Infinity in fp16 is clamped to ±65504
  // return options.saturate === true && Math.abs(rounded) === Infinity ? Math.sign(rounded) * formatLimits(f).max : rounded;
  // END SOLUTION
}

/** fp16 (IEEE binary16) rounding of x: `roundToFormat(x, "fp16")`. */
export function toFloat16(x: number): number {
  // BEGIN SOLUTION precision.toFp16
  return roundToFormat(x, FLOAT_FORMATS.fp16);
  // STUDENT EDITION
  // return yours.answer<typeof toFloat16>("toFp16")(x);
  // END SOLUTION
}

/** bfloat16 rounding of x. */
export function toBfloat16(x: number): number {
  return roundToFormat(x, FLOAT_FORMATS.bf16);
}

/** The stored fields of a value (after rounding) in a format. */
export interface FloatBits {
  readonly sign: 0 | 1;
  /** Stored (biased) exponent E. */
  readonly exponent: number;
  /** Stored fraction F (mantissa bits). */
  readonly fraction: number;
  /** "0 01111 0000000000": sign, exponent and fraction as bit strings. */
  readonly bits: string;
  readonly kind: "zero" | "subnormal" | "normal" | "infinity" | "nan";
}

/** Encode x (rounded to the format first) into its sign, exponent and fraction fields. */
export function encodeFloat(x: number, format: FloatFormat | FloatFormatName): FloatBits {
  const f = typeof format === "string" ? floatFormat(format) : format;
  const value = roundToFormat(x, f);
  const sign: 0 | 1 = value < 0 || Object.is(value, -0) ? 1 : 0;
  const allOnes = 2 ** f.exponentBits - 1;
  const m = f.mantissaBits;
  let exponent: number;
  let fraction: number;
  let kind: FloatBits["kind"];
  const a = Math.abs(value);
  if (Number.isNaN(value)) {
    [exponent, fraction, kind] = [allOnes, 2 ** m - 1, "nan"];
  } else if (a === Infinity) {
    [exponent, fraction, kind] = [allOnes, 0, "infinity"];
  } else if (a === 0) {
    [exponent, fraction, kind] = [0, 0, "zero"];
  } else if (a < pow2(1 - f.bias)) {
    [exponent, fraction, kind] = [0, a / pow2(1 - f.bias - m), "subnormal"];
  } else {
    const e = binade(a);
    [exponent, fraction, kind] = [e + f.bias, (a / pow2(e) - 1) * 2 ** m, "normal"];
  }
  const bits = `${sign} ${exponent.toString(2).padStart(f.exponentBits, "0")} ${fraction.toString(2).padStart(m, "0")}`;
  return { sign, exponent, fraction, bits, kind };
}
