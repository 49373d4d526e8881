/**
 * adam.moments (notebooks/02-adam.ipynb): Adam's first and second moment updates
 * (Kingma & Ba 2015, Algorithm 1).
 *
 *   adamMoments(m, v, g, beta1, beta2) -> { m, v }
 *   m_t = β1 m_{t−1} + (1 − β1) g_t,  v_t = β2 v_{t−1} + (1 − β2) g_t²
 *
 * on tfjs tensors of any shape. The reference is the library's `adamMoments` (src/optim/adam.ts).
 */
import { tf } from "../../../tensor";
import { adamMoments as libraryAdamMoments } from "../../../optim/adam";
import type { Implementation, Question } from "../../question";
import { callGradedAnswerOnCopies, expectGradedClose, gradedField, gradedRandomMatrix, gradedTensorTest, type KnownMistake } from "../expectations";
import { OPTIMIZER_BY_HAND } from "../forbidden";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const adamMoments = recordedReference("adamMoments", libraryAdamMoments);

/** Mistakes of adam.moments, per output. */
export function adamMomentsMistakes(m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, beta1: number, beta2: number): { m: KnownMistake[]; v: KnownMistake[] } {
  return {
    m: [
      { value: tf.add(tf.mul(1 - beta1, m), tf.mul(beta1, g)), description: "β1 and (1 − β1) are swapped: the old moment gets β1, the new gradient (1 − β1)" },
      { value: tf.add(tf.mul(beta1, m), g), description: "the gradient is not scaled by (1 − β1)" },
      { value: tf.add(tf.mul(beta2, m), tf.mul(1 - beta2, g)), description: "the first moment uses β2 instead of β1" },
    ],
    v: [
      { value: tf.add(tf.mul(beta2, v), tf.mul(1 - beta2, g)), description: "the second moment averages g instead of g² (square the gradient)" },
      { value: tf.add(tf.mul(1 - beta2, v), tf.mul(beta2, tf.square(g))), description: "β2 and (1 − β2) are swapped: the old moment gets β2, the new g² gets (1 − β2)" },
      { value: tf.add(tf.mul(beta1, v), tf.mul(1 - beta1, tf.square(g))), description: "the second moment uses β1 instead of β2" },
      { value: tf.add(tf.mul(beta2, v), tf.mul(1 - beta2, tf.abs(g))), description: "the second moment averages |g| instead of g²" },
    ],
  };
}

/** Check `adamMoments` on one input; shared by public and hidden tests. */
export async function checkAdamMomentsCase(impl: Implementation, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, beta1: number, beta2: number): Promise<void> {
  const what = `adamMoments(m, v, g, ${beta1}, ${beta2})`;
  const expected = adamMoments(m, v, g, beta1, beta2);
  const mistakes = adamMomentsMistakes(m, v, g, beta1, beta2);
  const result = await callGradedAnswerOnCopies(impl, "adam.moments", "adamMoments", m, v, g, beta1, beta2);
  expectGradedClose(gradedField(result, "m", m.shape, what), expected.m, `${what}.m`, mistakes.m);
  expectGradedClose(gradedField(result, "v", v.shape, what), expected.v, `${what}.v`, mistakes.v);
}

export const adamMomentsQuestion: Question = {
  id: "adam.moments",
  notebook: "02-adam.ipynb",
  title: "Adam's first and second moment updates",
  exports: ["adamMoments"],
  references: ["adamMoments"],
  forbidden: [OPTIMIZER_BY_HAND],
  publicTests: [
    gradedTensorTest(
      "from m = v = 0 with g = [2, -4], β1 = 0.9, β2 = 0.999: m = [0.2, -0.4], v = [0.004, 0.016]",
      1,
      "m = 0.9·0 + 0.1·g; v = 0.999·0 + 0.001·g² (elementwise square).",
      async (impl) => {
        await checkAdamMomentsCase(impl, tf.zeros([2]), tf.zeros([2]), tf.tensor1d([2, -4]), 0.9, 0.999);
      },
    ),
    gradedTensorTest(
      "from m = [1, 1], v = [1, 1] with g = [3, -1]: m = [1.2, 0.8], v = [1.008, 1] (β1 = 0.9, β2 = 0.999)",
      1,
      "The old moments decay by β (0.9·1 = 0.9), the new gradient enters with weight (1 − β).",
      async (impl) => {
        await checkAdamMomentsCase(impl, tf.ones([2]), tf.ones([2]), tf.tensor1d([3, -1]), 0.9, 0.999);
      },
    ),
    gradedTensorTest(
      "matches the update rule on a random [3, 4] tensor with β1 = 0.8, β2 = 0.99",
      2,
      "Work elementwise on tensors of any shape: tf.add, tf.mul, tf.square.",
      async (impl) => {
        await checkAdamMomentsCase(impl, gradedRandomMatrix(81, 3, 4), tf.abs(gradedRandomMatrix(82, 3, 4)), gradedRandomMatrix(83, 3, 4), 0.8, 0.99);
      },
    ),
  ],
};
