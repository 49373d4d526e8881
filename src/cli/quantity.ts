/**
 * Reading sizes and counts written the way people write them: `1GB`, `512MiB`,
 * `7.5e9`, `175B` (parameters).
 *
 * Bytes: decimal prefixes are powers of 10 (kB, MB, GB, TB: 1 GB = 10^9 bytes, as disk
 * and GPU vendors' spec sheets use them) and binary prefixes powers of 2
 * (KiB, MiB, GiB, TiB: 1 GiB = 2^30 bytes, IEC 80000-13). Counts: K, M, B (billion),
 * T (trillion), powers of 10.
 */

const BYTE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  pib: 2 ** 50,
};

const COUNT_UNITS: Readonly<Record<string, number>> = { k: 1e3, m: 1e6, b: 1e9, t: 1e12 };

/**
 * Parse a size in bytes or a count.
 * @example parseQuantity("512MiB", "size") === 536870912
 * @example parseQuantity("175B", "count") === 175e9
 */
export function parseQuantity(text: string, kind: "size" | "count"): number {
  const match = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-z]*)\s*$/i.exec(text);
  const units = kind === "size" ? BYTE_UNITS : COUNT_UNITS;
  const examples = kind === "size" ? "1GB, 512MiB, 7.5e9" : "175B, 1.5M, 7e9";
  if (!match) throw new Error(`expected a ${kind} like ${examples}; got "${text}".`);
  const unit = match[2]!.toLowerCase();
  const scale = unit === "" ? 1 : units[unit];
  if (scale === undefined) {
    throw new Error(`unknown unit "${match[2]}" in "${text}"; use one of ${Object.keys(units).join(", ")} (e.g. ${examples}).`);
  }
  const value = Number(match[1]) * scale;
  return kind === "size" || Number.isInteger(value) ? value : Math.round(value);
}
