/**
 * Types shared by several units: the datasets define objectives, the optimizers
 * follow their gradients and the plots draw their contours.
 */

/** A smooth function of two variables with its gradient, for trajectory experiments. */
export interface Objective2D {
  readonly name: string;
  value(x: number, y: number): number;
  gradient(x: number, y: number): readonly [number, number];
  /** Where the minimum is. */
  readonly minimum: readonly [number, number];
  /** A customary starting point. */
  readonly start: readonly [number, number];
}
