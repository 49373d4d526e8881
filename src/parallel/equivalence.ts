/**
 * How far apart two parameter vectors are, for checking that data parallelism
 * (or ZeRO) trains the same model as one worker with the whole batch.
 *
 *   relativeDifference(a, b) = ‖a − b‖∞ / ‖b‖∞ = max_j |a_j − b_j| / max_j |b_j|
 *
 * The norm-wise form (Higham 2002, "Accuracy and Stability of Numerical
 * Algorithms", §1.2) is used rather than max_j |a_j − b_j| / |b_j|: a parameter that
 * passes through 0 would make the element-wise ratio meaningless, although the two
 * runs agree to float32 rounding.
 */

/**
 * ‖a − b‖∞ / ‖b‖∞ (0 when both are all zeros).
 * @example parameterRelativeDifference(new Float32Array([1, 2]), new Float32Array([1, 2.5])) // 0.5 / 2.5 = 0.2
 */
export function parameterRelativeDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) {
    throw new Error(`Expected parameter vectors of equal length, got ${a.length} and ${b.length}.`);
  }
  let diff = 0; // ‖a − b‖∞
  let scale = 0; // ‖b‖∞
  for (let j = 0; j < a.length; j++) {
    diff = Math.max(diff, Math.abs(a[j]! - b[j]!));
    scale = Math.max(scale, Math.abs(b[j]!));
  }
  if (diff === 0) return 0;
  return diff / scale;
}
