/**
 * Adam: adaptive moment estimation.
 *
 * Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1
 * (https://arxiv.org/abs/1412.6980). With gradient g_t at step t = 1, 2, ... and m_0 = v_0 = 0:
 *
 *   m_t = β1 m_{t−1} + (1 − β1) g_t          first moment (running mean of g)
 *   v_t = β2 v_{t−1} + (1 − β2) g_t²         second moment (running mean of g², elementwise)
 *   m̂_t = m_t / (1 − β1^t)                   bias correction (§3: E[m_t] = (1 − β1^t) E[g])
 *   v̂_t = v_t / (1 − β2^t)
 *   w_t = w_{t−1} − α m̂_t / (√v̂_t + ε)       ε is added AFTER the square root
 *
 * Defaults from the paper: α = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8.
 * tfjs's `tf.train.adam` uses the same rule but ε = 1e-7 by default: pass eps
 * explicitly when comparing.
 *
 * The lecture slide writes the denominator as √(s_t + ε) (ε INSIDE the root, as in
 * TensorFlow 1's RMSProp). Option `denominator: "lecture"` selects that form so the labs
 * can show the difference: it behaves like the paper's form with ε_paper ≈ √ε, i.e. a
 * much larger floor (√1e-8 = 1e-4), so updates for parameters with tiny gradients shrink.
 */
import { tf } from "../tensor";
import { OptimizerBase, type SlotMap, type UpdateResult } from "./optimizer";
import { assertNever } from "../foundation/assert-never";
import { expectPositive, expectInRange } from "../foundation/validate";

/** Where ε goes: `"paper"` = √v̂ + ε (Kingma & Ba); `"lecture"` = √(v̂ + ε) (the slide's form). */
export type AdamDenominator = "paper" | "lecture";

export interface AdamOptions {
  /** α, the step size (Kingma & Ba's α). @default 0.001 */
  readonly lr?: number;
  /** β1, decay of the first moment. @default 0.9 */
  readonly beta1?: number;
  /** β2, decay of the second moment. @default 0.999 */
  readonly beta2?: number;
  /** ε. @default 1e-8 (the paper's; tfjs uses 1e-7) */
  readonly eps?: number;
  /** Where ε is added. @default "paper" */
  readonly denominator?: AdamDenominator;
  /**
   * How β1^t and β2^t are computed for the bias correction. `"float64"`: Math.pow in
   * double precision (the exact value of the paper's formula). `"float32"`: a running
   * float32 product, as `tf.train.adam` keeps them (its `accBeta1`, `accBeta2` variables).
   * They differ measurably: float32(0.999) = 0.99901, so 1 − β2 is off by 1.3e-5 relative
   * in float32, and so is v̂. Use `"float32"` to reproduce tfjs bit for bit.
   * @default "float64"
   */
  readonly betaPowerArithmetic?: BetaPowerArithmetic;
}

/** See `AdamOptions.betaPowerArithmetic`. */
export type BetaPowerArithmetic = "float64" | "float32";

/** Hyperparameters of the functional `adamStep` (all explicit, as in the notebook). */
export interface AdamHyperparameters {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** @default "paper" */
  readonly denominator?: AdamDenominator;
}

/** Adam's state for one parameter: moments and the number of steps taken. */
export interface AdamState {
  readonly m: tf.Tensor;
  readonly v: tf.Tensor;
  /** Steps taken so far (0 before the first step). */
  readonly t: number;
}

/**
 * m_t = β1 m_{t−1} + (1 − β1) g_t and v_t = β2 v_{t−1} + (1 − β2) g_t².
 * The answer to the graded question `adam.moments`.
 * @example
 *   // m = v = 0, g = [2], β1 = 0.9, β2 = 0.999: m = 0.1·2 = 0.2, v = 0.001·4 = 0.004
 */
export function adamMoments(m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, beta1: number, beta2: number): { m: tf.Tensor; v: tf.Tensor } {
  // BEGIN SOLUTION adam.moments
  return tf.tidy(() => {
    const mNext = tf.add(tf.mul(beta1, m), tf.mul(1 - beta1, g)); // m_t
    const vNext = tf.add(tf.mul(beta2, v), tf.mul(1 - beta2, tf.square(g))); // v_t
    return { m: mNext, v: vNext };
  });
  // STUDENT EDITION
  // return yours.answer<typeof adamMoments>("adamMoments")(m, v, g, beta1, beta2);
  // END SOLUTION
}

/**
 * m̂_t = m_t / (1 − β1^t) and v̂_t = v_t / (1 − β2^t), for t ≥ 1.
 * The answer to the graded question `adam.biasCorrection`.
 * @example
 *   // after one step from zeros, m = 0.2, t = 1: m̂ = 0.2 / (1 − 0.9) = 2 = g (unbiased)
 */
export function adamBiasCorrection(
  m: tf.Tensor,
  v: tf.Tensor,
  t: number,
  beta1: number,
  beta2: number,
): { mHat: tf.Tensor; vHat: tf.Tensor } {
  // BEGIN SOLUTION adam.biasCorrection
  if (!Number.isInteger(t) || t < 1) {
    throw new Error(`Expected t to be an integer >= 1 (the first step is t = 1), got ${t}.`);
  }
  return biasCorrect(m, v, Math.pow(beta1, t), Math.pow(beta2, t));
  // STUDENT EDITION
  // return yours.answer<typeof adamBiasCorrection>("adamBiasCorrection")(m, v, t, beta1, beta2);
  // END SOLUTION
}

/** m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t), given the powers β1^t and β2^t. */
function biasCorrect(m: tf.Tensor, v: tf.Tensor, beta1PowT: number, beta2PowT: number): { mHat: tf.Tensor; vHat: tf.Tensor } {
  // BEGIN SOLUTION adam.biasCorrection
  return tf.tidy(() => {
    const mHat = tf.div(m, 1 - beta1PowT); // m̂_t
    const vHat = tf.div(v, 1 - beta2PowT); // v̂_t
    return { mHat, vHat };
  });
  // STUDENT EDITION
  // return yours.answer<typeof adamBiasCorrection>("adamBiasCorrection")(m, v, 1, beta1PowT, beta2PowT); // 1 − (β^t)¹ = 1 − β^t
  // END SOLUTION
}

/**
 * β^t as tfjs computes it: t float32 multiplications, each rounded to float32, and
 * 1 − β^t rounded to float32. Returned as the value whose 1 − x equals that float32 difference.
 */
export function float32BetaPower(beta: number, t: number): number {
  const b = Math.fround(beta);
  let acc = b;
  for (let i = 1; i < t; i++) acc = Math.fround(acc * b);
  return 1 - Math.fround(1 - acc);
}

/** √v̂ + ε (paper) or √(v̂ + ε) (lecture). */
export function adamDenominator(vHat: tf.Tensor, eps: number, form: AdamDenominator): tf.Tensor {
  switch (form) {
    case "paper":
      return tf.add(tf.sqrt(vHat), eps);
    case "lecture":
      return tf.sqrt(tf.add(vHat, eps));
    default:
      return assertNever(form);
  }
}

/** Adam's update rule as `adamUpdate` applies it: the paper's symbols, and where the numerics differ. */
export interface AdamRule {
  /** α, the step size. */
  readonly lr: number;
  /** β1, decay of the first moment. */
  readonly beta1: number;
  /** β2, decay of the second moment. */
  readonly beta2: number;
  /** ε. */
  readonly eps: number;
  /** Where ε is added. @default "paper" */
  readonly denominator?: AdamDenominator;
  /** How β1^t and β2^t are computed (see `AdamOptions`). @default "float64" */
  readonly betaPowerArithmetic?: BetaPowerArithmetic;
}

/**
 * The direction of Adam's step t: the new moments and m̂_t / (√v̂_t + ε), before it is
 * scaled by α. AdamW (adamw.ts) moves w along it with its own decay term.
 */
export function adamDirection(g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, t: number, rule: AdamRule): { direction: tf.Tensor; m: tf.Tensor; v: tf.Tensor } {
  // BEGIN SOLUTION adam.step
  return tf.tidy(() => {
    const moments = adamMoments(m, v, g, rule.beta1, rule.beta2); // m_t, v_t
    const { mHat, vHat } = biasCorrection(moments.m, moments.v, t, rule); // m̂_t, v̂_t
    const denominator = adamDenominator(vHat, rule.eps, rule.denominator ?? "paper"); // √v̂_t + ε
    const direction = tf.div(mHat, denominator); // m̂_t / (√v̂_t + ε)
    return { direction, m: moments.m, v: moments.v };
  });
  // STUDENT EDITION KEEPS THIS BODY
  // END SOLUTION
}

/** m̂_t and v̂_t with β^t computed as `rule.betaPowerArithmetic` says. */
function biasCorrection(m: tf.Tensor, v: tf.Tensor, t: number, rule: AdamRule): { mHat: tf.Tensor; vHat: tf.Tensor } {
  const arithmetic = rule.betaPowerArithmetic ?? "float64";
  switch (arithmetic) {
    case "float64":
      return adamBiasCorrection(m, v, t, rule.beta1, rule.beta2);
    case "float32":
      return biasCorrect(m, v, float32BetaPower(rule.beta1, t), float32BetaPower(rule.beta2, t));
    default:
      return assertNever(arithmetic);
  }
}

/**
 * Adam's update at step t ≥ 1, written once for the whole library: `adamStep`, the
 * `AdamOptimizer` class and the data-parallel replicas (parallel/replica-optimizer.ts)
 * all call it. Algorithm 1, lines 7–11 (Kingma & Ba 2015):
 *
 *   m_t = β1 m_{t−1} + (1 − β1) g_t,   v_t = β2 v_{t−1} + (1 − β2) g_t²
 *   m̂_t = m_t / (1 − β1^t),   v̂_t = v_t / (1 − β2^t)
 *   w_t = w_{t−1} − α m̂_t / (√v̂_t + ε)
 *
 * Inputs are not changed.
 * @param w parameters, any shape
 * @param g gradient at w, same shape
 * @param m first moment m_{t−1}, same shape
 * @param v second moment v_{t−1}, same shape
 * @param t the step being taken (1 for the first)
 * @returns `{ w, m, v }` after the step
 */
export function adamUpdate(w: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, t: number, rule: AdamRule): { w: tf.Tensor; m: tf.Tensor; v: tf.Tensor } {
  // BEGIN SOLUTION adam.step
  return tf.tidy(() => {
    const step = adamDirection(g, m, v, t, rule);
    const wNext = tf.sub(w, tf.mul(rule.lr, step.direction)); // w_t = w_{t−1} − α · direction
    return { w: wNext, m: step.m, v: step.v };
  });
  // STUDENT EDITION KEEPS THIS BODY
  // END SOLUTION
}

/**
 * One full Adam step (Algorithm 1): t ← t + 1, update the moments, correct their bias,
 * and move w by −α m̂ / (√v̂ + ε). Inputs are not changed.
 * The answer to the graded question `adam.step`.
 * @param w parameters, any shape
 * @param g gradient at w, same shape
 * @param state `{ m, v, t }` from the previous step (`{ m: zeros, v: zeros, t: 0 }` at first)
 * @param hp `{ lr, beta1, beta2, eps }`
 * @returns `{ w, m, v, t }` after the step
 * @example
 *   // first step, g = [2], α = 0.1: m̂ = 2, v̂ = 4, w ← w − 0.1·2/(2 + ε) ≈ w − 0.1
 */
export function adamStep(
  w: tf.Tensor,
  g: tf.Tensor,
  state: AdamState,
  hp: AdamHyperparameters,
): { w: tf.Tensor; m: tf.Tensor; v: tf.Tensor; t: number } {
  // BEGIN SOLUTION adam.step
  const t = state.t + 1;
  return { ...adamUpdate(w, g, state.m, state.v, t, hp), t };
  // STUDENT EDITION KEEPS THIS BODY
  // END SOLUTION
}

/** Adam as an `Optimizer`; with `eps: 1e-7` it matches `tf.train.adam(lr)` (tested). */
export class AdamOptimizer extends OptimizerBase {
  readonly kind: "adam" | "adamw" = "adam";
  readonly slotNames: readonly string[] = ["m", "v"];
  /** α, the step size. */
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly denominator: AdamDenominator;
  readonly betaPowerArithmetic: BetaPowerArithmetic;

  constructor(options: AdamOptions = {}) {
    super();
    // BEGIN SOLUTION adam.step
    this.lr = options.lr ?? 0.001;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.denominator = options.denominator ?? "paper";
    this.betaPowerArithmetic = options.betaPowerArithmetic ?? "float64";
    expectPositive("lr", this.lr, "The paper's default is 0.001.");
    expectInRange("beta1", this.beta1, 0, 1, "Typical values: 0.9 (beta1, momentum), 0.999 (beta2).");
    expectInRange("beta2", this.beta2, 0, 1, "Typical values: 0.9 (beta1, momentum), 0.999 (beta2).");
    expectPositive("eps", this.eps, "The paper's default is 1e-8 (tfjs: 1e-7).");
    // STUDENT EDITION KEEPS THIS BODY
    // END SOLUTION
  }

  protected update(w: tf.Tensor, g: tf.Tensor, slots: SlotMap, t: number): UpdateResult {
    // BEGIN SOLUTION adam.step
    const next = adamUpdate(w, g, slots.m!, slots.v!, t, this);
    return { w: next.w, slots: { m: next.m, v: next.v } };
    // STUDENT EDITION KEEPS THIS BODY
    // END SOLUTION
  }
}

/** Factory with the paper's defaults: `adam({ lr: 0.01 })`. */
export function adam(options: AdamOptions = {}): AdamOptimizer {
  // BEGIN SOLUTION adam.step
  return new AdamOptimizer(options);
  // STUDENT EDITION KEEPS THIS BODY
  // END SOLUTION
}
