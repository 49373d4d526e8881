/**
 * Aligned plain-text tables for the `efflab` memory commands and the lab 4 notebook.
 * Text columns are left-aligned, numeric-looking columns right-aligned.
 */
import { formatBytes } from "./units";


/** Column headers for sizes printed with `byteCells`: each cell carries its own unit. */
export const BYTE_COLUMN_HEADERS: readonly [string, string] = ["SI (kB = 10^3 B, GB = 10^9 B)", "IEC (KiB = 2^10 B, GiB = 2^30 B)"];

/**
 * A size as two table cells, each in the unit that keeps its number readable:
 * 32768 -> ["32.77 kB", "32 KiB"], 2.8e12 -> ["2.8 TB", "2.547 TiB"] (never "0.00003277 GB").
 */
export function byteCells(bytes: number): [string, string] {
  return [formatBytes(bytes, { unit: "si" }), formatBytes(bytes, { unit: "iec" })];
}

export function formatTextTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+(\s?\S+)?$/.test(r[i] ?? "") && /^\s*[-+]?\d/.test(r[i] ?? "")));
  const line = (r: readonly string[]) =>
    r.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** 174615822336 -> "174,615,822,336" */
export function groupDigits(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
