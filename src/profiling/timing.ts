/**
 * Timing tensor work honestly: warm-up excluded, enough repetitions to rise above the
 * clock's resolution, the median of several measurements (robust to a busy machine).
 *
 * TensorFlow.js may run kernels asynchronously (WebGL) or synchronously (wasm, cpu,
 * tfjs-node); reading the last result's data waits for every queued kernel, so the clock
 * stops when the work is done on any backend.
 */
import { tf } from "../tensor";

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("Expected at least one value to take the median of.");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Options of `timeTensorOp`. */
export interface TimeOpOptions {
  /** Untimed runs first (compilation, allocation). @default 1 */
  readonly warmup?: number;
  /** Measurements; the median is reported. @default 5 */
  readonly measurements?: number;
  /** Each measurement lasts at least this long (s), repeating the op. @default 0.01 */
  readonly minSeconds?: number;
  /** Repetitions per measurement at most. @default 1000 */
  readonly maxRepeats?: number;
}

/** Seconds one call of `op` takes: the median over measurements of (batch time ÷ repetitions). */
export async function timeTensorOp(op: () => tf.Tensor, options: TimeOpOptions = {}): Promise<number> {
  const warmup = options.warmup ?? 1;
  const measurements = options.measurements ?? 5;
  const minSeconds = options.minSeconds ?? 0.01;
  const maxRepeats = options.maxRepeats ?? 1000;
  const runBatch = async (repeats: number): Promise<number> => {
    const start = performance.now();
    let last: tf.Tensor | undefined;
    for (let r = 0; r < repeats; r++) {
      last?.dispose();
      last = op();
    }
    await last!.data(); // waits for every queued kernel
    last!.dispose();
    return (performance.now() - start) / 1000;
  };
  for (let w = 0; w < warmup; w++) await runBatch(1);
  const once = await runBatch(1);
  const repeats = Math.max(1, Math.min(maxRepeats, Math.ceil(minSeconds / Math.max(once, 1e-6))));
  const perCall: number[] = [];
  for (let m = 0; m < measurements; m++) perCall.push((await runBatch(repeats)) / repeats);
  return median(perCall);
}
