/**
 * Lab 4 (notebooks/04-memory.ipynb): bytes by model state, as the memory questions read,
 * compare and show them. Every input and output is a plain number of bytes (or a small
 * object of them), so a student can work each test by hand.
 */
import { BYTES_PER_GB } from "../../../foundation/units";
import { GradingError } from "../../question";
import { looksLike, matchingMistakes, sameNumber, type KnownMistake } from "../expectations";

/** "31,406,250,000 B (31.41 GB)". */
export function describeBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const grouped = Math.round(bytes).toLocaleString("en-US");
  return Math.abs(bytes) >= 1e6 ? `${grouped} B (${Number((bytes / BYTES_PER_GB).toPrecision(4))} GB)` : `${grouped} B`;
}

/** A breakdown of bytes by model state (per parameter or per device). */
export interface StateBytes {
  readonly parameters: number;
  readonly gradients: number;
  readonly optimizerStates: number;
  readonly total: number;
}

const STATE_FIELDS = ["parameters", "gradients", "optimizerStates", "total"] as const;

/** Read a `{ parameters, gradients, optimizerStates, total }` object, failing with a clear message. */
export function readStateBytes(result: unknown, what: string): StateBytes {
  if (typeof result !== "object" || result === null) {
    throw new GradingError(`${what} should return an object { parameters, gradients, optimizerStates, total }, got ${result === null ? "null" : typeof result}.`);
  }
  const record = result as Record<string, unknown>;
  for (const field of STATE_FIELDS) {
    if (typeof record[field] !== "number" || Number.isNaN(record[field])) {
      throw new GradingError(`${what}.${field} should be a number of bytes, got ${String(record[field])}. Return all four fields.`);
    }
  }
  return { parameters: record["parameters"] as number, gradients: record["gradients"] as number, optimizerStates: record["optimizerStates"] as number, total: record["total"] as number };
}

export function sameStates(a: StateBytes, b: StateBytes): boolean {
  return STATE_FIELDS.every((f) => sameNumber(a[f], b[f]));
}

export function showStates(s: StateBytes): string {
  return `{ parameters: ${s.parameters}, gradients: ${s.gradients}, optimizerStates: ${s.optimizerStates}, total: ${s.total} }`;
}

/** Compare a state breakdown with the expected one; name a known mistake or the first wrong field. */
export function expectStates(received: StateBytes, expected: StateBytes, what: string, mistakes: readonly KnownMistake<StateBytes>[]): void {
  if (sameStates(received, expected)) return;
  const matched = matchingMistakes(received, expected, mistakes, sameStates);
  if (matched.length > 0) throw new GradingError(`${what} is wrong.${looksLike(matched)}`, showStates(expected), showStates(received));
  const sum = received.parameters + received.gradients + received.optimizerStates;
  if (!sameNumber(received.total, sum)) {
    throw new GradingError(`${what}.total is ${received.total}, but parameters + gradients + optimizerStates = ${sum}. total must be their sum.`, showStates(expected), showStates(received));
  }
  const field = STATE_FIELDS.find((f) => !sameNumber(received[f], expected[f]))!;
  // The message names the field, never the expected value (hidden tests show only the message).
  throw new GradingError(`${what}.${field} is ${received[field]}, which is not the expected number of bytes.`, showStates(expected), showStates(received));
}

/** A breakdown with its total. */
export function states(parameters: number, gradients: number, optimizerStates: number): StateBytes {
  return { parameters, gradients, optimizerStates, total: parameters + gradients + optimizerStates };
}
