/**
 * Recorded expectations: the expected values of the public tests as data.
 *
 * A public test builds its expected value by calling the library's reference
 * (`adamMoments(m, v, g, β1, β2)` for adam.moments). In the per-lab student edition
 * that reference is stubbed (student-library.ts), so the test could not run there.
 * Every such call goes through `recordedReference` (or `expectation`):
 *
 *   - in the master (no recording file): it calls the reference;
 *   - while `efflab release --lab NN` records (`startRecording`): it calls the
 *     reference and keeps the serialised result under (question, public test, index of
 *     the call in that test run, reference name, fingerprint of the arguments);
 *   - in an edition (`recorded-expectations.json` next to this module in `dist/grading/`):
 *     it returns the recorded value and never calls the reference; a call with no
 *     recording (a hidden test, another input) throws, naming the call.
 *
 * The current test is set by `runGradedTests` (test-outcome.ts) through
 * `withExpectationContext`. The state lives on a global symbol so that every copy of
 * this module loaded in one thread (the grader's worker loads question modules with
 * its own loader) sees the same test.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { tf } from "../tensor";

/** File name of a recording, written next to this module's compiled file in an edition. */
export const RECORDING_FILE = "recorded-expectations.json";

/** Which test is running. */
export interface ExpectationContext {
  readonly questionId: string;
  readonly testName: string;
  readonly suite: "public" | "hidden";
}

interface RecorderState {
  context: (ExpectationContext & { index: number }) | undefined;
  recording: Map<string, unknown> | undefined;
}

const STATE_KEY = Symbol.for("ai-efficiency-labs.recorded-expectations");
const state: RecorderState = ((globalThis as Record<symbol, RecorderState | undefined>)[STATE_KEY] ??= { context: undefined, recording: undefined });

let replay: Map<string, unknown> | null | undefined;

/** The edition's recording, or null in the master (read once). */
function replayTable(): Map<string, unknown> | null {
  if (replay !== undefined) return replay;
  let text: string | undefined;
  try {
    text = fs.readFileSync(path.join(__dirname, RECORDING_FILE), "utf8");
  } catch {
    // Absent (the master), or out of reach: the grader's sandbox may read only the library's dist/,
    // and a question module loaded from src/ looks here. Either way there is nothing to replay.
    text = undefined;
  }
  replay = text === undefined ? null : new Map(Object.entries(JSON.parse(text) as Record<string, unknown>));
  return replay;
}

/** True in a student edition that carries recorded expectations. */
export function replaysRecordedExpectations(): boolean {
  return replayTable() !== null;
}

/** Run `work` as test `context`: the calls it makes are numbered from 0. */
export async function withExpectationContext<T>(context: ExpectationContext, work: () => Promise<T>): Promise<T> {
  const previous = state.context;
  state.context = { ...context, index: 0 };
  try {
    return await work();
  } finally {
    state.context = previous;
  }
}

/** Start recording (release). */
export function startRecording(): void {
  state.recording = new Map();
}

/** Stop recording and return what was recorded: key -> serialised value. */
export function stopRecording(): Record<string, unknown> {
  const recorded = Object.fromEntries(state.recording ?? new Map());
  state.recording = undefined;
  return recorded;
}

/** Serialise a value to JSON-safe data (tensors, typed arrays, non-finite numbers, undefined). */
export function serialiseExpectation(value: unknown): unknown {
  if (value === undefined) return { $: "undefined" };
  if (typeof value === "number") return Number.isFinite(value) ? value : { $: "number", value: String(value) };
  if (typeof value === "bigint") return { $: "bigint", value: value.toString() };
  if (value === null || typeof value !== "object") return value;
  if (value instanceof tf.Tensor) return { $: "tensor", shape: value.shape, dtype: value.dtype, values: Array.from(value.dataSync() as ArrayLike<number>, serialiseExpectation) };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return { $: "typed", type: value.constructor.name, values: Array.from(value as unknown as ArrayLike<number>, serialiseExpectation) };
  }
  if (Array.isArray(value)) return value.map(serialiseExpectation);
  if (value instanceof Map) return { $: "map", entries: [...value].map(([k, v]) => [serialiseExpectation(k), serialiseExpectation(v)]) };
  return { $: "object", fields: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serialiseExpectation(v)])) };
}

const TYPED: Record<string, new (values: number[]) => unknown> = { Float32Array, Float64Array, Int8Array, Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array, Uint8ClampedArray };

/** Rebuild a value serialised by `serialiseExpectation`. */
export function deserialiseExpectation(data: unknown): unknown {
  if (data === null || typeof data !== "object") return data;
  if (Array.isArray(data)) return data.map(deserialiseExpectation);
  const tagged = data as { $: string } & Record<string, unknown>;
  switch (tagged.$) {
    case "undefined":
      return undefined;
    case "number":
      return Number(tagged.value);
    case "bigint":
      return BigInt(tagged.value as string);
    case "tensor":
      return tf.tensor((tagged.values as unknown[]).map(deserialiseExpectation) as number[], tagged.shape as number[], tagged.dtype as tf.DataType);
    case "typed": {
      const make = TYPED[tagged.type as string];
      if (make === undefined) throw new Error(`Recorded expectations: unknown typed array ${String(tagged.type)}.`);
      return new make((tagged.values as unknown[]).map(deserialiseExpectation) as number[]);
    }
    case "map":
      return new Map((tagged.entries as [unknown, unknown][]).map(([k, v]) => [deserialiseExpectation(k), deserialiseExpectation(v)]));
    case "object":
      return Object.fromEntries(Object.entries(tagged.fields as Record<string, unknown>).map(([k, v]) => [k, deserialiseExpectation(v)]));
    default:
      throw new Error(`Recorded expectations: unknown tag ${String(tagged.$)}.`);
  }
}

function fingerprint(args: readonly unknown[]): string {
  return createHash("sha256").update(JSON.stringify(serialiseExpectation(args))).digest("hex").slice(0, 16);
}

/**
 * The expected value named `name` with inputs `args`: `compute()` in the master (and
 * recorded while recording), the recorded value in an edition.
 */
export function expectation<T>(name: string, args: readonly unknown[], compute: () => T): T {
  const context = state.context;
  const table = replayTable();
  if (table === null) {
    if (state.recording === undefined || context === undefined) return compute();
    const key = expectationKey(context, name, args);
    const value = compute();
    if (context.suite === "public") state.recording.set(key, serialiseExpectation(value));
    return value;
  }
  const key = context === undefined ? undefined : expectationKey(context, name, args);
  if (key !== undefined && table.has(key)) return deserialiseExpectation(table.get(key)) as T;
  try {
    return compute(); // a reference the edition keeps (an earlier lab's)
  } catch (error) {
    const where = context === undefined ? "outside a public test" : `in test "${context.testName}" of ${context.questionId}`;
    throw new Error(`No recorded expected value for ${name}(...) ${where}: the student edition carries the expected values of the public tests only, for their own inputs (${error instanceof Error ? error.message : String(error)}).`);
  }
}

function expectationKey(context: ExpectationContext & { index: number }, name: string, args: readonly unknown[]): string {
  return `${context.questionId} | ${context.testName} | #${context.index++} ${name} ${fingerprint(args)}`;
}

/** `reference` whose calls go through `expectation` (its arguments are fingerprinted before the call). */
export function recordedReference<A extends unknown[], R>(name: string, reference: (...args: A) => R): (...args: A) => R {
  return (...args: A) => {
    const key = args.slice();
    return expectation(name, key, () => reference(...args));
  };
}
