/**
 * Does a training job fit in a GPU's memory, and by how much?
 *
 * A framework never gets the whole card: the CUDA context, cuBLAS/cuDNN workspaces
 * and NCCL buffers take a fixed slice, and the caching allocator loses some to
 * fragmentation (ZeRO §3.2 "memory fragmentation"; ZeRO-R §6.3). We make that headroom
 * explicit instead of hiding it:
 *
 *   available = capacity · (1 − fragmentationFraction) − overheadBytes
 *   margin    = available − required       (negative: does not fit)
 */
import type { GpuSpec } from "./gpu-catalog";
import { BYTES_PER_GIB } from "../foundation/units";
import { fitVerdictOf, type FitsOnGpuAnswer } from "./your-answers";

export interface HeadroomOptions {
  /** Fixed bytes taken by the runtime (CUDA context, library workspaces, NCCL buffers). @default 1 GiB */
  readonly overheadBytes?: number;
  /** Fraction of capacity lost to allocator fragmentation. @default 0.05 */
  readonly fragmentationFraction?: number;
}

export const DEFAULT_OVERHEAD_BYTES = BYTES_PER_GIB;
export const DEFAULT_FRAGMENTATION_FRACTION = 0.05;

/** The verdict, as a discriminated union on `kind`. All sizes in bytes. */
export type FitVerdict =
  | { readonly kind: "fits"; readonly requiredBytes: number; readonly availableBytes: number; readonly capacityBytes: number; readonly spareBytes: number }
  | { readonly kind: "does-not-fit"; readonly requiredBytes: number; readonly availableBytes: number; readonly capacityBytes: number; readonly shortfallBytes: number };

/** The headroom with its defaults filled in, validated. */
export function resolveHeadroom(options: HeadroomOptions = {}): Required<HeadroomOptions> {
  const overheadBytes = options.overheadBytes ?? DEFAULT_OVERHEAD_BYTES;
  const fragmentationFraction = options.fragmentationFraction ?? DEFAULT_FRAGMENTATION_FRACTION;
  if (!Number.isFinite(overheadBytes) || overheadBytes < 0) throw new Error(`Expected overheadBytes >= 0, got ${overheadBytes}.`);
  if (!(fragmentationFraction >= 0 && fragmentationFraction < 1)) throw new Error(`Expected fragmentationFraction in [0, 1), got ${fragmentationFraction}.`);
  return { overheadBytes, fragmentationFraction };
}

/** Bytes a job may use on a device of `capacityBytes` after the headroom. */
export function availableDeviceBytes(capacityBytes: number, options: HeadroomOptions = {}): number {
  const { overheadBytes, fragmentationFraction } = resolveHeadroom(options);
  return Math.max(0, capacityBytes * (1 - fragmentationFraction) - overheadBytes);
}

/** The capacity of `gpu` in bytes: a catalog entry's product figure, or a number of bytes. */
export function capacityBytesOf(gpu: GpuSpec | number): number {
  return typeof gpu === "number" ? gpu : gpu.memoryBytes;
}

function expectRequiredBytes(requiredBytes: number): number {
  if (!Number.isFinite(requiredBytes) || requiredBytes < 0) {
    throw new Error(`Expected requiredBytes to be a number of bytes >= 0, got ${requiredBytes}.`);
  }
  return requiredBytes;
}

/**
 * Decide whether `requiredBytes` per device fits on `gpu` (or a capacity in bytes).
 *
 * @example fitsOnGpu(20e9, findGpu("a100-40gb")) // { kind: "fits", spareBytes: ... }
 */
export function fitsOnGpu(requiredBytes: number, gpu: GpuSpec | number, options: HeadroomOptions = {}): FitVerdict {
  // BEGIN SOLUTION memory.fitsOnGpu
  expectRequiredBytes(requiredBytes);
  const capacityBytes = capacityBytesOf(gpu);
  const available = availableDeviceBytes(capacityBytes, options);
  const margin = available - requiredBytes;
  return margin >= 0
    ? { kind: "fits", requiredBytes, availableBytes: available, capacityBytes, spareBytes: margin }
    : { kind: "does-not-fit", requiredBytes, availableBytes: available, capacityBytes, shortfallBytes: -margin };
  // STUDENT EDITION
  // const yourFitsOnGpu = yours.answer<FitsOnGpuAnswer>("fitsOnGpu");
  // const capacity = capacityBytesOf(gpu); // bytes
  // const inGiB = capacity / BYTES_PER_GIB; // exact: your answer multiplies by 2^30 and gets the same bytes back
  // const verdict = yourFitsOnGpu(expectRequiredBytes(requiredBytes), inGiB, "GiB", resolveHeadroom(options));
  // return fitVerdictOf(verdict, requiredBytes, capacity);
  // END SOLUTION
}
