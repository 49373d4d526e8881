/**
 * gd.mseGradient (notebooks/01-gradient-descent.ipynb): the gradient of the mean squared
 * error for linear regression.
 *
 *   mseGradient(X, y, w) -> (2/N) Xᵀ (X w − y), [D, 1]
 *
 * with X [N, D], y [N, 1], w [D, 1] (tfjs tensors, column vectors). The reference is the
 * library's `mseGradient` (src/optim/mse.ts).
 */
import { tf } from "../../../tensor";
import { mseGradient as libraryReferenceMseGradient } from "../../../optim/mse";
import { GradingError, type Implementation, type Question } from "../../question";
import { callGradedAnswer, callGradedAnswerOnCopies, expectGradedClose, expectGradedTensor, gradedRandomMatrix, gradedTensorTest, type KnownMistake } from "../expectations";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const referenceMseGradient = recordedReference("mseGradient", libraryReferenceMseGradient);

/** A gradient function with mseGradient's signature (gd.step and gd.sgdEpoch receive one). */
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

/** Check `mseGradient` on one input; shared by public and hidden tests. */
export async function checkMseGradientCase(impl: Implementation, X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D): Promise<void> {
  const [N, D] = X.shape;
  const expected = referenceMseGradient(X, y, w);
  const mistakes = mseGradientMistakes(X, y, w);
  const received = await callGradedAnswerOnCopies(impl, "gd.mseGradient", "mseGradient", X, y, w);
  const g = expectGradedTensor(received, [D, 1], `mseGradient(X [${N}, ${D}], y, w)`, mseGradientShapeMistakes(N, D));
  expectGradedClose(g, expected, `mseGradient(X [${N}, ${D}], y, w)`, mistakes);
}

export const gdMseGradientQuestion: Question = {
  id: "gd.mseGradient",
  notebook: "01-gradient-descent.ipynb",
  title: "Gradient of the mean squared error for linear regression",
  exports: ["mseGradient"],
  references: ["mseGradient"],
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
