/**
 * AdamW: Adam with decoupled weight decay.
 *
 * Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019, Algorithm 2
 * (https://arxiv.org/abs/1711.05101), lines 6–12, without the L2 term in g_t:
 *
 *   m_t = β1 m_{t−1} + (1 − β1) g_t
 *   v_t = β2 v_{t−1} + (1 − β2) g_t²
 *   m̂_t = m_t / (1 − β1^t),  v̂_t = v_t / (1 − β2^t)
 *   w_t = w_{t−1} − η_t ( α m̂_t / (√v̂_t + ε) + λ w_{t−1} )
 *
 * The decay λ w acts on the weights directly instead of being added to g (which Adam
 * would then rescale by 1/√v̂). η_t is the schedule multiplier (here constant).
 * PyTorch's `torch.optim.AdamW` multiplies the decay by the learning rate
 * (w ← w − lr·λ_torch·w): the paper's λ equals lr·λ_torch.
 */
import { tf } from "../tensor";
import { AdamOptimizer, adamDirection, type AdamOptions } from "./adam";
import type { SlotMap, UpdateResult } from "./optimizer";

export interface AdamWOptions extends AdamOptions {
  /** λ, decoupled weight decay per step (NOT multiplied by α). @default 1e-4 */
  readonly weightDecay?: number;
  /** η_t, the schedule multiplier (constant here). @default 1 */
  readonly scheduleMultiplier?: number;
}

export class AdamWOptimizer extends AdamOptimizer {
  override readonly kind = "adamw" as const;
  readonly weightDecay: number;
  readonly scheduleMultiplier: number;

  constructor(options: AdamWOptions = {}) {
    super(options);
    // BEGIN SOLUTION adam.step
    this.weightDecay = options.weightDecay ?? 1e-4;
    this.scheduleMultiplier = options.scheduleMultiplier ?? 1;
    if (!(Number.isFinite(this.weightDecay) && this.weightDecay >= 0)) {
      throw new Error(`Expected weightDecay to be a finite number >= 0, got ${this.weightDecay}. Use 0 for plain Adam.`);
    }
    if (!(Number.isFinite(this.scheduleMultiplier) && this.scheduleMultiplier > 0)) {
      throw new Error(`Expected scheduleMultiplier to be a finite number > 0, got ${this.scheduleMultiplier}. Use 1 for no schedule.`);
    }
    // STUDENT EDITION KEEPS THIS BODY
    // END SOLUTION
  }

  protected override update(w: tf.Tensor, g: tf.Tensor, slots: SlotMap, t: number): UpdateResult {
    // BEGIN SOLUTION adam.step
    const alpha = this.lr;
    const lambda = this.weightDecay;
    const etaT = this.scheduleMultiplier;
    const step = adamDirection(g, slots.m!, slots.v!, t, this); // m_t, v_t and m̂_t / (√v̂_t + ε), lines 6–11
    const adamTerm = tf.mul(alpha, step.direction); // α m̂_t / (√v̂_t + ε)
    const decay = tf.mul(lambda, w); // λ w_{t−1}
    const wNext = tf.sub(w, tf.mul(etaT, tf.add(adamTerm, decay))); // w_t = w_{t−1} − η_t (… + λ w_{t−1}), line 12
    return { w: wNext, slots: { m: step.m, v: step.v } };
    // STUDENT EDITION KEEPS THIS BODY
    // END SOLUTION
  }
}

/** Factory: `adamw({ lr: 0.001, weightDecay: 1e-4 })`. */
export function adamw(options: AdamWOptions = {}): AdamWOptimizer {
  // BEGIN SOLUTION adam.step
  return new AdamWOptimizer(options);
  // STUDENT EDITION KEEPS THIS BODY
  // END SOLUTION
}
