/**
 * SGD and Adam on a flat Float32Array, as each simulated worker applies them to
 * its replica (or, under ZeRO, to the partition it owns). Every element is
 * updated on its own, so updating a slice gives bit for bit what updating the
 * whole array gives on that slice: the property ZeRO relies on.
 *
 * SGD:  w ← w − η·g
 * Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1):
 *   t ← t + 1
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)
 *   w ← w − η·m̂ / (√v̂ + ε)
 * State is float32 (the simulation's precision): Adam keeps m and v, 8 bytes per
 * parameter; SGD keeps nothing.
 */
import { assertNever, expectNonNegative, expectPositive } from "./validate";

/** Plain SGD. */
export interface ReplicaSgdConfig {
  readonly kind: "sgd";
  /** η */
  readonly learningRate: number;
}

/** Adam with the paper's defaults. */
export interface ReplicaAdamConfig {
  readonly kind: "adam";
  /** η */
  readonly learningRate: number;
  /** @default 0.9 */
  readonly beta1?: number;
  /** @default 0.999 */
  readonly beta2?: number;
  /** @default 1e-8 */
  readonly eps?: number;
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
  expectPositive("learningRate", config.learningRate);
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
  return (state.m.length + state.v.length) * 4;
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
      const eta = config.learningRate;
      for (let j = 0; j < w.length; j++) w[j] = w[j]! - eta * g[j]!;
      return;
    }
    case "adam": {
      if (state.m.length !== w.length) {
        throw new Error(`Expected parameters of length ${state.m.length} (the optimizer state), got ${w.length}.`);
      }
      const eta = config.learningRate;
      const beta1 = config.beta1 ?? 0.9;
      const beta2 = config.beta2 ?? 0.999;
      const eps = config.eps ?? 1e-8;
      expectNonNegative("eps", eps);
      const { m, v, t } = state;
      const c1 = 1 - beta1 ** t; // bias correction of m
      const c2 = 1 - beta2 ** t; // bias correction of v
      for (let j = 0; j < w.length; j++) {
        const gj = g[j]!;
        m[j] = beta1 * m[j]! + (1 - beta1) * gj;
        v[j] = beta2 * v[j]! + (1 - beta2) * gj * gj;
        const mHat = m[j]! / c1;
        const vHat = v[j]! / c2;
        w[j] = w[j]! - (eta * mHat) / (Math.sqrt(vHat) + eps);
      }
      return;
    }
    default:
      assertNever(config);
  }
}
