/**
 * One tick and units policy for every figure in the labs. Each axis says what it measures in its
 * title; its tick labels must read correctly on their own:
 *
 * 1. SI prefixes only where a unit follows them, and then written with the unit ("10 ms", "1 GB").
 *    plotly's default exponent format ("B") writes 10⁹ as "1B", which reads as one byte, and a
 *    ratio of 10⁻⁴ as "100μ": so every numeric axis chooses its format here.
 * 2. Ratios, fractions, counts and losses get plain numbers ("0.02", "1,000") or powers of ten ("10⁻⁶").
 * 3. Bytes: in GB (10⁹) or GiB (2³⁰), named in the title; an axis spanning many decades of bytes
 *    labels each tick with its own decimal unit ("1 kB" … "10 GB") and the title says "1 GB = 10⁹ B".
 * 4. Log axes label only the values chosen here (decades, or 1-2-5 within a short span, or the
 *    data's own values such as powers of two), each written in full. plotly's default labels the
 *    minor ticks "2 … 9", so 0.3 reads as "3".
 * 5. Axes in the same units in both directions (contour plots of a loss over two weights) are drawn
 *    to scale: a 3:1 ellipse looks 3:1.
 *
 * Builders call these helpers instead of writing axis dictionaries by hand; test/plot/axes-policy.test.ts
 * checks every figure of the notebooks against the policy.
 */
import { BYTES_PER_GB, BYTES_PER_GIB } from "../foundation/units";
import type { Axis } from "./figure";

/** What an axis measures, which decides how its ticks are written. */
export type TickFormat =
  /** A plain number: ratio, fraction, count, loss. Never an SI prefix. */
  | { readonly kind: "plain" }
  /** A quantity with an SI-prefixable unit ("s", "B", "FLOP/s"): ticks read "10 ms", "1 GB". */
  | { readonly kind: "si"; readonly unit: string }
  /** A quantity that moves in factors of two (a loss scale, a batch of 2ᵏ): ticks read "2¹⁶". */
  | { readonly kind: "power-of-two" };

export const PLAIN_TICKS: TickFormat = { kind: "plain" };

const SUPERSCRIPT: Readonly<Record<string, string>> = {
  "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
};

/** 10⁻⁶, 2×10⁹: a power of ten written with superscripts. */
export function formatTickPowerOfTen(value: number): string {
  const exponent = Math.floor(Math.log10(Math.abs(value)) + 1e-9);
  const mantissa = Number((value / 10 ** exponent).toPrecision(3));
  const power = `10${String(exponent).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;
  return mantissa === 1 ? power : `${mantissa}×${power}`;
}

/** 2¹⁶, 2⁻²⁴: a power of two written with superscripts (for a value that is one). */
export function formatTickPowerOfTwo(value: number): string {
  const exponent = Math.round(Math.log2(value));
  if (2 ** exponent !== value) return formatTickPlain(value);
  return `2${String(exponent).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;
}

/** A plain number for a tick: "0.02", "1,000", "10⁻⁶" (powers of ten outside 10⁻³ … 10⁵). */
export function formatTickPlain(value: number): string {
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) return formatTickPowerOfTen(value);
  return value.toLocaleString("en-US", { maximumSignificantDigits: 6 });
}

const SI_PREFIXES: readonly (readonly [number, string])[] = [
  [-12, "p"], [-9, "n"], [-6, "µ"], [-3, "m"], [0, ""], [3, "k"], [6, "M"], [9, "G"], [12, "T"], [15, "P"],
];

/** A quantity with its SI-prefixed unit: formatTickSi(0.01, "s") = "10 ms", formatTickSi(1e9, "B") = "1 GB". */
export function formatTickSi(value: number, unit: string): string {
  if (value === 0) return `0 ${unit}`;
  const exponent = Math.floor(Math.log10(Math.abs(value)) + 1e-9);
  // bytes have no fractional prefixes: 0.5 B stays "0.5 B"
  const usable = unit === "B" ? SI_PREFIXES.filter(([e]) => e >= 0) : SI_PREFIXES;
  let chosen = usable[0]!;
  for (const p of usable) if (p[0] <= exponent) chosen = p;
  const scaled = Number((value / 10 ** chosen[0]).toPrecision(6));
  return `${scaled.toLocaleString("en-US", { maximumSignificantDigits: 6 })} ${chosen[1]}${unit}`;
}

/** The tick label of `value` in format `format`. */
export function formatTick(value: number, format: TickFormat): string {
  if (format.kind === "power-of-two") return formatTickPowerOfTwo(value);
  return format.kind === "si" ? formatTickSi(value, format.unit) : formatTickPlain(value);
}

/**
 * Labels for a set of ticks. Plain ticks that need a power of ten anywhere (a span beyond
 * 10⁻³ … 10⁵) are all written as powers, so one axis does not mix "0.001" and "10⁻⁴".
 */
export function formatTicks(values: readonly number[], format: TickFormat): string[] {
  if (format.kind === "si") return values.map((v) => formatTickSi(v, format.unit));
  if (format.kind === "power-of-two") return values.map(formatTickPowerOfTwo);
  const needsPowers = values.some((v) => v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5));
  return values.map((v) => (needsPowers && v !== 0 ? formatTickPowerOfTen(v) : formatTickPlain(v)));
}

/** Finite positive numbers among `values` (what a log axis can show). */
function positive(values: readonly unknown[]): number[] {
  return values.filter((v): v is number => typeof v === "number" && Number.isFinite(v) && v > 0);
}

/**
 * Tick values for a log axis over the data `values`: every decade, or every second or third one over
 * many decades; 1-3 within four, 1-2-3-5 within two and a half, 1-2-3-4-5-7 within one. Only values inside the data's span (and
 * the decades bracketing it) are returned, so every label is a full value.
 */
export function logTickValues(values: readonly unknown[]): number[] {
  const data = positive(values);
  if (data.length === 0) return [];
  const lo = Math.min(...data);
  const hi = Math.max(...data);
  const d0 = Math.floor(Math.log10(lo) + 1e-9);
  const d1 = Math.ceil(Math.log10(hi) - 1e-9);
  const span = Math.log10(hi / lo); // decades the data covers
  const step = span <= 8 ? 1 : Math.ceil(span / 8);
  const mantissas = span <= 1 ? [1, 2, 3, 4, 5, 7] : span <= 2.5 ? [1, 2, 3, 5] : span <= 4 ? [1, 3] : [1];
  const ticks: number[] = [];
  for (let d = d0; d <= d1; d += step) {
    for (const m of mantissas) {
      const v = Number((m * 10 ** d).toPrecision(12));
      if (v >= lo / 1.0001 && v <= hi * 1.0001) ticks.push(v);
      else if (m === 1 && (d === d0 || d === d1)) ticks.push(v); // the bracketing decades, drawn if in range
    }
  }
  // a narrow span (less than a factor of 3 or so) with fewer than two of those values in it:
  // round, evenly spaced values instead (1.5, 2, 2.5)
  if (ticks.filter((v) => v >= lo && v <= hi).length < 2) return niceLinearTicks(lo, hi);
  return [...new Set(ticks)].sort((a, b) => a - b);
}

/**
 * Tick values for a log axis over data that moves in factors of two: every power of two in its
 * span, or every second, third, ... one so that at most `most` are labelled.
 */
export function powerOfTwoTickValues(values: readonly unknown[], most = 10): number[] {
  const data = positive(values);
  if (data.length === 0) return [];
  const k0 = Math.floor(Math.log2(Math.min(...data)) + 1e-9);
  const k1 = Math.ceil(Math.log2(Math.max(...data)) - 1e-9);
  const step = Math.max(1, Math.ceil((k1 - k0 + 1) / most));
  const ticks: number[] = [];
  for (let k = k0; k <= k1; k += step) ticks.push(2 ** k);
  return ticks;
}

/** About four round values (steps of 1, 2, 2.5 or 5 × 10^k) between lo and hi. */
function niceLinearTicks(lo: number, hi: number): number[] {
  if (!(hi > lo)) return [lo]; // a single value
  const rough = (hi - lo) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi * 1.0001; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * The axis title, as plotly wants it. A long title breaks before its parenthesis ("(nats, log
 * scale)") onto a second line: a y-axis title longer than the plot is high would be cut off.
 */
function title(text: string): { readonly text: string } {
  const open = text.lastIndexOf(" (");
  return { text: text.length > 44 && open >= 16 ? `${text.slice(0, open)}<br>${text.slice(open + 1)}` : text };
}

/** Options shared by the axis helpers: any plotly axis key (range, dtick, autorange, ...). */
export type AxisExtras = Readonly<Record<string, unknown>>;

/**
 * A linear numeric axis. Plain numbers (no SI letters) unless `format` names an SI unit.
 * @example linearAxis("epoch (count)")
 */
export function linearAxis(text: string, extras: AxisExtras = {}, format: TickFormat = PLAIN_TICKS): Axis {
  const ticks = format.kind === "si" ? { ticksuffix: ` ${format.unit}` } : {};
  return { title: title(text), type: "linear", exponentformat: "power", separatethousands: true, automargin: true, ...ticks, ...extras };
}

/**
 * A log axis over `values` (the data it shows) with every label written in full: decades,
 * 1-2-5, or `tickValues` you choose (e.g. powers of two for worker counts).
 * @example logAxis("time (seconds)", times, { kind: "si", unit: "s" })
 */
export function logAxis(text: string, values: readonly unknown[], format: TickFormat = PLAIN_TICKS, tickValues?: readonly number[], extras: AxisExtras = {}): Axis {
  const tickvals = tickValues ? [...tickValues] : logTickValues(values);
  if (tickvals.length === 0) return { title: title(text), type: "log", dtick: 1, exponentformat: "power", ...extras };
  return {
    title: title(text),
    type: "log",
    tickmode: "array",
    tickvals,
    ticktext: formatTicks(tickvals, format),
    minor: { showgrid: false },
    automargin: true,
    ...extras,
  };
}

/** A category axis (model names, GPU names): no numbers at all. */
export function categoryAxis(text: string, extras: AxisExtras = {}): Axis {
  return { title: title(text), type: "category", ...extras };
}

/** Ticks at integers only (indices, ranks, counts of a few): never "1.5 workers". */
export function integerAxis(text: string, extras: AxisExtras = {}): Axis {
  return { title: title(text), type: "linear", tickmode: "linear", tick0: 0, dtick: 1, tickformat: "d", ...extras };
}

/** A colour bar whose ticks are whole numbers from `min` to `max` (counts, indices). */
export function integerColorbar(text: string, min: number, max: number, extras: AxisExtras = {}): Readonly<Record<string, unknown>> {
  return { title: { text }, tickmode: "linear", tick0: min, dtick: Math.max(1, Math.ceil((max - min) / 8)), tickformat: "d", ...extras };
}

/** Bytes per GB and per GiB. */
export const BYTES_PER_AXIS_UNIT: Readonly<Record<"GB" | "GiB", number>> = { GB: BYTES_PER_GB, GiB: BYTES_PER_GIB };

/** "GB = 10⁹ bytes" or "GiB = 2³⁰ bytes", for axis titles. */
export function byteUnitNote(unit: "GB" | "GiB"): string {
  return unit === "GB" ? "GB = 10⁹ bytes" : "GiB = 2³⁰ bytes";
}

/**
 * A message or model size for a title: 1e9 → "1 GB", 2.5e6 → "2.5 MB" (decimal units, as the
 * bytes flags of efflab read them).
 */
export function formatBytesForTitle(bytes: number): string {
  return formatTickSi(bytes, "B");
}

/**
 * Draw the two axes to the same scale (one unit of y as long as one unit of x), shrinking the
 * plotting area rather than the ranges: a 3:1 ellipse looks 3:1.
 */
export function equalAspect(xaxis: Axis, yaxis: Axis): { xaxis: Axis; yaxis: Axis } {
  return {
    xaxis: { ...xaxis, constrain: "domain" },
    yaxis: { ...yaxis, scaleanchor: "x", scaleratio: 1, constrain: "domain" },
  };
}
