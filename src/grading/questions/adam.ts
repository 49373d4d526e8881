/**
 * Lab 2 (notebooks/02-adam.ipynb): the graded questions on Adam (Kingma & Ba 2015, Algorithm 1).
 *
 * Answer cells define exactly these functions (tfjs tensors of any shape, numbers for
 * hyperparameters):
 *
 *   adam.moments         adamMoments(m, v, g, beta1, beta2)          -> { m, v }
 *                        m_t = β1 m_{t−1} + (1 − β1) g_t,  v_t = β2 v_{t−1} + (1 − β2) g_t²
 *   adam.biasCorrection  adamBiasCorrection(m, v, t, beta1, beta2)   -> { mHat, vHat }
 *                        m̂_t = m_t / (1 − β1^t),  v̂_t = v_t / (1 − β2^t),  t = 1 for the first step
 *   adam.step            adamStep(w, g, state, hp)                   -> { w, m, v, t }
 *                        state = { m, v, t } (t = 0 before the first step),
 *                        hp = { lr, beta1, beta2, eps }; t ← t + 1, moments, bias correction,
 *                        w ← w − lr · m̂ / (√v̂ + eps)
 *
 * The reference answers are the library's `adamMoments`, `adamBiasCorrection`, `adamStep`.
 */
import { tf } from "../../tensor";
import { adamBiasCorrection, adamMoments, adamStep, type AdamHyperparameters } from "../../optim/adam";
import { GradingError, type Implementation, type Question } from "../question";
import { callGradedAnswer, expectGradedClose, expectGradedTensor, gradedRandomMatrix, gradedTensorTest, isGradedTensor, type KnownMistake } from "./gd";

/** Read field `key` of an answer's returned object as a tensor of `shape`. */
export function gradedField(result: unknown, key: string, shape: readonly number[], what: string): tf.Tensor {
  if (typeof result !== "object" || result === null || isGradedTensor(result)) {
    throw new GradingError(`${what} should return an object with field \`${key}\` (e.g. { m, v }), got ${isGradedTensor(result) ? "a single tensor" : typeof result}.`);
  }
  return expectGradedTensor((result as Record<string, unknown>)[key], shape, `${what}.${key}`);
}

// ---------------------------------------------------------------------------------------
// adam.moments
// ---------------------------------------------------------------------------------------

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
  const result = await callGradedAnswer(impl, "adam.moments", "adamMoments", m, v, g, beta1, beta2);
  const expected = adamMoments(m, v, g, beta1, beta2);
  const mistakes = adamMomentsMistakes(m, v, g, beta1, beta2);
  expectGradedClose(gradedField(result, "m", m.shape, what), expected.m, `${what}.m`, mistakes.m);
  expectGradedClose(gradedField(result, "v", v.shape, what), expected.v, `${what}.v`, mistakes.v);
}

export const adamMomentsQuestion: Question = {
  id: "adam.moments",
  notebook: "02-adam.ipynb",
  title: "Adam's first and second moment updates",
  exports: ["adamMoments"],
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

// ---------------------------------------------------------------------------------------
// adam.biasCorrection
// ---------------------------------------------------------------------------------------

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
  const result = await callGradedAnswer(impl, "adam.biasCorrection", "adamBiasCorrection", m, v, t, beta1, beta2);
  const expected = adamBiasCorrection(m, v, t, beta1, beta2);
  const mistakes = adamBiasCorrectionMistakes(m, v, t, beta1, beta2);
  expectGradedClose(gradedField(result, "mHat", m.shape, what), expected.mHat, `${what}.mHat`, mistakes.mHat);
  expectGradedClose(gradedField(result, "vHat", v.shape, what), expected.vHat, `${what}.vHat`, mistakes.vHat);
}

export const adamBiasCorrectionQuestion: Question = {
  id: "adam.biasCorrection",
  notebook: "02-adam.ipynb",
  title: "Bias correction of Adam's moments",
  exports: ["adamBiasCorrection"],
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

// ---------------------------------------------------------------------------------------
// adam.step
// ---------------------------------------------------------------------------------------

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
  const result = await callGradedAnswer(impl, "adam.step", "adamStep", w, g, state, hp);
  const expected = adamStep(w, g, state, hp);
  const newW = gradedField(result, "w", w.shape, label);
  const t = (result as Record<string, unknown>)["t"];
  if (t !== state.t + 1) {
    throw new GradingError(`${label}.t should be ${state.t + 1} (the step counter goes up by one each step), got ${String(t)}.`, String(state.t + 1), String(t));
  }
  expectGradedClose(newW, expected.w, `${label}.w`, adamStepMistakes(w, g, state, hp));
  const moments = adamMomentsMistakes(state.m, state.v, g, hp.beta1, hp.beta2);
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

/** Lab 2's questions, in notebook order. */
export const adamQuestions: readonly Question[] = [adamMomentsQuestion, adamBiasCorrectionQuestion, adamStepQuestion];
