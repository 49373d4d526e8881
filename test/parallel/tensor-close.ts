import { expect } from "vitest";
import type { tf } from "../../src/tensor";

/** Same shape, and every entry within `tolerance` relative difference (|r − e| / (1 + |e|)) of the expected tensor. */
export function expectTensorClose(received: tf.Tensor, expected: tf.Tensor, tolerance = 1e-4): void {
  expect(received.shape).toEqual(expected.shape);
  const r = received.dataSync();
  const e = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(r[i]! - e[i]!) / (1 + Math.abs(e[i]!)));
  expect(worst, "largest relative difference").toBeLessThan(tolerance);
}
