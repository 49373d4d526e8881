/**
 * An Adam step checked against `tf.train.adam` over a training run: the table of
 * lab 2, section 7.
 *
 * Two identical copies of a model train full-batch on the same data. At every step
 * each copy computes its gradients with the model's own (hand-written) backward pass
 * at its own parameters; one copy is updated by the step under test, the other by
 * TensorFlow.js's Adam (tfjs-core `adam_optimizer.ts`). The update is Algorithm 1 of
 * Kingma & Ba, *Adam: A Method for Stochastic Optimization*, ICLR 2015:
 *
 *   m_t = β1 m_{t−1} + (1 − β1) g_t,   v_t = β2 v_{t−1} + (1 − β2) g_t²,
 *   m̂_t = m_t / (1 − β1^t),   v̂_t = v_t / (1 − β2^t),   w_t = w_{t−1} − α m̂_t / (√v̂_t + ε).
 *
 * tfjs keeps β1^t and β2^t as running float32 products (its `accBeta1`, `accBeta2`
 * variables), so an implementation with exact powers differs by float32 rounding of
 * 1 − β2^t from the first step on; over many steps a deterministic but sensitive run
 * (a relu unit crossing its kink) can amplify that. `compareAdamWithTfjs` reports the
 * difference at chosen steps so the notebook can show both effects.
 */
import { tf } from "../tensor";
import type { Model } from "./model";
import { maxRelativeDifferenceOfParams, normRelativeDifference } from "../optim/compare";
import type { AdamHyperparameters, AdamState } from "../optim/adam";
import type { Optimizer } from "../optim/optimizer";

/** Updates a model's parameters in place from their gradients (one training step). */
export type ParameterUpdate = (params: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>) => void;

/** A functional Adam step, `adamStep(w, g, state, hp) -> { w, m, v, t }` (lab 2's answer, or `adamStep` of the library). */
export type AdamStepFunction = (w: tf.Tensor, g: tf.Tensor, state: AdamState, hp: AdamHyperparameters) => { w: tf.Tensor; m: tf.Tensor; v: tf.Tensor; t: number };

/**
 * A functional Adam step as a `ParameterUpdate`: one `{ m, v, t }` per parameter
 * tensor, starting from zeros and t = 0, kept across calls (outside `tf.tidy`).
 */
export function adamStepUpdate(step: AdamStepFunction, hp: AdamHyperparameters): ParameterUpdate {
  const states: Record<string, AdamState> = {};
  return (params, grads) => {
    for (const [name, p] of Object.entries(params)) {
      const state = states[name] ?? { m: tf.keep(tf.zerosLike(p)), v: tf.keep(tf.zerosLike(p)), t: 0 };
      const next = step(p, grads[name]!, state, hp);
      p.assign(next.w);
      tf.dispose([state.m, state.v]);
      states[name] = { m: tf.keep(next.m), v: tf.keep(next.v), t: next.t };
    }
  };
}

/** An `Optimizer` of the library as a `ParameterUpdate`. */
export function optimizerUpdate(optimizer: Optimizer): ParameterUpdate {
  return (params, grads) => optimizer.step(params, grads);
}

/** Options of `compareAdamWithTfjs`. */
export interface AdamComparisonOptions {
  /** Builds the model; must return identical models on each call (create its Rng inside). */
  readonly makeModel: () => Model;
  /** Training data, full batch: features [N, D] and one-hot labels [N, C]. */
  readonly X: tf.Tensor2D;
  readonly Y: tf.Tensor2D;
  /** Steps after which to measure, e.g. [1, 50, 200]. */
  readonly checkpoints: readonly number[];
  /** tf.train.adam's α. @default 0.01 */
  readonly lr?: number;
  /** tf.train.adam's ε (its default is 1e-7; the paper's 1e-8). @default 1e-7 */
  readonly tfjsEps?: number;
}

/** How far the step under test drifts from tf.train.adam. */
export interface AdamComparison {
  /** At each checkpoint: the worst parameter tensor's ‖ours − tfjs‖∞ / ‖tfjs‖∞. */
  readonly normwise: readonly number[];
  /** After the last checkpoint: the worst single entry, max_i |ours_i − tfjs_i| / max(|tfjs_i|, 1e-6). */
  readonly elementwise: number;
}

/**
 * Train two copies of a model, one with `update`, one with `tf.train.adam(α, 0.9, 0.999, ε)`,
 * and measure their parameters' difference at the checkpoints. Models and tfjs's
 * optimizer are disposed afterwards.
 * @example
 *   compareAdamWithTfjs(optimizerUpdate(adam({ lr: 0.01, eps: 1e-7, betaPowerArithmetic: "float32" })),
 *     { makeModel, X, Y, checkpoints: [1, 50, 200] }).normwise; // [0, 0, 0]: bit for bit
 */
export function compareAdamWithTfjs(update: ParameterUpdate, options: AdamComparisonOptions): AdamComparison {
  const checkpoints = [...options.checkpoints];
  if (checkpoints.length === 0 || checkpoints.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new Error(`Expected checkpoints to be integers >= 1, got [${checkpoints.join(", ")}].`);
  }
  const a = options.makeModel();
  const b = options.makeModel();
  const theirs = tf.train.adam(options.lr ?? 0.01, 0.9, 0.999, options.tfjsEps ?? 1e-7);
  const worstNormwise = (): number => Math.max(...Object.keys(b.params).map((name) => normRelativeDifference(a.params[name]!, b.params[name]!)));
  try {
    const normwise: number[] = [];
    for (let k = 1; k <= Math.max(...checkpoints); k++) {
      tf.tidy(() => {
        update(a.params, a.lossAndGradients(options.X, options.Y).grads);
        const gb = b.lossAndGradients(options.X, options.Y).grads;
        theirs.applyGradients(Object.entries(b.params).map(([name, v]) => ({ name: v.name, tensor: gb[name]! })));
      });
      if (checkpoints.includes(k)) normwise.push(worstNormwise());
    }
    return { normwise, elementwise: maxRelativeDifferenceOfParams(a.params, b.params) };
  } finally {
    a.dispose();
    b.dispose();
    theirs.dispose();
  }
}
