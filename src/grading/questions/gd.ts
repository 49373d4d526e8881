/**
 * Lab 1 (notebooks/01-gradient-descent.ipynb): the graded questions and the helpers
 * that every tensor question of the labs uses to call an answer and explain a wrong one.
 *
 * Answer cells define exactly these functions (tfjs tensors, column vectors):
 *
 *   gd.mseGradient   mseGradient(X, y, w)                       -> (2/N) Xᵀ (X w − y), [D, 1]
 *   gd.step          gdStep(X, y, w, lr, gradient)              -> w − lr · gradient(X, y, w)
 *   gd.sgdEpoch      sgdEpoch(X, y, w, lr, batches, gradient)   -> w after one step per batch
 *
 * with X [N, D], y [N, 1], w [D, 1], lr a number, batches an array of row-index arrays,
 * and gradient a function like mseGradient (the tests pass the reference one, so a
 * mistake in one question never costs points in another).
 *
 * Each test computes the right answer with the library (src/optim) and, when the answer
 * is wrong, compares it with the answers that typical mistakes produce, so the message
 * can name the mistake ("looks like the gradient is not averaged over the N examples").
 */
import { initTensors, tf } from "../../tensor";
import { mseGradient as referenceMseGradient } from "../../optim/mse";
import { callAnswer, GradingError, type GradedTest, type Implementation, type Question } from "../question";

// ---------------------------------------------------------------------------------------
// Helpers shared by the tensor questions (lab 1 and lab 2)
// ---------------------------------------------------------------------------------------

/** A known wrong answer: what a typical mistake would return, and what to call it. */
export interface KnownMistake {
  readonly value: tf.Tensor | readonly number[];
  /** Completes "looks like ...". */
  readonly description: string;
}

/** `callAnswer` (src/grading/question.ts) once the tensor backend is ready, for answers that use tensors. */
export async function callGradedAnswer(impl: Implementation, questionId: string, name: string, ...args: unknown[]): Promise<unknown> {
  await initTensors();
  return callAnswer(impl, questionId, name, ...args);
}

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

/** ‖a − b‖∞ / max(‖b‖∞, 1e-12), on numbers. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}

function valuesOf(x: tf.Tensor | readonly number[]): number[] {
  return isGradedTensor(x) ? Array.from(x.dataSync()) : Array.from(x);
}

function preview(x: ArrayLike<number>): string {
  const shown = Array.from(x).slice(0, 6).map((v) => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v));
  return `[${shown.join(", ")}${x.length > 6 ? ", ..." : ""}]`;
}

/**
 * Compare an answer with the expected tensor (relative error in the max norm ≤ `tolerance`).
 * If it is wrong but matches a known mistake, the message names that mistake.
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
    const mistake = mistakes.find((m) => valuesOf(m.value).some((v) => !Number.isFinite(v)));
    throw new GradingError(
      `${what} contains NaN or Infinity.${mistake ? ` Looks like ${mistake.description}.` : " Check for a division by zero."}`,
      preview(want),
      preview(got),
    );
  }
  const matches = mistakes.filter((m) => {
    const v = valuesOf(m.value);
    return v.length === got.length && v.every(Number.isFinite) && relativeError(got, v) <= tolerance && relativeError(v, want) > tolerance;
  });
  // Two mistakes can give the same number on one input (at t = 1 from m = 0, m̂ = g = β1·m + g): name each.
  const descriptions = [...new Set(matches.map((m) => m.description))];
  const why =
    descriptions.length === 0 ? "" : descriptions.length === 1 ? ` Looks like ${descriptions[0]}.` : ` Looks like ${descriptions.join(" — or ")} (on this input these mistakes give the same value).`;
  throw new GradingError(`${what} is not the expected value.${why}`, preview(want), preview(got));
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

/** Seeded standard-normal matrix [rows, cols] (mulberry32, same numbers everywhere). */
export function gradedRandomMatrix(seed: number, rows: number, cols: number): tf.Tensor2D {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const values = Array.from({ length: rows * cols }, () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()));
  return tf.tensor2d(values, [rows, cols]);
}

// ---------------------------------------------------------------------------------------
// Reference formulas and the typical mistakes, written out
// ---------------------------------------------------------------------------------------

/** A gradient function with mseGradient's signature. */
export type LinearGradientFn = (X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** Mistakes of gd.mseGradient, as the tensors they produce. */
export function mseGradientMistakes(X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D): KnownMistake[] {
  const N = X.shape[0];
  const g = referenceMseGradient(X, y, w);
  return [
    { value: tf.mul(g, N), description: "the gradient is not averaged over the N examples (it is N times too large: divide by N)" },
    { value: tf.div(g, 2), description: "the factor 2 from d(r²)/dr = 2r is missing" },
    { value: tf.neg(g), description: "the gradient has the wrong sign: the residual is X w − y, not y − X w" },
    { value: tf.mul(g, N / w.shape[0]), description: "the mean is taken over the wrong axis (divide by N, the number of rows of X, not by D)" },
  ];
}

function mseGradientShapeMistakes(N: number, D: number) {
  return [
    { shape: [N, 1], description: "the mean is taken over the wrong axis (over the features, axis 1, instead of the examples, axis 0)" },
    { shape: [N, D], description: "the per-example gradients were not averaged over the examples (reduce over axis 0)" },
    { shape: [1, D], description: "the gradient is a row; return a column [D, 1] (e.g. tf.matMul(X, r, true, false))" },
    { shape: [D], description: "the gradient lost its second dimension; reshape it to [D, 1]" },
  ];
}

// ---------------------------------------------------------------------------------------
// gd.mseGradient
// ---------------------------------------------------------------------------------------

/** Check `mseGradient` on one input; shared by public and hidden tests. */
export async function checkMseGradientCase(impl: Implementation, X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D): Promise<void> {
  const [N, D] = X.shape;
  const received = await callGradedAnswer(impl, "gd.mseGradient", "mseGradient", X, y, w);
  const g = expectGradedTensor(received, [D, 1], `mseGradient(X [${N}, ${D}], y, w)`, mseGradientShapeMistakes(N, D));
  expectGradedClose(g, referenceMseGradient(X, y, w), `mseGradient(X [${N}, ${D}], y, w)`, mseGradientMistakes(X, y, w));
}

export const gdMseGradientQuestion: Question = {
  id: "gd.mseGradient",
  notebook: "01-gradient-descent.ipynb",
  title: "Gradient of the mean squared error for linear regression",
  exports: ["mseGradient"],
  publicTests: [
    gradedTensorTest(
      "the gradient is a [D, 1] column for X [N, D] and w [D, 1]",
      1,
      "Xᵀ r has one entry per feature: tf.matMul(X, r, true, false) with r = X w − y of shape [N, 1].",
      async (impl) => {
        const X = gradedRandomMatrix(1, 5, 3);
        const received = await callGradedAnswer(impl, "gd.mseGradient", "mseGradient", X, gradedRandomMatrix(2, 5, 1), gradedRandomMatrix(3, 3, 1));
        expectGradedTensor(received, [3, 1], "mseGradient(X [5, 3], y [5, 1], w [3, 1])", mseGradientShapeMistakes(5, 3));
      },
    ),
    gradedTensorTest(
      "X = [[1], [2]], y = [[1], [2]], w = [[0]] gives [[-5]], as worked in the notebook",
      1,
      "r = X w − y = [−1, −2]; (2/N) Xᵀ r = (2/2)(1·(−1) + 2·(−2)).",
      async (impl) => {
        await checkMseGradientCase(impl, tf.tensor2d([[1], [2]]), tf.tensor2d([[1], [2]]), tf.tensor2d([[0]]));
      },
    ),
    gradedTensorTest(
      "matches (2/N) Xᵀ (X w − y) on random data with N = 8 examples and D = 3 features",
      2,
      "Average over the N rows of X (not over the features), keep the factor 2, and use the residual X w − y.",
      async (impl) => {
        await checkMseGradientCase(impl, gradedRandomMatrix(11, 8, 3), gradedRandomMatrix(12, 8, 1), gradedRandomMatrix(13, 3, 1));
      },
    ),
    gradedTensorTest(
      "is zero at an exact fit (y = X w)",
      1,
      "At the minimum every residual X w − y is zero, so the gradient must be too.",
      async (impl) => {
        const X = gradedRandomMatrix(21, 6, 2);
        const w = tf.tensor2d([[0.5], [-1.5]]);
        const received = await callGradedAnswer(impl, "gd.mseGradient", "mseGradient", X, tf.matMul(X, w), w);
        const g = expectGradedTensor(received, [2, 1], "mseGradient at an exact fit", mseGradientShapeMistakes(6, 2));
        const worst = Math.max(...Array.from(g.dataSync()).map(Math.abs));
        if (!(worst < 1e-5)) throw new GradingError(`mseGradient at an exact fit should be 0, got entries up to ${worst.toPrecision(3)}. Use the residual X w − y.`);
      },
    ),
  ],
};

// ---------------------------------------------------------------------------------------
// gd.step
// ---------------------------------------------------------------------------------------

/** Mistakes of gd.step. */
export function gdStepMistakes(w: tf.Tensor2D, g: tf.Tensor, lr: number): KnownMistake[] {
  return [
    { value: tf.add(w, tf.mul(lr, g)), description: "the step goes uphill: subtract lr · gradient (w − lr·g), do not add it" },
    { value: tf.sub(w, g), description: "the learning rate is not applied: w − lr · gradient" },
    { value: tf.mul(lr, g), description: "you returned the update lr · gradient instead of the new weights w − lr · gradient" },
    { value: tf.neg(tf.mul(lr, g)), description: "you returned −lr · gradient instead of the new weights w − lr · gradient" },
    { value: w, description: "the weights were returned unchanged" },
  ];
}

/** Check `gdStep` on one input; shared by public and hidden tests. */
export async function checkGdStepCase(impl: Implementation, X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D, lr: number): Promise<void> {
  const D = X.shape[1];
  const before = Array.from(w.dataSync());
  const received = await callGradedAnswer(impl, "gd.step", "gdStep", X, y, w, lr, referenceMseGradient);
  const next = expectGradedTensor(received, [D, 1], `gdStep(X, y, w, ${lr}, mseGradient)`);
  if (relativeError(Array.from(w.dataSync()), before) > 0) {
    throw new GradingError("gdStep changed its input w. Return a new tensor (tf.sub(w, ...)) and leave w as it was.");
  }
  const g = referenceMseGradient(X, y, w);
  expectGradedClose(next, tf.sub(w, tf.mul(lr, g)), `gdStep(X, y, w, ${lr}, mseGradient)`, gdStepMistakes(w, g, lr));
}

export const gdStepQuestion: Question = {
  id: "gd.step",
  notebook: "01-gradient-descent.ipynb",
  title: "One step of gradient descent",
  exports: ["gdStep"],
  publicTests: [
    gradedTensorTest(
      "one step from w = 0 with lr = 0.1 on X = [[1], [2]], y = [[1], [2]] gives w = [[0.5]]",
      1,
      "The gradient at w = 0 is −5; w ← w − lr · gradient.",
      async (impl) => {
        await checkGdStepCase(impl, tf.tensor2d([[1], [2]]), tf.tensor2d([[1], [2]]), tf.tensor2d([[0]]), 0.1);
      },
    ),
    gradedTensorTest(
      "matches w − lr · gradient(X, y, w) on random data (N = 10, D = 3, lr = 0.05)",
      2,
      "Call the gradient function you are given with (X, y, w) and move against it, scaled by lr.",
      async (impl) => {
        await checkGdStepCase(impl, gradedRandomMatrix(31, 10, 3), gradedRandomMatrix(32, 10, 1), gradedRandomMatrix(33, 3, 1), 0.05);
      },
    ),
    gradedTensorTest(
      "twenty steps with a small learning rate lower the loss every time",
      1,
      "Gradient descent goes downhill: with a small enough lr each step must reduce (1/N)‖X w − y‖².",
      async (impl) => {
        const X = gradedRandomMatrix(41, 20, 2);
        const y = gradedRandomMatrix(42, 20, 1);
        const loss = (w: tf.Tensor2D): number => tf.mean(tf.square(tf.sub(tf.matMul(X, w), y))).dataSync()[0]!;
        let w: tf.Tensor2D = tf.zeros([2, 1]);
        let previous = loss(w);
        for (let t = 1; t <= 20; t++) {
          const received = await callGradedAnswer(impl, "gd.step", "gdStep", X, y, w, 0.05, referenceMseGradient);
          w = expectGradedTensor(received, [2, 1], `gdStep at step ${t}`) as tf.Tensor2D;
          const current = loss(w);
          if (!(current < previous)) {
            throw new GradingError(`The loss went from ${previous.toPrecision(4)} to ${current.toPrecision(4)} at step ${t}. Looks like the step goes uphill: use w − lr · gradient.`);
          }
          previous = current;
        }
      },
    ),
  ],
};

// ---------------------------------------------------------------------------------------
// gd.sgdEpoch
// ---------------------------------------------------------------------------------------

/** One SGD epoch written out, used as the reference and to build the mistakes. */
function sgdEpochWith(
  X: tf.Tensor2D,
  y: tf.Tensor2D,
  w: tf.Tensor2D,
  lr: number,
  batches: readonly (readonly number[])[],
  variant: "correct" | "full-batch" | "stale-weights" | "contiguous-rows" | "last-batch-only",
): tf.Tensor2D {
  let offset = 0; // for "contiguous-rows": batch k taken as the next |B_k| rows of X in storage order
  const rows = (batch: readonly number[]) => {
    const indices = variant === "contiguous-rows" ? batch.map((_, i) => offset + i) : Array.from(batch);
    return tf.tensor1d(indices, "int32");
  };
  let wt = w;
  const todo = variant === "last-batch-only" ? batches.slice(-1) : batches;
  for (const batch of todo) {
    const at = variant === "stale-weights" ? w : wt;
    const g = variant === "full-batch" ? referenceMseGradient(X, y, at) : referenceMseGradient(tf.gather(X, rows(batch)), tf.gather(y, rows(batch)), at);
    wt = tf.sub(wt, tf.mul(lr, g));
    offset += batch.length;
  }
  return wt;
}

/** Mistakes of gd.sgdEpoch. */
export function sgdEpochMistakes(X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D, lr: number, batches: readonly (readonly number[])[]): KnownMistake[] {
  return [
    { value: sgdEpochWith(X, y, w, lr, batches, "full-batch"), description: "each step uses the gradient of the whole data set instead of the mini-batch (select the batch's rows with tf.gather)" },
    { value: sgdEpochWith(X, y, w, lr, batches, "stale-weights"), description: "every batch's gradient is taken at the initial w: update w after each batch and use the new w for the next" },
    { value: sgdEpochWith(X, y, w, lr, batches, "last-batch-only"), description: "only the last batch was applied (each step must start from the previous step's w)" },
    { value: sgdEpochWith(X, y, w, lr, batches, "contiguous-rows"), description: "the batches' row indices were ignored (consecutive rows of X were used): select rows with tf.gather(X, batch)" },
  ];
}

/**
 * A gradient function that records how it was called, so a test can tell
 * "gradient of the whole data set" from "gradient of the batch".
 */
function spyGradient(): { fn: LinearGradientFn; rowsSeen: number[] } {
  const rowsSeen: number[] = [];
  const fn: LinearGradientFn = (XB, yB, wB) => {
    rowsSeen.push(XB.shape[0]);
    return referenceMseGradient(XB, yB, wB);
  };
  return { fn, rowsSeen };
}

/** Check `sgdEpoch` on one input; shared by public and hidden tests. */
export async function checkSgdEpochCase(
  impl: Implementation,
  X: tf.Tensor2D,
  y: tf.Tensor2D,
  w: tf.Tensor2D,
  lr: number,
  batches: readonly (readonly number[])[],
): Promise<void> {
  const D = X.shape[1];
  const what = `sgdEpoch(X [${X.shape}], y, w, ${lr}, ${batches.length} batches, mseGradient)`;
  const received = await callGradedAnswer(impl, "gd.sgdEpoch", "sgdEpoch", X, y, w, lr, batches, referenceMseGradient);
  const next = expectGradedTensor(received, [D, 1], what);
  expectGradedClose(next, sgdEpochWith(X, y, w, lr, batches, "correct"), what, sgdEpochMistakes(X, y, w, lr, batches));
}

export const gdSgdEpochQuestion: Question = {
  id: "gd.sgdEpoch",
  notebook: "01-gradient-descent.ipynb",
  title: "One epoch of mini-batch SGD",
  exports: ["sgdEpoch"],
  publicTests: [
    gradedTensorTest(
      "two batches of one row, [[1], [0]], from w = 0 with lr = 0.1 give w = [[0.84]], as worked in the notebook",
      1,
      "Row 1 (x = 2, y = 2): g = 2·2·(0 − 2) = −8, w = 0.8. Row 0 (x = 1, y = 1): g = 2·1·(0.8 − 1) = −0.4, w = 0.84.",
      async (impl) => {
        await checkSgdEpochCase(impl, tf.tensor2d([[1], [2]]), tf.tensor2d([[1], [2]]), tf.tensor2d([[0]]), 0.1, [[1], [0]]);
      },
    ),
    gradedTensorTest(
      "calls the gradient once per batch, on that batch's rows only",
      1,
      "For each batch: XB = tf.gather(X, batch), yB = tf.gather(y, batch), then gradient(XB, yB, w).",
      async (impl) => {
        const X = gradedRandomMatrix(51, 12, 3);
        const spy = spyGradient();
        const batches = [[3, 7, 1, 10], [0, 5, 11, 2], [9, 4, 8, 6]];
        await callGradedAnswer(impl, "gd.sgdEpoch", "sgdEpoch", X, gradedRandomMatrix(52, 12, 1), gradedRandomMatrix(53, 3, 1), 0.1, batches, spy.fn);
        if (spy.rowsSeen.length !== batches.length) {
          throw new GradingError(`Expected ${batches.length} calls of gradient (one per batch), got ${spy.rowsSeen.length}.`, String(batches.length), String(spy.rowsSeen.length));
        }
        if (spy.rowsSeen.some((n) => n === 12)) {
          throw new GradingError("gradient was called on all 12 rows. Looks like each step uses the gradient of the whole data set instead of the mini-batch.", "[4, 4, 4]", `[${spy.rowsSeen}]`);
        }
        if (spy.rowsSeen.some((n) => n !== 4)) {
          throw new GradingError(`gradient was called on [${spy.rowsSeen}] rows; each batch has 4.`, "[4, 4, 4]", `[${spy.rowsSeen}]`);
        }
      },
    ),
    gradedTensorTest(
      "matches one step per batch, in the given order, on random data (N = 12, D = 3, batches of 4)",
      2,
      "Loop over the batches in order; after each one set w ← w − lr · gradient(XB, yB, w).",
      async (impl) => {
        await checkSgdEpochCase(impl, gradedRandomMatrix(61, 12, 3), gradedRandomMatrix(62, 12, 1), gradedRandomMatrix(63, 3, 1), 0.1, [
          [3, 7, 1, 10],
          [0, 5, 11, 2],
          [9, 4, 8, 6],
        ]);
      },
    ),
    gradedTensorTest(
      "a single batch holding every row is one full gradient-descent step",
      1,
      "With one batch of all N rows, mini-batch SGD and gradient descent take the same step.",
      async (impl) => {
        await checkSgdEpochCase(impl, gradedRandomMatrix(71, 6, 2), gradedRandomMatrix(72, 6, 1), gradedRandomMatrix(73, 2, 1), 0.2, [[0, 1, 2, 3, 4, 5]]);
      },
    ),
  ],
};

/** Lab 1's questions, in notebook order. */
export const gdQuestions: readonly Question[] = [gdMseGradientQuestion, gdStepQuestion, gdSgdEpochQuestion];
