/**
 * Hidden tests of lab 1 (never shipped in the student edition): other sizes, other
 * learning rates, uneven batches. Messages never show expected values (the grader
 * suppresses `expected`/`received` for hidden tests).
 */
import { tf } from "../../../src/tensor";
import type { HiddenTests } from "../../../src/grading/question";
import { GradingError } from "../../../src/grading/question";
import { callGradedAnswer, gradedRandomMatrix, gradedTensorTest, isGradedTensor } from "../../../src/grading/questions/expectations";
import { checkMseGradientCase } from "../../../src/grading/questions/gd/mse-gradient";
import { checkGdStepCase } from "../../../src/grading/questions/gd/step";
import { checkSgdEpochCase } from "../../../src/grading/questions/gd/sgd-epoch";

export const gdHiddenTests: HiddenTests[] = [
  {
    questionId: "gd.mseGradient",
    tests: [
      gradedTensorTest("a single example and a single feature (N = D = 1)", 1, "N = 1 is still a mean over the rows.", async (impl) => {
        await checkMseGradientCase(impl, tf.tensor2d([[3]]), tf.tensor2d([[-1]]), tf.tensor2d([[2]]));
      }),
      gradedTensorTest("a tall data set: N = 100 examples, D = 5 features", 1, "Average over the N rows of X.", async (impl) => {
        await checkMseGradientCase(impl, gradedRandomMatrix(1001, 100, 5), gradedRandomMatrix(1002, 100, 1), gradedRandomMatrix(1003, 5, 1));
      }),
      gradedTensorTest("more features than examples: N = 3, D = 7", 1, "The gradient has D entries, whatever N is.", async (impl) => {
        await checkMseGradientCase(impl, gradedRandomMatrix(1011, 3, 7), gradedRandomMatrix(1012, 3, 1), gradedRandomMatrix(1013, 7, 1));
      }),
    ],
  },
  {
    questionId: "gd.step",
    tests: [
      gradedTensorTest("a larger learning rate (lr = 0.3) on N = 30, D = 4", 1, "w − lr · gradient(X, y, w).", async (impl) => {
        await checkGdStepCase(impl, gradedRandomMatrix(1021, 30, 4), gradedRandomMatrix(1022, 30, 1), gradedRandomMatrix(1023, 4, 1), 0.3);
      }),
      gradedTensorTest("uses the gradient function it is given", 1, "Call the gradient argument; do not recompute the gradient another way.", async (impl) => {
        // A gradient function that always returns ones: the step must be w − lr · 1.
        const ones = (_X: tf.Tensor2D, _y: tf.Tensor2D, w: tf.Tensor2D) => tf.onesLike(w) as tf.Tensor2D;
        const w = tf.tensor2d([[1], [2]]);
        const received = await callGradedAnswer(impl, "gd.step", "gdStep", gradedRandomMatrix(1031, 4, 2), gradedRandomMatrix(1032, 4, 1), w, 0.5, ones);
        const got = isGradedTensor(received) ? Array.from(received.dataSync()) : [];
        if (!(got.length === 2 && Math.abs(got[0]! - 0.5) < 1e-6 && Math.abs(got[1]! - 1.5) < 1e-6)) {
          throw new GradingError("gdStep did not use the gradient function passed as its last argument.");
        }
      }),
    ],
  },
  {
    questionId: "gd.sgdEpoch",
    tests: [
      gradedTensorTest("uneven batches (sizes 3, 3, 1) on N = 7, D = 2", 1, "The last batch may be smaller; average over its own rows.", async (impl) => {
        const batches = [[6, 2, 0], [5, 1, 3], [4]];
        await checkSgdEpochCase(impl, gradedRandomMatrix(1041, 7, 2), gradedRandomMatrix(1042, 7, 1), gradedRandomMatrix(1043, 2, 1), 0.1, batches, "sgdEpoch with uneven batches");
      }),
      gradedTensorTest("batches of one row each (pure SGD), N = 8, D = 3", 1, "One step per row, in the given order.", async (impl) => {
        const batches = [[7], [3], [0], [5], [1], [6], [2], [4]];
        await checkSgdEpochCase(impl, gradedRandomMatrix(1051, 8, 3), gradedRandomMatrix(1052, 8, 1), gradedRandomMatrix(1053, 3, 1), 0.05, batches, "sgdEpoch with one row per batch");
      }),
    ],
  },
];
