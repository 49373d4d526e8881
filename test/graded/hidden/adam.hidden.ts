/**
 * Hidden tests of lab 2 (never shipped in the student edition): other shapes, other
 * hyperparameters, long runs.
 */
import { tf } from "../../../src/tensor";
import type { HiddenTests } from "../../../src/grading/question";
import { gradedRandomMatrix, gradedTensorTest } from "../../../src/grading/questions/expectations";
import { checkAdamMomentsCase } from "../../../src/grading/questions/adam/moments";
import { checkAdamBiasCorrectionCase } from "../../../src/grading/questions/adam/bias-correction";
import { checkAdamStepCase } from "../../../src/grading/questions/adam/step";

export const adamHiddenTests: HiddenTests[] = [
  {
    questionId: "adam.moments",
    tests: [
      gradedTensorTest("twenty successive updates on a [5] vector with β1 = 0.5, β2 = 0.9", 1, "Feed each result back as the next m and v.", async (impl) => {
        let m: tf.Tensor = tf.zeros([5]);
        let v: tf.Tensor = tf.zeros([5]);
        for (let k = 0; k < 20; k++) {
          const g = tf.reshape(gradedRandomMatrix(2000 + k, 1, 5), [5]);
          await checkAdamMomentsCase(impl, m, v, g, 0.5, 0.9);
          m = tf.add(tf.mul(0.5, m), tf.mul(0.5, g));
          v = tf.add(tf.mul(0.9, v), tf.mul(0.1, tf.square(g)));
        }
      }),
      gradedTensorTest("a scalar-shaped [1, 1] tensor with β1 = 0, β2 = 0 (no memory)", 1, "With β = 0 the moments are just g and g².", async (impl) => {
        await checkAdamMomentsCase(impl, tf.tensor2d([[5]]), tf.tensor2d([[7]]), tf.tensor2d([[-3]]), 0, 0);
      }),
    ],
  },
  {
    questionId: "adam.biasCorrection",
    tests: [
      gradedTensorTest("t = 1..10 with β1 = 0.5, β2 = 0.75 on [4, 2] moments", 1, "1 − β^t for each t.", async (impl) => {
        for (let t = 1; t <= 10; t++) {
          await checkAdamBiasCorrectionCase(impl, gradedRandomMatrix(2100 + t, 4, 2), tf.abs(gradedRandomMatrix(2200 + t, 4, 2)), t, 0.5, 0.75);
        }
      }),
    ],
  },
  {
    questionId: "adam.step",
    tests: [
      gradedTensorTest("fifty steps with β1 = 0.8, β2 = 0.99, eps = 1e-6, lr = 0.05 on a [3, 3] matrix", 2, "Carry m, v and t between steps.", async (impl) => {
        const hp = { lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-6 };
        let state = { m: tf.zeros([3, 3]), v: tf.zeros([3, 3]), t: 0 };
        let w: tf.Tensor = gradedRandomMatrix(2300, 3, 3);
        for (let k = 1; k <= 50; k++) {
          const next = await checkAdamStepCase(impl, w, gradedRandomMatrix(2300 + k, 3, 3), state, hp, `adamStep at step ${k}`);
          w = next.w;
          state = { m: next.m, v: next.v, t: next.t };
        }
      }),
      gradedTensorTest("ε = 1e-3 on gradients of the same size, resuming from t = 7", 1, "ε goes after the square root, and the correction uses the new t.", async (impl) => {
        const state = { m: tf.fill([4], 1e-3), v: tf.fill([4], 1e-6), t: 7 };
        await checkAdamStepCase(impl, tf.ones([4]), tf.tensor1d([1e-3, -2e-3, 5e-4, 0]), state, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-3 });
      }),
    ],
  },
];
