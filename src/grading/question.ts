/**
 * Graded questions: the single source of truth for what a student must implement
 * and how it is tested.
 *
 * A question is written once, as data plus test functions *of the implementation
 * under test*. The same functions run
 *   - in the notebook, in the kernel's own process: `await check("adam.step")`
 *     passes the student's function (just defined in a cell) to the public tests;
 *   - in CI, through vitest (`test/graded/`), against the reference solution and
 *     against known-wrong mutants;
 *   - in `efflab grade`, against the answer cells extracted from a submission,
 *     public and hidden tests, each question isolated with time and memory limits.
 *
 * Answer cells in notebooks start with `// @answer <id>` and define the function(s)
 * named in `exports`.
 */

/** Gradescope's visibility values (https://gradescope-autograders.readthedocs.io/en/latest/specs/). */
export type Visibility = "visible" | "hidden" | "after_due_date" | "after_published";

/**
 * The student's implementation as the tests see it: the values the answer cell
 * defined, by name (e.g. `{ adamStep: [Function] }`).
 */
export type Implementation = Readonly<Record<string, unknown>>;

/** One test of a question. Throw (e.g. `GradingError`) to fail; return to pass. */
export interface GradedTest {
  /** A sentence: "the first step moves each parameter by about lr". */
  readonly name: string;
  /** Points for this test; a question's points are the sum over its tests. */
  readonly points: number;
  /** Shown next to a failure: where to look, never the expected answer of a hidden test. */
  readonly hint: string;
  run(impl: Implementation): void | Promise<void>;
}

export interface Question {
  /** `<lab>.<name>`, e.g. `adam.step`. Matches `// @answer adam.step`. */
  readonly id: string;
  /** The notebook holding its answer cell, e.g. `02-adam.ipynb`. */
  readonly notebook: string;
  readonly title: string;
  /** Names the answer cell must define (functions or constants). */
  readonly exports: readonly string[];
  /** Run by `check()` in the notebook and by the grader (visible results). */
  readonly publicTests: readonly GradedTest[];
  /**
   * Library exports that compute this question's answer: its reference
   * implementation and every class or helper that computes the same thing (for
   * `adam.step`: `adamStep` and `AdamOptimizer`). While the question is graded,
   * the answer sees stubs in their place; the per-lab student edition of this
   * lab (or an earlier one) ships them as stubs.
   */
  readonly references?: readonly string[];
  /** Further names the answer cell must not use, with the reason shown to the student. */
  readonly forbidden?: readonly ForbiddenName[];
}

/** A name an answer cell must not use (e.g. `tf.train` in an optimizer question), and why. */
export interface ForbiddenName {
  /** A dotted name as written in the cell: `tf.train`, `lab.trainDataParallel`. */
  readonly name: string;
  /** Completes "uses <name>: ...", e.g. "write the update yourself instead of calling a TensorFlow.js optimizer". */
  readonly why: string;
}

/** Hidden tests live apart (test/graded/hidden/) so the student edition never contains them. */
export interface HiddenTests {
  readonly questionId: string;
  readonly tests: readonly GradedTest[];
}

/**
 * A failure whose message the student sees. `expected`/`received` are shown for
 * public tests and suppressed for hidden ones.
 */
export class GradingError extends Error {
  constructor(
    message: string,
    readonly expected?: string,
    readonly received?: string,
  ) {
    super(message);
    this.name = "GradingError";
  }
}

/**
 * A broken grading rule (answer-rules.ts, answer-library.ts): the answer used a
 * reference of the library or a door to Node's internals. Its message names the
 * rule and is shown to the student as it is.
 */
export class AnswerRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AnswerRuleError";
  }
}

function isTensorLike(value: object): value is { clone(): unknown } {
  const t = value as { shape?: unknown; dataSync?: unknown; clone?: unknown };
  return Array.isArray(t.shape) && typeof t.dataSync === "function" && typeof t.clone === "function";
}

/**
 * A copy of an argument for the answer, so that nothing the answer does to its
 * inputs changes the grader's own: tensors cloned, typed arrays, arrays and plain
 * objects copied (deeply, cycles kept); functions, objects with methods and
 * instances of classes (e.g. a communicator whose trace the test reads) passed as they are.
 * `copied` collects each typed array with its copy (see `callAnswer`).
 */
/** The grader's typed array behind each copy's buffer, so a callback can tell whose replica a view of a copy belongs to. */
const originalsOfCopies = new WeakMap<ArrayBufferLike, { readonly original: ArrayBufferView; readonly copy: ArrayBufferView }>();

/**
 * The grader's typed array that `view` (the copy the answer received, or a view into
 * it such as `params[i].subarray(a, b)`) was copied from, and `view`'s element offset
 * in it; undefined when `view` is not inside such a copy.
 */
export function answerCopyOrigin(view: ArrayBufferView & { readonly BYTES_PER_ELEMENT?: number }): { readonly original: ArrayBufferView; readonly offset: number } | undefined {
  const entry = originalsOfCopies.get(view.buffer);
  if (entry === undefined) return undefined;
  return { original: entry.original, offset: (view.byteOffset - entry.copy.byteOffset) / (view.BYTES_PER_ELEMENT ?? 1) };
}

export function copyForAnswer(value: unknown, copied = new Map<object, unknown>()): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (copied.has(value)) return copied.get(value);
  if (isTensorLike(value)) return value.clone();
  if (ArrayBuffer.isView(value)) {
    const copy = typeof (value as { slice?: unknown }).slice === "function" ? (value as unknown as { slice(): unknown }).slice() : value;
    copied.set(value, copy);
    if (copy !== value) originalsOfCopies.set((copy as ArrayBufferView).buffer, { original: value, copy: copy as ArrayBufferView });
    return copy;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copied.set(value, copy);
    for (const item of value) copy.push(copyForAnswer(item, copied));
    return copy;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  // An object with methods (a communicator `{ send, recv, trace }`) is behaviour, not data: its methods use `this`.
  if (Object.values(value).some((v) => typeof v === "function")) return value;
  const copy: Record<string, unknown> = Object.create(proto) as Record<string, unknown>;
  copied.set(value, copy);
  for (const [key, item] of Object.entries(value)) copy[key] = copyForAnswer(item, copied);
  return copy;
}

/** After the call: each typed array's copy written back into the original (the output of an in-place question such as dp.step). */
function writeBackTypedArrays(copied: ReadonlyMap<object, unknown>): void {
  for (const [original, copy] of copied) {
    if (ArrayBuffer.isView(original) && original !== copy && !(original instanceof DataView)) {
      (original as unknown as { set(a: unknown): void }).set(copy);
    }
  }
}

/**
 * Call the answer's function `name` on copies of `args` (`copyForAnswer`): the
 * answer can neither consume nor dispose the grader's inputs, nor keep a handle on
 * them. Typed arrays are the output of in-place questions (`dpStep` updates each
 * worker's `Float32Array`), so their contents are copied back once the call returns.
 * A missing export, a stub (`Not implemented: <id>`) or any exception becomes a
 * `GradingError` that says which function failed; a broken grading rule keeps its
 * own message.
 */
export async function callAnswer(impl: Implementation, questionId: string, name: string, ...args: unknown[]): Promise<unknown> {
  const f = impl[name];
  if (typeof f !== "function") {
    throw new GradingError(`The answer cell of ${questionId} must define a function \`${name}\`, got ${typeof f}. Keep the name given in the notebook.`);
  }
  const copied = new Map<object, unknown>();
  const copies = args.map((a) => copyForAnswer(a, copied));
  try {
    return await (f as (...a: unknown[]) => unknown)(...copies);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.name === "AnswerRuleError") throw new GradingError(text);
    if ((error as { code?: unknown } | null)?.code === "ERR_ACCESS_DENIED") throw error; // test-outcome.ts explains it
    if (/not implemented/i.test(text)) throw new GradingError(`Not implemented: ${questionId} (${name} still throws "${text}").`);
    throw new GradingError(`${name} threw an error: ${text.split("\n")[0]}`);
  } finally {
    writeBackTypedArrays(copied);
  }
}

/** A question's lab: the two digits its notebook starts with (`02-adam.ipynb` → 2); undefined without them. */
export function questionLabNumber(question: Pick<Question, "notebook">): number | undefined {
  const digits = /^(\d{2})-/.exec(question.notebook.split(/[\\/]/).pop() ?? "")?.[1];
  return digits === undefined ? undefined : Number(digits);
}
