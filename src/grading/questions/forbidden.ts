/**
 * Names answer cells must not use, shared by several questions (`Question.forbidden`).
 * A question's own references (the library exports that compute its answer) are listed
 * with the question, in `references`.
 */
import type { ForbiddenName } from "../question";

/** Optimizer questions: the update is the exercise, so TensorFlow.js's optimizers are off limits. */
export const OPTIMIZER_BY_HAND: ForbiddenName = {
  name: "tf.train",
  why: "write the update yourself instead of calling a TensorFlow.js optimizer",
};
