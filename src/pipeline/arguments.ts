/** Argument checks shared by the schedule generators (internal: not re-exported from the unit's index). */

/** Validate p, m, v at a public boundary; messages name the value and the fix. */
export function checkPipelineSize(stages: number, microbatches: number, chunks = 1): void {
  checkIntegerAtLeast("stages", stages, 1);
  checkIntegerAtLeast("microbatches", microbatches, 1);
  checkIntegerAtLeast("chunks", chunks, 1);
}

/** Throw `Expected <name> to be an integer >= <min>, got <value>.` unless it is. */
export function checkIntegerAtLeast(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`Expected ${name} to be an integer >= ${min}, got ${String(value)}.`);
  }
}
