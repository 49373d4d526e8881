/**
 * SGD and Adam on a flat Float32Array, as each simulated worker applies them to
 * its replica (or, under ZeRO, to the partition it owns).
 *
 * The update rules are the optimization unit's, not copies: SGD is `gdUpdate`
 * (w ← w − η·g, optim/gradient-descent.ts) and Adam is `adamUpdate` (Kingma & Ba
 * 2015, Algorithm 1, optim/adam.ts), applied to the worker's buffers as float32
 * tensors. Both are elementwise, so updating a slice gives bit for bit what updating
 * the whole array gives on that slice: the property ZeRO relies on.
 *
 * State is float32 (the simulation's precision): Adam keeps m and v, 8 bytes per
 * parameter; SGD keeps nothing. The buffers compute with TensorFlow.js, so start it
 * first (`await initTensors()`, the notebooks' first cell).
 */
import { expectNonNegative, expectPositive } from "../foundation/validate";
import { assertNever } from "../foundation/assert-never";
import { FLOAT32_BYTES } from "../foundation/units";
import { adamUpdate, type AdamRule, type BetaPowerArithmetic } from "../optim/adam";
import { gdUpdate } from "../optim/gradient-descent";
import { expectTensorsStarted, tf } from "../tensor";

/** Plain SGD. */
export interface ReplicaSgdConfig {
  readonly kind: "sgd";
  /** η, the learning rate. */
  readonly lr: number;
}

/** Adam with the paper's defaults. */
export interface ReplicaAdamConfig {
  readonly kind: "adam";
  /** α, the step size (Kingma & Ba's α). */
  readonly lr: number;
  /** @default 0.9 */
  readonly beta1?: number;
  /** @default 0.999 */
  readonly beta2?: number;
  /** @default 1e-8 */
  readonly eps?: number;
  /** How β^t is computed; `"float32"` reproduces `tf.train.adam` (see `AdamOptions`). @default "float64" */
  readonly betaPowerArithmetic?: BetaPowerArithmetic;
}

export type ReplicaOptimizerConfig = ReplicaSgdConfig | ReplicaAdamConfig;

/** Optimizer state for `length` parameters. */
export interface ReplicaOptimizerState {
  readonly config: ReplicaOptimizerConfig;
  /** steps taken */
  t: number;
  /** first moment [length] (empty for SGD) */
  readonly m: Float32Array;
  /** second moment [length] (empty for SGD) */
  readonly v: Float32Array;
}

/** Fresh state for `length` parameters. */
export function createReplicaOptimizer(config: ReplicaOptimizerConfig, length: number): ReplicaOptimizerState {
  expectPositive("lr", config.lr);
  switch (config.kind) {
    case "sgd":
      return { config, t: 0, m: new Float32Array(0), v: new Float32Array(0) };
    case "adam":
      return { config, t: 0, m: new Float32Array(length), v: new Float32Array(length) };
    default:
      return assertNever(config);
  }
}

/** Bytes the state holds: 4 per float32 of m and v. */
export function replicaOptimizerBytes(state: ReplicaOptimizerState): number {
  return (state.m.length + state.v.length) * FLOAT32_BYTES;
}

/** A float32 tensor holding a copy of `buffer` ([length]). */
function tensorOf(buffer: Float32Array): tf.Tensor1D {
  return tf.tensor1d(buffer.slice());
}

/**
 * One update of `w` in place with gradient `g` (same length as the state).
 * @param w parameters [length]
 * @param g gradient [length]
 */
export function replicaOptimizerUpdate(state: ReplicaOptimizerState, w: Float32Array, g: Float32Array): void {
  if (w.length !== g.length) {
    throw new Error(`Expected parameters and gradient of equal length, got ${w.length} and ${g.length}.`);
  }
  const { config } = state;
  state.t += 1;
  switch (config.kind) {
    case "sgd": {
      if (w.length === 0) return;
      expectTensorsStarted("The SGD update of a replica");
      tf.tidy(() => w.set(gdUpdate(tensorOf(w), tensorOf(g), config.lr).dataSync())); // w ← w − η·g
      return;
    }
    case "adam": {
      if (state.m.length !== w.length) {
        throw new Error(`Expected parameters of length ${state.m.length} (the optimizer state), got ${w.length}.`);
      }
      const rule: AdamRule = {
        lr: config.lr,
        beta1: config.beta1 ?? 0.9,
        beta2: config.beta2 ?? 0.999,
        eps: config.eps ?? 1e-8,
        betaPowerArithmetic: config.betaPowerArithmetic ?? "float64",
      };
      expectNonNegative("eps", rule.eps);
      if (w.length === 0) return;
      expectTensorsStarted("The Adam update of a replica");
      tf.tidy(() => {
        const next = adamUpdate(tensorOf(w), tensorOf(g), tensorOf(state.m), tensorOf(state.v), state.t, rule);
        w.set(next.w.dataSync()); // w_t
        state.m.set(next.m.dataSync()); // m_t
        state.v.set(next.v.dataSync()); // v_t
      });
      return;
    }
    default:
      assertNever(config);
  }
}
