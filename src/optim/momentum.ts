/**
 * SGD with momentum (heavy ball).
 *
 * Polyak 1964; in the form used by tfjs (`tf.train.momentum`) and PyTorch (`torch.optim.SGD`):
 *
 *   u_t = μ u_{t−1} + g_t          (velocity: a running sum of past gradients, u_0 = 0)
 *   w_t = w_{t−1} − η u_t
 *
 * Sutskever et al. 2013 ("On the importance of initialization and momentum in deep
 * learning", ICML, eq. 1–2) write v_t = μ v_{t−1} − η g_t, w_t = w_{t−1} + v_t; with a
 * constant η the two are the same iteration (v_t = −η u_t). Along a direction where the
 * gradient is constant, u approaches g / (1 − μ): μ = 0.9 makes steps up to 10× larger.
 */
import { tf } from "../tensor";
import { OptimizerBase, type SlotMap, type UpdateResult } from "./optimizer";
import { expectPositive, expectInRange } from "../foundation/validate";

export interface MomentumOptions {
  /** η, the learning rate. @default 0.01 */
  readonly lr?: number;
  /** μ, the momentum coefficient in [0, 1). @default 0.9 */
  readonly momentum?: number;
}

/**
 * u ← μ u + g; w ← w − η u, functional form.
 * @returns the new parameter and velocity
 */
export function momentumUpdate(w: tf.Tensor, g: tf.Tensor, u: tf.Tensor, lr: number, mu: number): { w: tf.Tensor; u: tf.Tensor } {
  return tf.tidy(() => {
    const uNext = tf.add(tf.mul(mu, u), g); // u_t = μ u_{t−1} + g_t
    const wNext = tf.sub(w, tf.mul(lr, uNext)); // w_t = w_{t−1} − η u_t
    return { w: wNext, u: uNext };
  });
}

/** SGD with momentum; equivalent to `tf.train.momentum(lr, momentum)` (tested). */
export class MomentumOptimizer extends OptimizerBase {
  readonly kind = "momentum" as const;
  readonly slotNames: readonly string[] = ["u"];
  /** η, the learning rate. */
  readonly lr: number;
  readonly momentum: number;

  constructor(options: MomentumOptions = {}) {
    super();
    this.lr = options.lr ?? 0.01;
    this.momentum = options.momentum ?? 0.9;
    expectPositive("lr", this.lr, "Try 0.01 and adjust by factors of 3.");
    expectInRange("momentum", this.momentum, 0, 1, "Typical values: 0.9 (beta1, momentum), 0.999 (beta2).");
  }

  protected update(w: tf.Tensor, g: tf.Tensor, slots: SlotMap, _t: number): UpdateResult {
    const next = momentumUpdate(w, g, slots.u!, this.lr, this.momentum);
    return { w: next.w, slots: { u: next.u } };
  }
}

/** Factory with the defaults: `momentum({ lr: 0.01, momentum: 0.9 })`. */
export function momentum(options: MomentumOptions = {}): MomentumOptimizer {
  return new MomentumOptimizer(options);
}
