/**
 * Our optimizer against TensorFlow.js's on the same model: the experiment behind the
 * "compare against tf.train.adam" table of lab 2 and the equivalence tests.
 *
 * Two copies of a model start from the same parameters. At every step each copy
 * computes its gradients with the model's own (hand-written) backward pass at its own
 * parameters; one copy is updated by our optimizer, the other by `tf.train.*`. Any
 * difference therefore comes from the update rules alone.
 */
import { tf } from "../tensor";
import type { Model } from "./model";
import { maxRelativeDifference } from "../optim/compare";
import type { Optimizer } from "../optim/optimizer";

export interface OptimizerComparisonRow {
  /** Parameter name. */
  readonly name: string;
  /** Number of scalars in it. */
  readonly size: number;
  /** max_i |ours_i − tfjs_i| / max(|tfjs_i|, 1e-6) after the last step. */
  readonly maxRelativeDifference: number;
}

export interface OptimizerComparison {
  readonly steps: number;
  readonly rows: readonly OptimizerComparisonRow[];
  /** The largest difference over all parameters. */
  readonly worst: number;
}

/**
 * Run `steps` updates of `ours` and `theirs` on two copies of a model (built by
 * `makeModel`, which must return identical models on each call) and compare the
 * parameters. Both optimizers and models are disposed/reset afterwards.
 * @example
 *   const cmp = compareWithTfjsOptimizer(() => mlp({ inputs: 4, classes: 3 }, createRng(0)),
 *     adam({ lr: 0.01, eps: 1e-7, betaPowerArithmetic: "float32" }), tf.train.adam(0.01), X, Y, 200);
 *   cmp.worst; // 0 on this machine: bit for bit
 */
export function compareWithTfjsOptimizer(
  makeModel: () => Model,
  ours: Optimizer,
  theirs: tf.Optimizer,
  X: tf.Tensor2D,
  Y: tf.Tensor2D,
  steps: number,
): OptimizerComparison {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`Expected steps to be an integer >= 1, got ${steps}.`);
  const a = makeModel();
  const b = makeModel();
  try {
    for (const [name, p] of Object.entries(a.params)) {
      if (maxRelativeDifference(p, b.params[name]!) !== 0) {
        throw new Error(`makeModel() must build identical models (parameter "${name}" differs): create its Rng inside makeModel.`);
      }
    }
    for (let t = 1; t <= steps; t++) {
      tf.tidy(() => {
        ours.step(a.params, a.lossAndGradients(X, Y).grads);
        const gb = b.lossAndGradients(X, Y).grads;
        const named: tf.NamedTensorMap = {};
        for (const [k, v] of Object.entries(b.params)) named[v.name] = gb[k]!;
        theirs.applyGradients(named);
      });
    }
    const rows = Object.entries(a.params).map(([name, p]) => ({
      name,
      size: p.size,
      maxRelativeDifference: maxRelativeDifference(p, b.params[name]!),
    }));
    return { steps, rows, worst: Math.max(...rows.map((r) => r.maxRelativeDifference)) };
  } finally {
    a.dispose();
    b.dispose();
    ours.reset();
    theirs.dispose();
  }
}
