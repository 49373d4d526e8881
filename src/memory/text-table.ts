/**
 * Aligned plain-text tables for the `efflab` memory commands and the lab 4 notebook.
 * Text columns are left-aligned, numeric-looking columns right-aligned.
 */

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
