/**
 * Run an `Optimizer` on a 2-D objective and record the path, for plots of trajectories
 * over loss contours (lab 1 and lab 2: GD vs momentum vs Adam on an ill-conditioned bowl).
 */
import { tf } from "../tensor";
import type { Objective2D } from "../foundation/objective";
import type { Optimizer } from "./optimizer";

export interface Trajectory {
  /** Points visited, starting with the start point: steps + 1 entries. */
  readonly points: readonly (readonly [number, number])[];
  /** f at each point. */
  readonly values: readonly number[];
}

/**
 * Take `steps` optimizer steps on `objective` from `start` (default: the objective's own).
 * @example
 *   const path = optimizeObjective(illConditionedQuadratic({ condition: 20 }), adam({ lr: 0.1 }), 100);
 */
export function optimizeObjective(
  objective: Objective2D,
  optimizer: Optimizer,
  steps: number,
  start: readonly [number, number] = objective.start,
): Trajectory {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`Expected steps to be an integer >= 0, got ${steps}.`);
  const w = tf.tidy(() => tf.variable(tf.tensor1d([start[0], start[1]])));
  const points: (readonly [number, number])[] = [[start[0], start[1]]];
  const values: number[] = [objective.value(start[0], start[1])];
  try {
    for (let t = 1; t <= steps; t++) {
      const [x, y] = points[points.length - 1]!;
      const g = tf.tensor1d(Array.from(objective.gradient(x, y)));
      optimizer.step({ w }, { w: g });
      g.dispose();
      const next = w.dataSync();
      points.push([next[0]!, next[1]!]);
      values.push(objective.value(next[0]!, next[1]!));
    }
  } finally {
    w.dispose();
  }
  return { points, values };
}
