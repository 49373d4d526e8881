/**
 * adam.step (notebooks/02-adam.ipynb): one full Adam step (Kingma & Ba 2015, Algorithm 1).
 *
 *   adamStep(w, g, state, hp) -> { w, m, v, t }
 *
 * state = { m, v, t } (t = 0 before the first step), hp = { lr, beta1, beta2, eps };
 * t ← t + 1, moments, bias correction, w ← w − lr · m̂ / (√v̂ + eps).
 * The reference is the library's `adamStep` (src/optim/adam.ts).
 */
import { tf } from "../../../tensor";
import { adamBiasCorrection as libraryAdamBiasCorrection, adamMoments as libraryAdamMoments, adamStep as libraryAdamStep, type AdamHyperparameters } from "../../../optim/adam";
import { GradingError, type Implementation, type Question } from "../../question";
import { callGradedAnswerOnCopies, expectGradedClose, gradedField, gradedRandomMatrix, gradedTensorTest, type KnownMistake } from "../expectations";
import { OPTIMIZER_BY_HAND } from "../forbidden";
import { adamMomentsMistakes } from "./moments";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const adamBiasCorrection = recordedReference("adamBiasCorrection", libraryAdamBiasCorrection);
const adamMoments = recordedReference("adamMoments", libraryAdamMoments);
const adamStep = recordedReference("adamStep", libraryAdamStep);

/** What the typical mistakes of a full Adam step produce for the new w. */
export function adamStepMistakes(w: tf.Tensor, g: tf.Tensor, state: { m: tf.Tensor; v: tf.Tensor; t: number }, hp: AdamHyperparameters): KnownMistake[] {
  const t = state.t + 1;
  const { m, v } = adamMoments(state.m, state.v, g, hp.beta1, hp.beta2);
  const { mHat, vHat } = adamBiasCorrection(m, v, t, hp.beta1, hp.beta2);
  const update = (num: tf.Tensor, den: tf.Tensor) => tf.sub(w, tf.mul(hp.lr, tf.div(num, den)));
  return [
    { value: update(m, tf.add(tf.sqrt(v), hp.eps)), description: "there is no bias correction: divide m by (1 − β1^t) and v by (1 − β2^t) before the update" },
    { value: update(mHat, tf.sqrt(tf.add(vHat, hp.eps))), description: "ε is inside the square root: the paper uses √v̂ + ε, not √(v̂ + ε)" },
    { value: tf.add(w, tf.mul(hp.lr, tf.div(mHat, tf.add(tf.sqrt(vHat), hp.eps)))), description: "the step goes uphill: subtract lr · m̂ / (√v̂ + ε)" },
    { value: update(mHat, tf.add(vHat, hp.eps)), description: "the square root of v̂ is missing: divide by √v̂ + ε" },
    { value: update(m, tf.add(tf.sqrt(vHat), hp.eps)), description: "only v is bias-corrected: divide m by (1 − β1^t) too" },
    { value: update(mHat, tf.add(tf.sqrt(v), hp.eps)), description: "only m is bias-corrected: divide v by (1 − β2^t) too" },
    { value: update(g, tf.add(tf.sqrt(vHat), hp.eps)), description: "the numerator is the raw gradient: use the bias-corrected first moment m̂" },
    {
      value: (() => {
        const b = adamBiasCorrection(m, v, Math.max(t - 1, 1), hp.beta1, hp.beta2);
        return t - 1 >= 1 ? update(b.mHat, tf.add(tf.sqrt(b.vHat), hp.eps)) : tf.fill(w.shape, Number.NaN);
      })(),
      description: "the bias correction uses the old t: increment t first (t ← t + 1), then correct with β^t",
    },
  ];
}

/** Check `adamStep` on one input; returns the new state for multi-step tests. */
export async function checkAdamStepCase(
  impl: Implementation,
  w: tf.Tensor,
  g: tf.Tensor,
  state: { m: tf.Tensor; v: tf.Tensor; t: number },
  hp: AdamHyperparameters,
  label = "adamStep(w, g, state, hp)",
): Promise<{ w: tf.Tensor; m: tf.Tensor; v: tf.Tensor; t: number }> {
  const expected = adamStep(w, g, state, hp);
  const mistakes = adamStepMistakes(w, g, state, hp);
  const moments = adamMomentsMistakes(state.m, state.v, g, hp.beta1, hp.beta2);
  const result = await callGradedAnswerOnCopies(impl, "adam.step", "adamStep", w, g, state, hp);
  const newW = gradedField(result, "w", w.shape, label);
  const t = (result as Record<string, unknown>)["t"];
  if (t !== state.t + 1) {
    throw new GradingError(`${label}.t should be ${state.t + 1} (the step counter goes up by one each step), got ${String(t)}.`, String(state.t + 1), String(t));
  }
  expectGradedClose(newW, expected.w, `${label}.w`, mistakes);
  const m = gradedField(result, "m", w.shape, label);
  const v = gradedField(result, "v", w.shape, label);
  expectGradedClose(m, expected.m, `${label}.m (return the raw moment m_t, not m̂_t)`, [
    { value: tf.div(expected.m, 1 - hp.beta1 ** expected.t), description: "the bias-corrected m̂ was returned as the state; keep the raw m_t" },
    ...moments.m,
  ]);
  expectGradedClose(v, expected.v, `${label}.v (return the raw moment v_t, not v̂_t)`, [
    { value: tf.div(expected.v, 1 - hp.beta2 ** expected.t), description: "the bias-corrected v̂ was returned as the state; keep the raw v_t" },
    ...moments.v,
  ]);
  return { w: newW, m, v, t: state.t + 1 };
}

const PAPER_DEFAULTS = { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

export const adamStepQuestion: Question = {
  id: "adam.step",
  notebook: "02-adam.ipynb",
  title: "One full Adam step",
  exports: ["adamStep"],
  references: ["adamStep", "adamUpdate", "adamDirection", "AdamOptimizer", "adam", "AdamWOptimizer", "adamw"],
  forbidden: [OPTIMIZER_BY_HAND],
  publicTests: [
    gradedTensorTest(
      "the first step from w = [1, 1] with g = [2, -0.5] and lr = 0.1 moves each weight by about lr: w ≈ [0.9, 1.1]",
      2,
      "At t = 1, m̂ = g and v̂ = g², so m̂ / (√v̂ + ε) ≈ sign(g). Remember t ← t + 1 first and the bias correction.",
      async (impl) => {
        await checkAdamStepCase(impl, tf.tensor1d([1, 1]), tf.tensor1d([2, -0.5]), { m: tf.zeros([2]), v: tf.zeros([2]), t: 0 }, { ...PAPER_DEFAULTS, lr: 0.1 });
      },
    ),
    gradedTensorTest(
      "ε is added after the square root: with g = [0.01] and eps = 0.1 the step is lr · 0.01 / (0.01 + 0.1)",
      1,
      "The denominator is √v̂ + ε (Kingma & Ba 2015, Algorithm 1), not √(v̂ + ε).",
      async (impl) => {
        await checkAdamStepCase(impl, tf.tensor1d([0]), tf.tensor1d([0.01]), { m: tf.zeros([1]), v: tf.zeros([1]), t: 0 }, { lr: 1, beta1: 0.9, beta2: 0.999, eps: 0.1 });
      },
    ),
    gradedTensorTest(
      "ten steps on random [2, 3] gradients follow Algorithm 1, carrying m, v and t from step to step",
      2,
      "Return { w, m, v, t } with the raw moments and t + 1; the next call receives them as state.",
      async (impl) => {
        let state = { m: tf.zeros([2, 3]), v: tf.zeros([2, 3]), t: 0 };
        let w: tf.Tensor = gradedRandomMatrix(101, 2, 3);
        for (let k = 1; k <= 10; k++) {
          const next = await checkAdamStepCase(impl, w, gradedRandomMatrix(101 + k, 2, 3), state, { ...PAPER_DEFAULTS, lr: 0.01 }, `adamStep at step ${k}`);
          w = next.w;
          state = { m: next.m, v: next.v, t: next.t };
        }
      },
    ),
  ],
};
