/**
 * adam.biasCorrection (notebooks/02-adam.ipynb): bias correction of Adam's moments
 * (Kingma & Ba 2015, Algorithm 1).
 *
 *   adamBiasCorrection(m, v, t, beta1, beta2) -> { mHat, vHat }
 *   m̂_t = m_t / (1 − β1^t),  v̂_t = v_t / (1 − β2^t),  t = 1 for the first step
 *
 * The reference is the library's `adamBiasCorrection` (src/optim/adam.ts).
 */
import { tf } from "../../../tensor";
import { adamBiasCorrection as libraryAdamBiasCorrection } from "../../../optim/adam";
import type { Implementation, Question } from "../../question";
import { callGradedAnswerOnCopies, expectGradedClose, gradedField, gradedRandomMatrix, gradedTensorTest, type KnownMistake } from "../expectations";
import { OPTIMIZER_BY_HAND } from "../forbidden";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const adamBiasCorrection = recordedReference("adamBiasCorrection", libraryAdamBiasCorrection);

/** Mistakes of adam.biasCorrection, per output. */
export function adamBiasCorrectionMistakes(m: tf.Tensor, v: tf.Tensor, t: number, beta1: number, beta2: number): { mHat: KnownMistake[]; vHat: KnownMistake[] } {
  return {
    mHat: [
      { value: m, description: "there is no bias correction: divide m by (1 − β1^t)" },
      { value: tf.mul(m, 1 - beta1 ** t), description: "m is multiplied by (1 − β1^t); divide by it instead" },
      { value: tf.div(m, 1 - beta1 ** (t - 1)), description: "the power is β1^(t−1): the first step is t = 1 and uses 1 − β1¹" },
      { value: tf.div(m, (1 - beta1) ** t), description: "the denominator is (1 − β1)^t; it should be 1 − β1^t" },
      { value: tf.div(m, 1 - beta2 ** t), description: "m̂ is corrected with β2; use β1 for the first moment" },
      { value: tf.div(m, 1 - beta1 * t), description: "the denominator uses β1·t; it should be 1 − β1^t (a power)" },
    ],
    vHat: [
      { value: v, description: "there is no bias correction: divide v by (1 − β2^t)" },
      { value: tf.mul(v, 1 - beta2 ** t), description: "v is multiplied by (1 − β2^t); divide by it instead" },
      { value: tf.div(v, 1 - beta2 ** (t - 1)), description: "the power is β2^(t−1): the first step is t = 1 and uses 1 − β2¹" },
      { value: tf.div(v, (1 - beta2) ** t), description: "the denominator is (1 − β2)^t; it should be 1 − β2^t" },
      { value: tf.div(v, 1 - beta1 ** t), description: "v̂ is corrected with β1; use β2 for the second moment" },
    ],
  };
}

/** Check `adamBiasCorrection` on one input; shared by public and hidden tests. */
export async function checkAdamBiasCorrectionCase(impl: Implementation, m: tf.Tensor, v: tf.Tensor, t: number, beta1: number, beta2: number): Promise<void> {
  const what = `adamBiasCorrection(m, v, t = ${t}, ${beta1}, ${beta2})`;
  const expected = adamBiasCorrection(m, v, t, beta1, beta2);
  const mistakes = adamBiasCorrectionMistakes(m, v, t, beta1, beta2);
  const result = await callGradedAnswerOnCopies(impl, "adam.biasCorrection", "adamBiasCorrection", m, v, t, beta1, beta2);
  expectGradedClose(gradedField(result, "mHat", m.shape, what), expected.mHat, `${what}.mHat`, mistakes.mHat);
  expectGradedClose(gradedField(result, "vHat", v.shape, what), expected.vHat, `${what}.vHat`, mistakes.vHat);
}

export const adamBiasCorrectionQuestion: Question = {
  id: "adam.biasCorrection",
  notebook: "02-adam.ipynb",
  title: "Bias correction of Adam's moments",
  exports: ["adamBiasCorrection"],
  references: ["adamBiasCorrection"],
  forbidden: [OPTIMIZER_BY_HAND],
  publicTests: [
    gradedTensorTest(
      "at t = 1 the corrected moments equal the first gradient: m = [0.2], v = [0.004] give m̂ = [2], v̂ = [4]",
      1,
      "m̂ = m / (1 − β1^t) = 0.2 / (1 − 0.9) = 2. The first step is t = 1.",
      async (impl) => {
        await checkAdamBiasCorrectionCase(impl, tf.tensor1d([0.2]), tf.tensor1d([0.004]), 1, 0.9, 0.999);
      },
    ),
    gradedTensorTest(
      "at t = 2: m = [0.38], v = [0.007996] give m̂ = [2], v̂ = [4] (β1 = 0.9, β2 = 0.999)",
      1,
      "1 − β1² = 1 − 0.81 = 0.19, not (1 − 0.9)² = 0.01.",
      async (impl) => {
        await checkAdamBiasCorrectionCase(impl, tf.tensor1d([0.38]), tf.tensor1d([0.007996]), 2, 0.9, 0.999);
      },
    ),
    gradedTensorTest(
      "matches m / (1 − β1^t), v / (1 − β2^t) on random [2, 3] moments at t = 5, 50 and 5000",
      2,
      "Use a power of β (Math.pow(beta1, t) or beta1 ** t); for large t the correction fades to 1.",
      async (impl) => {
        for (const t of [5, 50, 5000]) {
          await checkAdamBiasCorrectionCase(impl, gradedRandomMatrix(90 + t, 2, 3), tf.abs(gradedRandomMatrix(91 + t, 2, 3)), t, 0.9, 0.999);
        }
      },
    ),
  ],
};
