/**
 * Boundary checks shared by the parallel unit. Each message names the bad value
 * and how to fix it. Internal: not re-exported from the unit's index.
 */

/** Throws unless `value` is an integer >= `min`. */
export function expectInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`Expected ${name} to be an integer >= ${min}, got ${value}.`);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function expectPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`Expected ${name} to be a finite number > 0, got ${value}.`);
  }
}

/** Throws unless `value` is a finite number >= 0. */
export function expectNonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`Expected ${name} to be a finite number >= 0, got ${value}.`);
  }
}

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

/** Exhaustiveness check for discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
