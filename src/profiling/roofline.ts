/**
 * The roofline of this machine, measured (Williams, Waterman & Patterson 2009, "Roofline: an
 * insightful visual performance model for multicore architectures").
 *
 * An operation doing F FLOPs while moving Q bytes to and from memory has arithmetic
 * intensity I = F/Q (FLOP/byte). It can run no faster than
 *
 *   attainable(I) = min(peak FLOP/s, bandwidth · I),
 *
 * so low-intensity operations are memory-bound (the sloped roof) and high-intensity ones
 * compute-bound (the flat roof). Here both ceilings are *measured* on the tensor backend in
 * use: the peak is the best FLOP/s of a sweep of square fp32 matrix multiplications
 * (2n³ FLOPs over 3 · 4n² bytes: I = n/6); the bandwidth is the best bytes/s of the streaming,
 * memory-bound probes: element-wise additions (1 FLOP over 12 bytes per element: I = 1/12) and
 * matrix-vector products (2n² FLOPs over 4(n² + 2n) bytes: I ≈ 1/2, a matmul that is memory-bound).
 * Inputs are constant-filled: values do not change the time of fp32 arithmetic (no subnormals),
 * and filling is fast.
 * Products with a transposed operand (Aᵀ·B, A·Bᵀ), which every backward pass computes
 * (dW = Xᵀ·dZ, dX = dZ·Wᵀ), are measured too: a backend's kernels need not reach the same
 * speed on them (on tfjs-backend-wasm they fall far below the roof).
 */
import { tf } from "../tensor";
import { timeTensorOp, type TimeOpOptions } from "./timing";

/** One measured operation. */
export interface RooflinePoint {
  readonly label: string;
  readonly kind: "matmul" | "matmul-transposed" | "matvec" | "elementwise";
  /** Its size parameter (n, or elements). */
  readonly size: number;
  readonly flops: number;
  /** Bytes read and written, counting each input and output once (fp32). */
  readonly bytes: number;
  /** FLOP/byte. */
  readonly intensity: number;
  readonly seconds: number;
  /** Achieved FLOP/s. */
  readonly flopsPerSecond: number;
  /** Achieved bytes/s. */
  readonly bytesPerSecond: number;
}

/** The sweep and the ceilings it measured. */
export interface Roofline {
  readonly points: readonly RooflinePoint[];
  /** Measured peak: the best FLOP/s of the matmul sweep. */
  readonly peakFlops: number;
  /** Measured bandwidth: the best bytes/s of the element-wise and matrix-vector probes. */
  readonly bandwidth: number;
  /** The intensity where the roofs meet: peak / bandwidth (FLOP/byte). */
  readonly ridgeIntensity: number;
  readonly backend: string;
}

/** Sizes of the sweep. */
export interface RooflineOptions extends TimeOpOptions {
  /** n of the n × n matmuls. @default [32, 64, 128, 256, 512] */
  readonly matmulSizes?: readonly number[];
  /** n of the n × n by n × 1 products. @default [256, 1024, 2048] */
  readonly matvecSizes?: readonly number[];
  /** n of the transposed products Aᵀ·B and A·Bᵀ. @default [128] */
  readonly transposedSizes?: readonly number[];
  /** Elements of the additions. @default [1e4, 1e5, 1e6] */
  readonly elementwiseSizes?: readonly number[];
}

function point(label: string, kind: RooflinePoint["kind"], size: number, flops: number, bytes: number, seconds: number): RooflinePoint {
  return { label, kind, size, flops, bytes, intensity: flops / bytes, seconds, flopsPerSecond: flops / seconds, bytesPerSecond: bytes / seconds };
}

/** Time one n × n matmul: 2n³ FLOPs, 3 · 4n² bytes. */
export async function measureMatmul(n: number, options: TimeOpOptions = {}): Promise<RooflinePoint> {
  const a = tf.fill([n, n], 0.5);
  const b = tf.fill([n, n], 0.5);
  const seconds = await timeTensorOp(() => tf.matMul(a, b), options);
  a.dispose();
  b.dispose();
  return point(`matmul ${n}×${n}`, "matmul", n, 2 * n ** 3, 3 * 4 * n * n, seconds);
}

/** Time one n × n product with a transposed operand, Aᵀ·B or A·Bᵀ (same FLOPs and bytes as A·B). */
export async function measureTransposedMatmul(n: number, transposed: "a" | "b", options: TimeOpOptions = {}): Promise<RooflinePoint> {
  const a = tf.fill([n, n], 0.5);
  const b = tf.fill([n, n], 0.5);
  const seconds = await timeTensorOp(() => tf.matMul(a, b, transposed === "a", transposed === "b"), options);
  a.dispose();
  b.dispose();
  return point(`matmul ${transposed === "a" ? "Aᵀ·B" : "A·Bᵀ"} ${n}×${n}`, "matmul-transposed", n, 2 * n ** 3, 3 * 4 * n * n, seconds);
}

/** Time one n × n by n × 1 product: 2n² FLOPs, 4(n² + 2n) bytes. */
export async function measureMatvec(n: number, options: TimeOpOptions = {}): Promise<RooflinePoint> {
  const a = tf.fill([n, n], 0.5);
  const x = tf.fill([n, 1], 0.25);
  const seconds = await timeTensorOp(() => tf.matMul(a, x), options);
  a.dispose();
  x.dispose();
  return point(`matvec ${n}×${n}`, "matvec", n, 2 * n * n, 4 * (n * n + 2 * n), seconds);
}

/** Time one element-wise addition of N floats: N FLOPs, 12N bytes. */
export async function measureElementwise(N: number, options: TimeOpOptions = {}): Promise<RooflinePoint> {
  const x = tf.fill([N], 0.75);
  const y = tf.fill([N], 0.75);
  const seconds = await timeTensorOp(() => tf.add(x, y), options);
  x.dispose();
  y.dispose();
  return point(`add ${N.toExponential(0)}`, "elementwise", N, N, 12 * N, seconds);
}

/** Run the sweep and derive the two ceilings. */
export async function measureRoofline(options: RooflineOptions = {}): Promise<Roofline> {
  const points: RooflinePoint[] = [];
  for (const n of options.matmulSizes ?? [32, 64, 128, 256, 512]) points.push(await measureMatmul(n, options));
  for (const n of options.transposedSizes ?? [128]) {
    points.push(await measureTransposedMatmul(n, "a", options));
    points.push(await measureTransposedMatmul(n, "b", options));
  }
  for (const n of options.matvecSizes ?? [256, 1024, 2048]) points.push(await measureMatvec(n, options));
  for (const N of options.elementwiseSizes ?? [1e4, 1e5, 1e6]) points.push(await measureElementwise(N, options));
  const peakFlops = Math.max(...points.filter((p) => p.kind === "matmul").map((p) => p.flopsPerSecond));
  const bandwidth = Math.max(...points.filter((p) => p.kind === "elementwise" || p.kind === "matvec").map((p) => p.bytesPerSecond));
  return { points, peakFlops, bandwidth, ridgeIntensity: peakFlops / bandwidth, backend: tf.getBackend() };
}

/** The roofline bound at intensity I: min(peak, bandwidth · I). */
export function attainableFlops(roofline: Pick<Roofline, "peakFlops" | "bandwidth">, intensity: number): number {
  return Math.min(roofline.peakFlops, roofline.bandwidth * intensity);
}
