/**
 * precision.toFp16 (notebooks/06-profiling-precision.ipynb): rounding to fp16 from the bit layout.
 *
 *   toFp16(x) -> the fp16 value nearest x
 *   IEEE binary16: round to nearest, ties to even, subnormals, overflow to ±∞
 *
 * The reference is the library's `toFloat16` = `roundToFormat(x, "fp16")` (src/precision/formats.ts).
 */
import { pow2, roundHalfToEven, toFloat16 as libraryToFloat16 } from "../../../precision/formats";
import { callAnswer, GradingError, type Implementation, type Question } from "../../question";
import { gradedTest, looksLike } from "../expectations";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const toFloat16 = recordedReference("toFloat16", libraryToFloat16);

type Fp16Variant = "correct" | "truncate" | "ties-away" | "flush-subnormals" | "saturate" | "no-overflow";

/** fp16 rounding with the typical mistakes written out (the "correct" variant is IEEE binary16). */
export function toFp16With(x: number, variant: Fp16Variant = "correct"): number {
  if (variant === "correct") return toFloat16(x);
  if (Number.isNaN(x) || x === 0) return x;
  if (!Number.isFinite(x)) return variant === "saturate" ? Math.sign(x) * 65504 : x;
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (variant === "flush-subnormals" && a < 2 ** -14) return sign * 0;
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  const ulp = pow2(Math.min(Math.max(e - 10, -1022), 1023));
  const n = a / ulp;
  const k = variant === "truncate" ? Math.floor(n) : variant === "ties-away" ? Math.round(n) : roundHalfToEven(n);
  const r = k * ulp;
  if (r > 65504) return variant === "saturate" ? sign * 65504 : variant === "no-overflow" ? sign * r : sign * Infinity;
  return sign * r;
}

const FP16_MISTAKES: readonly { variant: Fp16Variant; description: string }[] = [
  { variant: "truncate", description: "the value was truncated (rounded toward zero): round to the nearest fp16 number" },
  { variant: "ties-away", description: "a tie was rounded away from zero: IEEE 754 rounds ties to the neighbour with an even last fraction bit" },
  { variant: "flush-subnormals", description: "subnormals were flushed to zero: below 2^-14 fp16 still has numbers, multiples of 2^-24" },
  { variant: "saturate", description: "overflow was clamped to 65504: in fp16 a value that rounds above 65504 becomes ±Infinity" },
  { variant: "no-overflow", description: "the result exceeds fp16's largest finite value (65504): it must overflow to ±Infinity" },
];

export function sameFloat(a: number, b: number): boolean {
  return Object.is(a, b) || (a === 0 && b === 0) || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * Check `toFp16` on a list of inputs; shared by public and hidden tests. With a `label`
 * (hidden tests) the message names the value by its place in the list, not by its value.
 */
export async function checkToFp16Cases(impl: Implementation, xs: readonly number[], label?: string): Promise<void> {
  for (const [k, x] of xs.entries()) {
    const what = label === undefined ? `toFp16(${x})` : `toFp16 of value ${k + 1} of ${xs.length} (${label})`;
    const expected = toFloat16(x);
    const matched = FP16_MISTAKES.filter((m) => !sameFloat(toFp16With(x, m.variant), expected));
    const received = await callAnswer(impl, "precision.toFp16", "toFp16", x);
    if (typeof received !== "number") throw new GradingError(`${what} should return a number, got ${received === null ? "null" : typeof received}.`);
    if (sameFloat(received, expected)) continue;
    const named = matched.filter((m) => sameFloat(received, toFp16With(x, m.variant)));
    const why = named.length === 0 ? " Find x's binade, its spacing 2^(e − 10) (2^-24 below 2^-14), round x/spacing to the nearest integer (ties to even)." : looksLike(named);
    throw new GradingError(`${what} is not the nearest fp16 value.${why}`, String(expected), String(received));
  }
}

export const precisionToFp16Question: Question = {
  id: "precision.toFp16",
  notebook: "06-profiling-precision.ipynb",
  title: "Rounding to fp16 (IEEE binary16) from the bit layout",
  exports: ["toFp16"],
  references: ["toFloat16", "roundToFormat"],
  publicTests: [
    gradedTest("numbers fp16 holds exactly come back unchanged; 0.1 becomes 0.0999755859375", 1, "1, 0.5, 65504 are fp16 numbers; 0.1 is not: its spacing is 2^-14 (binade 2^-4).", (impl) =>
      checkToFp16Cases(impl, [1, 0.5, -2, 65504, 0.1, 3.14159]),
    ),
    gradedTest("ties go to the even neighbour: 1 + 2^-11 → 1, 1 + 3·2^-11 → 1 + 2^-9, 2049 → 2048, 2051 → 2052", 2, "At a tie, pick the neighbour whose last fraction bit is 0.", (impl) =>
      checkToFp16Cases(impl, [1 + 2 ** -11, 1 + 3 * 2 ** -11, 2049, 2051, -2049]),
    ),
    gradedTest("subnormals: 2^-24 is the smallest, 1e-7 rounds to 2^-23, 2^-25 ties to 0", 2, "Below 2^-14 the spacing stays 2^-24 (exponent field 0, no implicit 1).", (impl) =>
      checkToFp16Cases(impl, [2 ** -24, 1e-7, 2 ** -25, 3 * 2 ** -26, 6e-5, -1e-6]),
    ),
    gradedTest("overflow: 65519 → 65504, 65520 → Infinity, -1e5 → -Infinity", 1, "Round first; a result above 65504 is ±Infinity.", (impl) =>
      checkToFp16Cases(impl, [65519, 65520, -1e5, 1e6]),
    ),
  ],
};
