/**
 * How far apart two sets of parameters are: the measure used to compare our
 * optimizers with TensorFlow.js's (`tf.train.*`) and a student's answer with the reference.
 *
 *   relDiff(a, b) = max_i |a_i − b_i| / max(|b_i|, floor)
 *
 * The floor keeps entries that are (nearly) zero in the reference from turning
 * rounding noise into a huge "relative" error.
 */
import { tf } from "../tensor";

/**
 * Elementwise maximum relative difference of `a` from the reference `b`.
 * @param floor smallest denominator. @default 1e-6
 */
export function maxRelativeDifference(a: tf.Tensor | ArrayLike<number>, b: tf.Tensor | ArrayLike<number>, floor = 1e-6): number {
  const x = a instanceof tf.Tensor ? a.dataSync() : a;
  const y = b instanceof tf.Tensor ? b.dataSync() : b;
  if (x.length !== y.length) {
    throw new Error(`maxRelativeDifference: expected the same number of elements, got ${x.length} and ${y.length}.`);
  }
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]! - y[i]!) / Math.max(Math.abs(y[i]!), floor);
    if (!(d <= worst)) worst = d; // NaN propagates as the worst case
  }
  return worst;
}

/** maxRelativeDifference over every entry of two parameter maps with the same names. */
export function maxRelativeDifferenceOfParams(
  a: Readonly<Record<string, tf.Tensor>>,
  b: Readonly<Record<string, tf.Tensor>>,
  floor = 1e-6,
): number {
  let worst = 0;
  for (const name of Object.keys(b)) {
    const x = a[name];
    if (x === undefined) throw new Error(`maxRelativeDifferenceOfParams: "${name}" is missing from the first map.`);
    const d = maxRelativeDifference(x, b[name]!, floor);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

/**
 * Relative error in the max norm: ‖a − b‖∞ / ‖b‖∞. The measure for gradient checks,
 * where tiny entries of the reference carry only float32 rounding noise
 * (cf. Nocedal & Wright, *Numerical Optimization*, 2006, §8.1 on checking derivatives).
 */
export function normRelativeDifference(a: tf.Tensor | ArrayLike<number>, b: tf.Tensor | ArrayLike<number>): number {
  const x = a instanceof tf.Tensor ? a.dataSync() : a;
  const y = b instanceof tf.Tensor ? b.dataSync() : b;
  if (x.length !== y.length) {
    throw new Error(`normRelativeDifference: expected the same number of elements, got ${x.length} and ${y.length}.`);
  }
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  if (Number.isNaN(diff)) return Number.NaN;
  return scale === 0 ? diff : diff / scale;
}
