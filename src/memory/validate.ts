/**
 * Input checks shared by the memory unit. Internal: not re-exported from `index.ts`.
 * Messages name the bad value and what was expected.
 */

export function requirePositiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`Expected ${name} to be an integer >= 1, got ${value}.`);
  }
  return value;
}

export function requireNonNegativeInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Expected ${name} to be an integer >= 0, got ${value}.`);
  }
  return value;
}

export function requirePositiveCount(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`Expected ${name} to be a positive number, got ${value}.`);
  }
  return value;
}

/** Exhaustive-switch guard: the compiler proves this is unreachable. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
