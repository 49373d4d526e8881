/**
 * The boundary check particular to collectives: one equally sized buffer per worker.
 * Internal: not re-exported from the unit's index. (Numbers are checked with
 * `foundation/validate`.)
 */

/** Throws unless every worker buffer has the same, non-zero length; returns that length. */
export function expectEqualBuffers(buffers: readonly Float32Array[]): number {
  if (buffers.length < 1) {
    throw new Error(`Expected at least one worker buffer, got 0. Pass one Float32Array per worker.`);
  }
  const length = buffers[0]!.length;
  buffers.forEach((b, rank) => {
    if (b.length !== length) {
      throw new Error(
        `Expected every worker buffer to have length ${length} (worker 0), got ${b.length} on worker ${rank}. ` +
          `All-reduce needs one equally sized buffer per worker.`,
      );
    }
  });
  return length;
}
