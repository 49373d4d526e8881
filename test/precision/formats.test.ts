import { describe, expect, it } from "vitest";
import { encodeFloat, FLOAT_FORMATS, formatLimits, roundToFormat, toBfloat16, toFloat16, type FloatFormat } from "../../src/precision";
import { createRng } from "../../src/foundation";

/**
 * An independent oracle: decode every bit pattern of a small format with the textbook formula,
 * then round by searching the sorted finite values for the nearest one (ties to the even
 * fraction). Nothing is shared with the code under test.
 */
function allFiniteValues(f: FloatFormat): { value: number; fraction: number }[] {
  const values: { value: number; fraction: number }[] = [];
  const top = 2 ** f.exponentBits - 1;
  for (let E = 0; E <= top; E++) {
    for (let F = 0; F < 2 ** f.mantissaBits; F++) {
      if (f.hasInfinity && E === top) continue; // ∞ and NaN
      if (!f.hasInfinity && E === top && F === 2 ** f.mantissaBits - 1) continue; // E4M3's NaN
      const value = E === 0 ? 2 ** (1 - f.bias) * (F / 2 ** f.mantissaBits) : 2 ** (E - f.bias) * (1 + F / 2 ** f.mantissaBits);
      values.push({ value, fraction: F });
    }
  }
  return values.sort((a, b) => a.value - b.value);
}

function oracleRound(x: number, grid: { value: number; fraction: number }[], f: FloatFormat): number {
  const a = Math.abs(x);
  const sign = x < 0 ? -1 : 1;
  const max = grid[grid.length - 1]!.value;
  let lo = 0; // binary search: the last grid value <= a
  let hi = grid.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (grid[mid]!.value <= a) lo = mid;
    else hi = mid - 1;
  }
  if (a >= max) {
    // beyond max: overflow when the next step up (max + ulp) is nearer, or a tie (its fraction is even)
    const ulp = max - grid[grid.length - 2]!.value;
    if (a > max + ulp / 2 || (a === max + ulp / 2 && grid[grid.length - 1]!.fraction % 2 === 1)) return f.hasInfinity ? sign * Infinity : NaN;
    return sign * max;
  }
  const below = grid[lo]!;
  const above = grid[lo + 1]!;
  const dBelow = a - below.value;
  const dAbove = above.value - a;
  const pick = dBelow < dAbove ? below : dAbove < dBelow ? above : below.fraction % 2 === 0 ? below : above;
  return sign * pick.value;
}

describe("floating-point formats from their bit layout", () => {
  it("fp16 limits are IEEE binary16's: 65504, 2^-14, 2^-24, epsilon 2^-10", () => {
    expect(formatLimits("fp16")).toEqual({ name: "fp16", max: 65504, minNormal: 6.103515625e-5, minSubnormal: 5.960464477539063e-8, epsilon: 2 ** -10 });
  });

  it("bf16 keeps fp32's exponent range with 7 fraction bits; fp32's limits match Float32Array's", () => {
    const bf16 = formatLimits("bf16");
    expect(bf16.max).toBe((2 - 2 ** -7) * 2 ** 127); // 3.3895313892515355e38
    expect(bf16.max.toPrecision(3)).toBe("3.39e+38");
    expect(bf16.epsilon).toBe(2 ** -7);
    const fp32 = formatLimits("fp32");
    expect(fp32.max).toBe(new Float32Array(new Uint32Array([0x7f7fffff]).buffer)[0]);
    expect(fp32.minSubnormal).toBe(new Float32Array(new Uint32Array([1]).buffer)[0]);
    expect(fp32.minNormal).toBe(new Float32Array(new Uint32Array([0x00800000]).buffer)[0]);
  });

  it("fp8 limits match Micikevicius et al. 2022, Table 1: E4M3 max 448, min subnormal 2^-9; E5M2 max 57344, min subnormal 2^-16", () => {
    expect(formatLimits("fp8-e4m3")).toMatchObject({ max: 448, minNormal: 2 ** -6, minSubnormal: 2 ** -9 });
    expect(formatLimits("fp8-e5m2")).toMatchObject({ max: 57344, minNormal: 2 ** -14, minSubnormal: 2 ** -16 });
  });

  it("0.1 is 0.0999755859375 in fp16 (bits 0 01011 1001100110)", () => {
    expect(toFloat16(0.1)).toBe(0.0999755859375);
    expect(encodeFloat(0.1, "fp16").bits).toBe("0 01011 1001100110");
  });

  it("fp16 ties go to the even neighbour, subnormals round, and overflow goes to infinity", () => {
    expect(toFloat16(1 + 2 ** -11)).toBe(1); // halfway between 1 and 1 + 2^-10: the even fraction (0)
    expect(toFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9); // halfway: fraction 2 is even
    expect(toFloat16(2 ** -25)).toBe(0); // half the smallest subnormal, tie to even 0
    expect(toFloat16(3 * 2 ** -26)).toBe(2 ** -24); // above the half: the smallest subnormal
    expect(toFloat16(-1e-9)).toBe(-0);
    expect(toFloat16(65519)).toBe(65504);
    expect(toFloat16(65520)).toBe(Infinity); // the tie goes to 2^16, beyond max
    expect(toFloat16(-1e6)).toBe(-Infinity);
    expect(toFloat16(NaN)).toBeNaN();
  });

  it("1 + 1e-4 is 1 in fp16: an update of 1e-4 to a weight of 1 is lost", () => {
    expect(toFloat16(1 + 1e-4)).toBe(1);
    expect(Math.fround(1 + 1e-4)).not.toBe(1);
  });

  it("E4M3 overflows to NaN (it has no infinity) and saturates on request; E5M2 overflows to infinity", () => {
    expect(roundToFormat(464, "fp8-e4m3")).toBe(448); // tie between 448 (fraction 110) and 480 (NaN pattern): even
    expect(roundToFormat(465, "fp8-e4m3")).toBeNaN();
    expect(roundToFormat(1e4, "fp8-e4m3", { saturate: true })).toBe(448);
    expect(roundToFormat(61440, "fp8-e5m2")).toBe(Infinity);
    expect(roundToFormat(61439, "fp8-e5m2")).toBe(57344);
  });

  it.each(["fp16", "fp8-e4m3", "fp8-e5m2"] as const)("%s rounding matches a brute-force search over every bit pattern", (name) => {
    const f = FLOAT_FORMATS[name];
    const grid = allFiniteValues(f);
    const rng = createRng(11);
    const max = grid[grid.length - 1]!.value;
    const samples: number[] = [];
    for (const { value } of grid) samples.push(value, -value); // exact values
    for (let i = 0; i + 1 < grid.length; i++) samples.push((grid[i]!.value + grid[i + 1]!.value) / 2); // every tie
    for (let i = 0; i < 3000; i++) samples.push((rng.uniform() < 0.5 ? -1 : 1) * 2 ** (Math.log2(grid[1]!.value) - 2 + rng.uniform() * (Math.log2(max) + 4 - Math.log2(grid[1]!.value))));
    for (const x of samples) {
      const got = roundToFormat(x, f);
      const want = oracleRound(x, grid, f);
      if (!Object.is(got, want) && !(got === 0 && want === 0)) expect(got, `${name}(${x})`).toBe(want);
    }
  });

  it("bf16 rounding of float32 values equals rounding the fp32 bits to their top 16 (ties to even)", () => {
    const rng = createRng(5);
    const bits = new Uint32Array(1);
    const asFloat = new Float32Array(bits.buffer);
    for (let i = 0; i < 5000; i++) {
      bits[0] = Math.floor(rng.uniform() * 0x7f7f0000); // positive finite fp32, below bf16's overflow
      const x = asFloat[0]!;
      const lower = bits[0]! & 0xffff;
      const upper = bits[0]! >>> 16;
      const roundUp = lower > 0x8000 || (lower === 0x8000 && (upper & 1) === 1);
      bits[0] = ((roundUp ? upper + 1 : upper) << 16) >>> 0;
      expect(toBfloat16(x), `bf16(${x})`).toBe(asFloat[0]);
    }
  });

  it("fp32 rounding is Math.fround", () => {
    expect(roundToFormat(0.1, "fp32")).toBe(Math.fround(0.1));
  });

  it("an unknown format name lists the known ones", () => {
    expect(() => roundToFormat(1, "fp12" as never)).toThrow(/Unknown format "fp12". Expected one of: fp32, fp16, bf16, fp8-e4m3, fp8-e5m2/);
  });
});
