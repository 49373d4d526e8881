/**
 * What every graded question uses to call an answer and explain a wrong one: the graded
 * test wrappers, seeded inputs, comparisons of tensors, buffers and numbers, and the
 * "Looks like ..." sentence that names a known mistake.
 *
 * A question computes the right answer with the library and, when the answer is wrong,
 * compares it with what typical mistakes produce, so the message can name the mistake
 * ("looks like the gradient is not averaged over the N examples").
 */
import { initTensors, tf } from "../../tensor";
import { createRng } from "../../foundation/random";
import { callAnswer, GradingError, type GradedTest, type Implementation } from "../question";

// ---------------------------------------------------------------------------------------
// Graded tests and calls
// ---------------------------------------------------------------------------------------

/** A graded test with the usual fields (for questions that create no tensors). */
export function gradedTest(name: string, points: number, hint: string, run: (impl: Implementation) => void | Promise<void>): GradedTest {
  return { name, points, hint, run: async (impl) => run(impl) };
}

/** A graded test whose body may create tensors: they are disposed when it ends. */
export function gradedTensorTest(name: string, points: number, hint: string, body: (impl: Implementation) => Promise<void>): GradedTest {
  return {
    name,
    points,
    hint,
    async run(impl) {
      await initTensors();
      tf.engine().startScope();
      try {
        await body(impl);
      } finally {
        tf.engine().endScope();
      }
    },
  };
}

/**
 * A copy of an input for the answer to own: tensors with their own data, typed arrays and
 * arrays copied, plain objects copied field by field (numbers, strings and functions as
 * they are). Every check computes its expected values first, on its own inputs, and gives
 * the answer copies, so an answer that consumes an array (`batches.shift()`), overwrites a
 * buffer, bumps `state.t` or disposes a tensor cannot change what it is compared with.
 */
export function studentCopy<T>(value: T): T {
  if (isGradedTensor(value)) return tf.tensor(value.dataSync().slice(), value.shape, value.dtype) as T;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as unknown as Float32Array).slice() as T;
  if (Array.isArray(value)) return value.map((v: unknown) => studentCopy(v)) as T;
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, studentCopy(v)])) as T;
  }
  return value;
}

/** `callAnswer` with a `studentCopy` of each argument: the grader's own inputs stay as they were. */
export async function callGradedAnswerOnCopies(impl: Implementation, questionId: string, name: string, ...args: unknown[]): Promise<unknown> {
  return callGradedAnswer(impl, questionId, name, ...args.map((a) => studentCopy(a)));
}

/** `callAnswer` (src/grading/question.ts) once the tensor backend is ready, for answers that use tensors. */
export async function callGradedAnswer(impl: Implementation, questionId: string, name: string, ...args: unknown[]): Promise<unknown> {
  await initTensors();
  return callAnswer(impl, questionId, name, ...args);
}

// ---------------------------------------------------------------------------------------
// Seeded inputs (src/tensor/random.ts: the same numbers everywhere)
// ---------------------------------------------------------------------------------------

/** Seeded standard-normal matrix [rows, cols]. */
export function gradedRandomMatrix(seed: number, rows: number, cols: number): tf.Tensor2D {
  return tf.tensor2d(createRng(seed).normalArray(rows * cols), [rows, cols]);
}

/** n seeded standard-normal buffers of `length` floats. */
export function gradedRandomBuffers(seed: number, n: number, length: number): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.normalArray(length));
}

// ---------------------------------------------------------------------------------------
// Known mistakes
// ---------------------------------------------------------------------------------------

/** A known wrong answer: what a typical mistake would return, and what to call it. */
export interface KnownMistake<T = tf.Tensor | readonly number[]> {
  readonly value: T;
  /** Completes "looks like ...". */
  readonly description: string;
}

/**
 * " Looks like <description>." for the mistakes an answer matches, or "" for none.
 * Two mistakes can give the same value on one input (at t = 1 from m = 0, m̂ = g = β1·m + g):
 * then the sentence names each.
 */
export function looksLike(matched: readonly { readonly description: string }[]): string {
  const descriptions = [...new Set(matched.map((m) => m.description))];
  if (descriptions.length === 0) return "";
  if (descriptions.length === 1) return ` Looks like ${descriptions[0]}.`;
  return ` Looks like ${descriptions.join(" — or ")} (on this input these mistakes give the same value).`;
}

/** The mistakes whose value equals the received one but not the expected one. */
export function matchingMistakes<T>(received: T, expected: T, mistakes: readonly KnownMistake<T>[], same: (a: T, b: T) => boolean): KnownMistake<T>[] {
  return mistakes.filter((m) => same(received, m.value) && !same(m.value, expected));
}

// ---------------------------------------------------------------------------------------
// Numbers, buffers, previews
// ---------------------------------------------------------------------------------------

/** Equal up to float rounding: |a − b| ≤ 1e-9 · max(floor, |b|). */
export function sameNumber(a: number, b: number, floor = 1): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(floor, Math.abs(b));
}

/** ‖a − b‖∞ / max(‖b‖∞, 1e-12) (Infinity if a holds NaN). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}

/** "[1, 2.5, ...]": the first six values, six significant digits. */
export function preview(x: ArrayLike<number>): string {
  const shown = Array.from(x).slice(0, 6).map((v) => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v));
  return `[${shown.join(", ")}${x.length > 6 ? ", ..." : ""}]`;
}

/** Compare a buffer with the expected values; a wrong one that matches known mistakes is named. */
export function expectBufferClose(received: ArrayLike<number>, expected: ArrayLike<number>, what: string, mistakes: readonly KnownMistake<ArrayLike<number>>[] = [], tolerance = 1e-5): void {
  if (received.length === expected.length && relativeError(received, expected) <= tolerance) return;
  const close = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && relativeError(a, b) <= tolerance;
  throw new GradingError(`${what} is not the expected value.${looksLike(matchingMistakes(received, expected, mistakes, close))}`, preview(expected), preview(received));
}

/** True for a Float32Array, also one made in another realm (a sandboxed answer's). */
export function isFloat32Array(value: unknown): value is Float32Array {
  return Object.prototype.toString.call(value) === "[object Float32Array]";
}

/** Check that `value` is an array of `n` Float32Arrays of `length` floats. */
export function expectWorkerBuffers(value: unknown, n: number, length: number, what: string): Float32Array[] {
  if (!Array.isArray(value)) {
    throw new GradingError(`${what} should return an array with one Float32Array per worker, got ${value === null ? "null" : typeof value}.`);
  }
  if (value.length !== n) throw new GradingError(`${what} should return ${n} buffers (one per worker), got ${value.length}.`, String(n), String(value.length));
  value.forEach((b: unknown, i) => {
    if (!isFloat32Array(b)) throw new GradingError(`${what}[${i}] should be a Float32Array, got ${Array.isArray(b) ? "a plain array" : typeof b}.`);
    if (b.length !== length) throw new GradingError(`${what}[${i}] has length ${b.length}, expected ${length} (the input's length).`, String(length), String(b.length));
  });
  return value as Float32Array[];
}

// ---------------------------------------------------------------------------------------
// Tensors
// ---------------------------------------------------------------------------------------

/** True for a tfjs tensor (duck-typed, so a second copy of tfjs still counts). */
export function isGradedTensor(value: unknown): value is tf.Tensor {
  return typeof value === "object" && value !== null && Array.isArray((value as tf.Tensor).shape) && typeof (value as tf.Tensor).dataSync === "function";
}

/** Check that `value` is a tensor of `shape`; `shapeMistakes` explains known wrong shapes. */
export function expectGradedTensor(
  value: unknown,
  shape: readonly number[],
  what: string,
  shapeMistakes: readonly { readonly shape: readonly number[]; readonly description: string }[] = [],
): tf.Tensor {
  if (!isGradedTensor(value)) {
    throw new GradingError(`${what} should be a tf.Tensor, got ${value === null ? "null" : typeof value}. Return a tensor (e.g. tf.sub(w, ...)), not a number or an array.`);
  }
  if (value.shape.join(",") !== shape.join(",")) {
    const known = shapeMistakes.find((m) => m.shape.join(",") === value.shape.join(","));
    const why = known ? ` Looks like ${known.description}.` : "";
    throw new GradingError(`${what} has shape [${value.shape}], expected [${shape}].${why}`, `[${shape}]`, `[${value.shape}]`);
  }
  return value;
}

function valuesOf(x: tf.Tensor | readonly number[]): number[] {
  return isGradedTensor(x) ? Array.from(x.dataSync()) : Array.from(x);
}

/**
 * Compare an answer with the expected tensor (relative error in the max norm ≤ `tolerance`).
 * If it is wrong but matches known mistakes, the message names them.
 */
export function expectGradedClose(
  received: tf.Tensor,
  expected: tf.Tensor | readonly number[],
  what: string,
  mistakes: readonly KnownMistake[] = [],
  tolerance = 1e-4,
): void {
  const got = Array.from(received.dataSync());
  const want = valuesOf(expected);
  if (got.length === want.length && relativeError(got, want) <= tolerance) return;
  if (got.some((v) => !Number.isFinite(v))) {
    const matched = mistakes.filter((m) => valuesOf(m.value).some((v) => !Number.isFinite(v)));
    throw new GradingError(
      `${what} contains NaN or Infinity.${matched.length > 0 ? looksLike(matched) : " Check for a division by zero."}`,
      preview(want),
      preview(got),
    );
  }
  const matches = mistakes.filter((m) => {
    const v = valuesOf(m.value);
    return v.length === got.length && v.every(Number.isFinite) && relativeError(got, v) <= tolerance && relativeError(v, want) > tolerance;
  });
  throw new GradingError(`${what} is not the expected value.${looksLike(matches)}`, preview(want), preview(got));
}

/** Read field `key` of an answer's returned object as a tensor of `shape`. */
export function gradedField(result: unknown, key: string, shape: readonly number[], what: string): tf.Tensor {
  if (typeof result !== "object" || result === null || isGradedTensor(result)) {
    throw new GradingError(`${what} should return an object with field \`${key}\` (e.g. { m, v }), got ${isGradedTensor(result) ? "a single tensor" : typeof result}.`);
  }
  return expectGradedTensor((result as Record<string, unknown>)[key], shape, `${what}.${key}`);
}
