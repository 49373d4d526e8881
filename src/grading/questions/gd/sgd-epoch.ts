/**
 * gd.sgdEpoch (notebooks/01-gradient-descent.ipynb): one epoch of mini-batch SGD.
 *
 *   sgdEpoch(X, y, w, lr, batches, gradient) -> w after one step per batch
 *
 * with X [N, D], y [N, 1], w [D, 1], lr a number, batches an array of row-index arrays
 * and gradient a function like mseGradient (the tests pass the reference one). The
 * reference is the library's `sgdEpoch` (src/optim).
 */
import { tf } from "../../../tensor";
import { mseGradient as libraryReferenceMseGradient } from "../../../optim/mse";
import { GradingError, type Implementation, type Question } from "../../question";
import { callGradedAnswerOnCopies, expectGradedClose, expectGradedTensor, gradedRandomMatrix, gradedTensorTest, type KnownMistake } from "../expectations";
import { OPTIMIZER_BY_HAND } from "../forbidden";
import type { LinearGradientFn } from "./mse-gradient";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const referenceMseGradient = recordedReference("mseGradient", libraryReferenceMseGradient);

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
  label?: string,
): Promise<void> {
  const D = X.shape[1];
  const what = label ?? `sgdEpoch(X [${X.shape}], y, w, ${lr}, ${batches.length} batches, mseGradient)`;
  const expected = sgdEpochWith(X, y, w, lr, batches, "correct");
  const mistakes = sgdEpochMistakes(X, y, w, lr, batches);
  const received = await callGradedAnswerOnCopies(impl, "gd.sgdEpoch", "sgdEpoch", X, y, w, lr, batches, referenceMseGradient);
  const next = expectGradedTensor(received, [D, 1], what);
  expectGradedClose(next, expected, what, mistakes);
}

export const gdSgdEpochQuestion: Question = {
  id: "gd.sgdEpoch",
  notebook: "01-gradient-descent.ipynb",
  title: "One epoch of mini-batch SGD",
  exports: ["sgdEpoch"],
  references: ["sgdEpoch"],
  forbidden: [OPTIMIZER_BY_HAND],
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
        await callGradedAnswerOnCopies(impl, "gd.sgdEpoch", "sgdEpoch", X, gradedRandomMatrix(52, 12, 1), gradedRandomMatrix(53, 3, 1), 0.1, batches, spy.fn);
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
