/**
 * gd.step (notebooks/01-gradient-descent.ipynb): one step of gradient descent.
 *
 *   gdStep(X, y, w, lr, gradient) -> w − lr · gradient(X, y, w)
 *
 * with X [N, D], y [N, 1], w [D, 1], lr a number and gradient a function like
 * mseGradient (the tests pass the reference one, so a mistake in gd.mseGradient never
 * costs points here). The reference is the library's `gdStep` (src/optim).
 */
import { tf } from "../../../tensor";
import { mseGradient as libraryReferenceMseGradient } from "../../../optim/mse";
import { GradingError, type Implementation, type Question } from "../../question";
import { callGradedAnswer, callGradedAnswerOnCopies, expectGradedClose, expectGradedTensor, gradedRandomMatrix, gradedTensorTest, relativeError, studentCopy, type KnownMistake } from "../expectations";
import { OPTIMIZER_BY_HAND } from "../forbidden";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const referenceMseGradient = recordedReference("mseGradient", libraryReferenceMseGradient);

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
  const g = referenceMseGradient(X, y, w);
  const expected = tf.sub(w, tf.mul(lr, g));
  const mistakes = gdStepMistakes(w, g, lr);
  const wGiven = studentCopy(w);
  const received = await callGradedAnswer(impl, "gd.step", "gdStep", studentCopy(X), studentCopy(y), wGiven, lr, referenceMseGradient);
  const next = expectGradedTensor(received, [D, 1], `gdStep(X, y, w, ${lr}, mseGradient)`);
  if (!wGiven.isDisposed && relativeError(Array.from(wGiven.dataSync()), before) > 0) {
    throw new GradingError("gdStep changed its input w. Return a new tensor (tf.sub(w, ...)) and leave w as it was.");
  }
  expectGradedClose(next, expected, `gdStep(X, y, w, ${lr}, mseGradient)`, mistakes);
}

export const gdStepQuestion: Question = {
  id: "gd.step",
  notebook: "01-gradient-descent.ipynb",
  title: "One step of gradient descent",
  exports: ["gdStep"],
  references: ["gdStep", "gdUpdate", "gradientDescent", "SgdOptimizer", "sgd"],
  forbidden: [OPTIMIZER_BY_HAND],
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
          const received = await callGradedAnswerOnCopies(impl, "gd.step", "gdStep", X, y, w, 0.05, referenceMseGradient);
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
