/**
 * Splitting a buffer of L elements into n contiguous chunks.
 *
 * When n divides L every chunk has L/n elements. Otherwise the first L mod n
 * chunks get one extra element (the convention of MPI_Reduce_scatter_block
 * callers and of NCCL's chunking: sizes differ by at most one element).
 */
import { expectInteger } from "../foundation/validate";

/** Chunk c covers elements [start, end). */
export interface ChunkBounds {
  readonly start: number;
  readonly end: number;
}

/**
 * Bounds of the n chunks of a buffer of `length` elements.
 * @example chunkBoundaries(10, 4) // [0,3) [3,6) [6,8) [8,10)
 */
export function chunkBoundaries(length: number, n: number): ChunkBounds[] {
  expectInteger("length", length, 0);
  expectInteger("n (the number of chunks)", n, 1);
  const base = Math.floor(length / n); // elements in every chunk
  const extra = length % n; // the first `extra` chunks hold one more
  const bounds: ChunkBounds[] = [];
  let start = 0;
  for (let c = 0; c < n; c++) {
    const size = base + (c < extra ? 1 : 0);
    bounds.push({ start, end: start + size });
    start += size;
  }
  return bounds;
}

/** i mod n, always in [0, n) (JavaScript's % keeps the sign of i). */
export function wrapIndex(i: number, n: number): number {
  return ((i % n) + n) % n;
}
