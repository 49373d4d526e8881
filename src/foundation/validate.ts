/**
 * Checks at a public boundary, one family for the whole library.
 *
 * Every check takes the value's name first, then the value, and returns the value
 * unchanged, so a function can validate and bind in one line:
 *
 *   const n = expectInteger("workers", options.workers, 1);
 *
 * Messages name the value, what was expected and what was received
 * ("Expected workers to be an integer >= 1, got 0."); an optional `fix` sentence
 * says what to do. A value out of its allowed range is a `RangeError`. Checks that
 * belong to one unit (tensor shapes, pipeline sizes, worker buffers) live in that unit
 * and carry the same `expect` prefix.
 */

/** `value` unchanged if it is an integer >= `min`; throws otherwise. */
export function expectInteger(name: string, value: number, min: number, fix?: string): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(withFix(`Expected ${name} to be an integer >= ${min}, got ${String(value)}.`, fix));
  }
  return value;
}

/** `value` unchanged if it is a finite number > 0; throws otherwise. */
export function expectPositive(name: string, value: number, fix?: string): number {
  if (!(typeof value === "number" && Number.isFinite(value) && value > 0)) {
    throw new RangeError(withFix(`Expected ${name} to be a finite number > 0, got ${String(value)}.`, fix));
  }
  return value;
}

/** `value` unchanged if it is a finite number >= 0; throws otherwise. */
export function expectNonNegative(name: string, value: number, fix?: string): number {
  if (!(typeof value === "number" && Number.isFinite(value) && value >= 0)) {
    throw new RangeError(withFix(`Expected ${name} to be a finite number >= 0, got ${String(value)}.`, fix));
  }
  return value;
}

/** `value` unchanged if it lies in [min, maxExclusive); throws otherwise. */
export function expectInRange(name: string, value: number, min: number, maxExclusive: number, fix?: string): number {
  if (!(Number.isFinite(value) && value >= min && value < maxExclusive)) {
    throw new RangeError(withFix(`Expected ${name} to be in [${min}, ${maxExclusive}), got ${String(value)}.`, fix));
  }
  return value;
}

function withFix(message: string, fix: string | undefined): string {
  return fix === undefined || fix === "" ? message : `${message} ${fix}`;
}
