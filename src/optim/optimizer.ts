/**
 * The common shape of every optimizer in the labs.
 *
 * Layout borrowed from tfjs-core's optimizers (`tfjs-core/src/optimizers/`): a base
 * class owns the bookkeeping (step counter, lazily created state slots, memory
 * hygiene) and a subclass holds only its update rule, written one equation per line.
 *
 * Parameters are `tf.Variable`s updated in place; gradients are plain tensors with the
 * same names. Optimizer state ("slots": velocity, first and second moments, ...) is
 * one tensor per parameter per slot, created as zeros on the first step, inspectable
 * with `state()`, measured with `stateBytes()` and cleared with `reset()`.
 */
import { FLOAT32_BYTES } from "../foundation/units";
import { tf } from "../tensor";

/** Trainable parameters by name, updated in place. */
export type ParamMap = Readonly<Record<string, tf.Variable>>;
/** Gradients by parameter name; each has its parameter's shape. */
export type GradMap = Readonly<Record<string, tf.Tensor>>;
/** State slots of one parameter, by slot name (e.g. `{ m, v }`). */
export type SlotMap = Readonly<Record<string, tf.Tensor>>;

/** The optimizers this library implements. */
export type OptimizerKind = "sgd" | "momentum" | "adam" | "adamw";

export interface Optimizer {
  readonly kind: OptimizerKind;
  /** t: the number of steps taken since creation or the last `reset()`. */
  readonly iterations: number;
  /** Names of the per-parameter state slots (`[]` for plain SGD, `["m", "v"]` for Adam). */
  readonly slotNames: readonly string[];
  /** Apply one update to every parameter that has a gradient; t ← t + 1. */
  step(params: ParamMap, grads: GradMap): void;
  /** Current state per parameter: `state().w.m` is the first moment of `w`. Read-only views. */
  state(): Readonly<Record<string, SlotMap>>;
  /** Bytes held by the state slots (float32: 4 bytes per element). */
  stateBytes(): number;
  /** Dispose every slot and set t back to 0. */
  reset(): void;
}

/** What an update rule returns: the new parameter value and the new slots. */
export interface UpdateResult {
  readonly w: tf.Tensor;
  readonly slots: SlotMap;
}

/**
 * Shared bookkeeping. A subclass names its slots and implements `update`, which
 * receives the step number t (1 for the first step, as in Kingma & Ba, Algorithm 1).
 */
export abstract class OptimizerBase implements Optimizer {
  abstract readonly kind: OptimizerKind;
  abstract readonly slotNames: readonly string[];
  private t = 0;
  private readonly slots = new Map<string, Record<string, tf.Variable>>();

  get iterations(): number {
    return this.t;
  }

  /** The update rule for one parameter at step t (called inside `tf.tidy`). */
  protected abstract update(w: tf.Tensor, g: tf.Tensor, slots: SlotMap, t: number): UpdateResult;

  step(params: ParamMap, grads: GradMap): void {
    for (const name of Object.keys(grads)) {
      if (!(name in params)) {
        throw new Error(
          `Gradient "${name}" has no parameter of that name (parameters: ${Object.keys(params).join(", ")}). ` +
            "Pass gradients keyed like the parameters.",
        );
      }
    }
    for (const [name, w] of Object.entries(params)) {
      const g = grads[name];
      if (g !== undefined && g.shape.join(",") !== w.shape.join(",")) {
        throw new Error(`Gradient "${name}" has shape [${g.shape}] but its parameter has shape [${w.shape}].`);
      }
    }
    this.t += 1;
    const t = this.t;
    // One scope for the whole step (as tfjs-core does): every intermediate tensor of
    // every parameter's update is freed when it closes; variables survive.
    tf.tidy(() => {
      for (const [name, w] of Object.entries(params)) {
        const g = grads[name];
        if (g === undefined) continue;
        const slots = this.slotsOf(name, w);
        const result = this.update(w, g, slots, t);
        w.assign(result.w);
        for (const slot of this.slotNames) slots[slot]!.assign(result.slots[slot]!);
      }
    });
  }

  state(): Readonly<Record<string, SlotMap>> {
    return Object.fromEntries(this.slots.entries());
  }

  stateBytes(): number {
    let bytes = 0;
    for (const slotMap of this.slots.values()) {
      for (const s of Object.values(slotMap)) bytes += s.size * FLOAT32_BYTES;
    }
    return bytes;
  }

  reset(): void {
    for (const slotMap of this.slots.values()) for (const s of Object.values(slotMap)) s.dispose();
    this.slots.clear();
    this.t = 0;
  }

  private slotsOf(name: string, w: tf.Tensor): Record<string, tf.Variable> {
    let s = this.slots.get(name);
    if (s === undefined && this.slotNames.length === 0) return {}; // stateless (SGD): nothing to keep
    if (s === undefined) {
      s = {};
      for (const slot of this.slotNames) s[slot] = tf.tidy(() => tf.variable(tf.zerosLike(w), false)); // zeros, not trainable
      this.slots.set(name, s);
    }
    return s;
  }
}
