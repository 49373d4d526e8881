/**
 * What every model of the labs offers: parameters as variables, a forward pass, and
 * a backward pass written out by hand (checked against `tf.grad` in the tests).
 */
import { tf } from "../tensor";
import type { ParamMap } from "../optim/optimizer";

export type ModelKind = "linear-regression" | "softmax-regression" | "mlp";

/** Loss and the gradient of the loss with respect to every parameter (same names). */
export interface LossAndGradients {
  readonly loss: tf.Scalar;
  readonly grads: Readonly<Record<string, tf.Tensor>>;
}

export interface Model {
  readonly kind: ModelKind;
  /** Trainable parameters, updated in place by an `Optimizer`. */
  readonly params: ParamMap;
  /** Forward pass: predictions (regression) or logits (classification), [N, K]. */
  predict(X: tf.Tensor2D): tf.Tensor2D;
  /** The mean loss over the rows of X, using autodiff-friendly ops only (for `tf.grad` and `tf.train`). */
  loss(X: tf.Tensor2D, Y: tf.Tensor2D): tf.Scalar;
  /** Forward and backward pass by hand: the loss and ∂L/∂θ for every parameter θ. */
  lossAndGradients(X: tf.Tensor2D, Y: tf.Tensor2D): LossAndGradients;
  /** Number of scalar parameters. */
  parameterCount(): number;
  /** Free the parameter variables. */
  dispose(): void;
}

/** Sum of the sizes of the parameters. */
export function countParameters(params: ParamMap): number {
  return Object.values(params).reduce((sum, p) => sum + p.size, 0);
}

/** Dispose every variable of a parameter map. */
export function disposeParameters(params: ParamMap): void {
  for (const p of Object.values(params)) p.dispose();
}


/** Check X [N, D] against the model's input width. */
export function expectInputWidth(X: tf.Tensor, D: number, where: string): void {
  if (X.rank !== 2 || X.shape[1] !== D) {
    throw new Error(`${where}: expected X of shape [N, ${D}], got [${X.shape}]. Each row is one example with ${D} features.`);
  }
}
