/**
 * Lab 6 (notebooks/06-profiling-precision.ipynb): how the FLOPs questions read and show
 * their answers. Inputs and outputs are plain numbers, so a student can work each test by hand.
 */
import { GradingError } from "../../question";
import { sameNumber } from "../expectations";

/** Read an object of numbers, failing with a clear message. */
export function readNumbers<K extends string>(result: unknown, fields: readonly K[], what: string): Record<K, number> {
  if (typeof result !== "object" || result === null) {
    throw new GradingError(`${what} should return an object { ${fields.join(", ")} }, got ${result === null ? "null" : typeof result}.`);
  }
  const record = result as Record<string, unknown>;
  const out = {} as Record<K, number>;
  for (const f of fields) {
    if (typeof record[f] !== "number" || Number.isNaN(record[f])) throw new GradingError(`${what}.${f} should be a number, got ${String(record[f])}. Return all of ${fields.join(", ")}.`);
    out[f] = record[f] as number;
  }
  return out;
}

/** "{ a: 1, b: 2 }". */
export function showNumbers<K extends string>(r: Record<K, number>, fields: readonly K[]): string {
  return `{ ${fields.map((f) => `${f}: ${r[f]}`).join(", ")} }`;
}

/** Equal up to float rounding (relative 1e-9, no absolute floor: FLOPs and fractions alike). */
export function sameFlops(a: number, b: number): boolean {
  return sameNumber(a, b, 1e-300);
}
