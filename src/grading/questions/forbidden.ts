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

/**
 * memory.zeroPerDevice: the library's ZeRO byte model. Lab 03's notebook needs it working (its
 * simulation's bars are checked against it), so no edition stubs it; the grader refuses it instead.
 */
export const ZERO_BYTES_BY_HAND: ForbiddenName = {
  name: "lab.zeroStateBytes",
  why: "it is the library's ZeRO byte model (lab 03); write the per-device bytes of each stage yourself",
};

/** memory.fitsOnGpu: the library's headroom arithmetic, capacity · (1 − f) − overhead. */
export const HEADROOM_BY_HAND: ForbiddenName = {
  name: "lab.availableDeviceBytes",
  why: "it is the library's headroom arithmetic; compute what the job may use yourself",
};
