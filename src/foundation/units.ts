/**
 * Bytes and counts: reading "1GB", "512MiB", "175B" and printing byte counts
 * with the unit system always explicit.
 *
 * Two systems of byte units are in use, and confusing them is a classic bug
 * (IEC 80000-13; NIST SP 811 §4.3):
 *
 *   SI (decimal):  1 kB = 10^3 B,  1 MB = 10^6 B,  1 GB = 10^9 B,  1 TB = 10^12 B
 *   IEC (binary):  1 KiB = 2^10 B, 1 MiB = 2^20 B, 1 GiB = 2^30 B, 1 TiB = 2^40 B
 *
 * 80 GiB = 85,899,345,920 B = 85.9 GB: a 7% gap, enough to flip a "fits" verdict.
 * Internally every size in this unit is an exact number of bytes; formatting goes
 * through mathjs units so the conversion is done by a library, not by hand.
 */
import type * as MathJs from "mathjs";

let mathjs: typeof MathJs | undefined;

/**
 * mathjs, loaded at first use from its single-file bundle (a path the package exports).
 * The package's CommonJS entry reads about a thousand files: 3.8 s on a 2-core machine
 * against 0.2 s for the bundle, and the planner, which needs no unit formatting, pays nothing.
 */
function math(): typeof MathJs {
  mathjs ??= require("mathjs/lib/browser/math.js") as typeof MathJs;
  return mathjs;
}

/** Bytes of one float32 (IEEE 754 binary32): the precision of the tensors and simulated buffers. */
export const FLOAT32_BYTES = 4;

/** Bytes in one GB (SI, 10^9) and one GiB (IEC, 2^30). */
export const BYTES_PER_GB = 1e9;
export const BYTES_PER_GIB = 2 ** 30;

/** Which prefix system `formatBytes` prints in. */
export type ByteUnitSystem = "si" | "iec";

/** A fixed unit, or the largest unit of a system that keeps the number >= 1. */
export type ByteUnit = "B" | "kB" | "MB" | "GB" | "TB" | "PB" | "KiB" | "MiB" | "GiB" | "TiB" | "PiB";

const SI_UNITS: readonly ByteUnit[] = ["B", "kB", "MB", "GB", "TB", "PB"];
const IEC_UNITS: readonly ByteUnit[] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** Unit spellings accepted by `parseSize` (case as written; "KB" is read as kB). */
const SIZE_PATTERN = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([kKMGTP]B|[KMGTP]iB|B)?\s*$/;

/**
 * Read a byte size: a plain number of bytes ("7.5e9"), or a number with an SI
 * ("1GB" = 10^9 B) or IEC ("512MiB" = 2^29 B) unit. "KB" is accepted as kB.
 *
 * @returns the size in bytes, an integer
 * @example parseSize("512MiB") // 536870912
 */
export function parseSize(text: string): number {
  const match = SIZE_PATTERN.exec(text);
  if (match === null) {
    const guess = sizeSuggestion(text);
    throw new Error(
      `Expected a size such as "1GB", "512MiB" or "7.5e9" (bytes), got "${text}". ` +
        "Units: kB MB GB TB (powers of 10) or KiB MiB GiB TiB (powers of 2)." +
        (guess === undefined ? "" : ` Did you mean ${guess}?`),
    );
  }
  const value = Number(match[1]);
  const symbol = (match[2] ?? "B").replace(/^K(?=B)/, "k");
  const bytes = math().unit(value, symbol).toNumber("B");
  return toWholeBytes(bytes, text);
}

/** Canonical spelling of each byte unit, by its lower-case form ("gib" -> "GiB"). */
const UNIT_BY_LOWER_CASE: ReadonlyMap<string, string> = new Map(
  ["B", "kB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "PiB"].map((u) => [u.toLowerCase(), u]),
);

/**
 * The size `text` most likely meant, written the way `parseSize` reads it, or undefined:
 * "1 gb" -> "1GB", "512mib" -> "512MiB", "1Gb" -> "1GB" (sizes are bytes, B, not bits, b).
 * For messages only: a guess is never used as a value.
 */
export function sizeSuggestion(text: string): string | undefined {
  const match = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z]+)\s*$/.exec(text);
  if (match === null) return undefined;
  const unit = UNIT_BY_LOWER_CASE.get(match[2]!.toLowerCase());
  return unit === undefined ? undefined : `${match[1]}${unit}`;
}

function toWholeBytes(bytes: number, text: string): number {
  if (!Number.isFinite(bytes) || bytes < 0) {
    throw new Error(`Expected a non-negative, finite size, got "${text}".`);
  }
  const rounded = Math.round(bytes);
  // Decimal inputs such as "1.1GB" carry float noise (1100000000.0000002): accept it.
  if (Math.abs(bytes - rounded) > 1e-6 * Math.max(1, bytes)) {
    throw new Error(`Expected a whole number of bytes, got "${text}" = ${bytes} B. Use a larger unit or fewer decimals.`);
  }
  return rounded;
}

/** Multipliers for counts: thousand, million, billion, trillion (short scale). */
const COUNT_SUFFIX: Readonly<Record<string, number>> = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 };

const COUNT_PATTERN = /^\s*((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([kKmMbBtT])?\s*$/;

/**
 * Read a count such as a number of parameters: "175B" = 175·10^9, "1.5M", "7e9", "340000".
 * Suffixes K, M, B, T are thousand, million, billion, trillion (case-insensitive).
 *
 * @returns the count, rounded to an integer
 * @example parseCount("175B") // 175000000000
 */
export function parseCount(text: string): number {
  const match = COUNT_PATTERN.exec(text);
  if (match === null) {
    throw new Error(`Expected a count such as "175B", "1.5M" or "7e9", got "${text}". Suffixes: K, M, B, T.`);
  }
  const multiplier = match[2] === undefined ? 1 : COUNT_SUFFIX[match[2].toUpperCase()]!;
  const count = Number(match[1]) * multiplier;
  if (!Number.isFinite(count)) throw new Error(`Expected a finite count, got "${text}".`);
  return Math.round(count);
}

/**
 * Print a count with the largest suffix that keeps it >= 1, the way `parseCount` reads it:
 * 540 -> "540", 302309376 -> "302.3M", 174615822336 -> "174.6B".
 */
export function formatCount(count: number, precision = 4): string {
  const suffixes: readonly [string, number][] = [["T", 1e12], ["B", 1e9], ["M", 1e6], ["K", 1e3]];
  const [suffix, size] = suffixes.find(([, size]) => Math.abs(count) >= size) ?? ["", 1];
  return `${formatSignificant(count / size, precision)}${suffix}`;
}

export interface FormatBytesOptions {
  /**
   * Unit to print in: a fixed unit ("GB", "GiB", ...) or a system ("si", "iec"),
   * in which case the largest unit keeping the number >= 1 is chosen.
   * @default "si"
   */
  readonly unit?: ByteUnit | ByteUnitSystem;
  /** Significant digits of the number. @default 4 */
  readonly precision?: number;
}

/**
 * Print a byte count with an explicit unit: "85.9 GB", "80 GiB", "512 MiB".
 *
 * @example formatBytes(85899345920, { unit: "iec" }) // "80 GiB"
 * @example formatBytes(85899345920)                  // "85.9 GB"
 */
export function formatBytes(bytes: number, options: FormatBytesOptions = {}): string {
  if (!Number.isFinite(bytes)) throw new Error(`Expected a finite number of bytes, got ${bytes}.`);
  const precision = options.precision ?? 4;
  const choice = options.unit ?? "si";
  const target = choice === "si" || choice === "iec" ? largestUnit(bytes, choice) : choice;
  const value = math().unit(bytes, "B").toNumber(target);
  return `${formatSignificant(value, precision)} ${target}`;
}

/** Both systems side by side, for tables a reader may compare with either: "85.9 GB (80 GiB)". */
export function formatBytesBoth(bytes: number, precision = 4): string {
  return `${formatBytes(bytes, { unit: "si", precision })} (${formatBytes(bytes, { unit: "iec", precision })})`;
}

function largestUnit(bytes: number, system: ByteUnitSystem): ByteUnit {
  const units = system === "si" ? SI_UNITS : IEC_UNITS;
  const base = system === "si" ? 1000 : 1024;
  let index = 0;
  let size = Math.abs(bytes);
  while (size >= base && index < units.length - 1) {
    size /= base;
    index += 1;
  }
  return units[index]!;
}

/** `precision` significant digits, without trailing zeros or exponent notation. */
function formatSignificant(value: number, precision: number): string {
  if (value === 0) return "0";
  const rounded = Number(value.toPrecision(precision));
  return rounded.toLocaleString("en-US", { maximumFractionDigits: 20, useGrouping: false });
}
