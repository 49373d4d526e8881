/**
 * Reproducible randomness for the labs.
 *
 * `Math.random()` cannot be seeded, and tfjs's initialisers draw from their own
 * generator. Every lab takes its randomness from a `Rng` created with a seed, so a
 * notebook gives the same numbers on every run and on every student's machine.
 *
 * The generator is mulberry32 (Tommy Ettinger, public domain): 32 bits of state,
 * period 2^32, good enough for shuffling and initialising small models, and short
 * enough to read. Normal samples use the Box–Muller transform.
 */

/** A seeded pseudo-random number generator. */
export interface Rng {
  /** The seed it was created with. */
  readonly seed: number;
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal N(mean, std²). */
  normal(mean?: number, std?: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A new array holding `items` in a random order (Fisher–Yates); the input is not changed. */
  shuffle<T>(items: readonly T[]): T[];
  /** `length` standard-normal samples scaled by `std`, as float32. */
  normalArray(length: number, std?: number): Float32Array;
  /** A seed for a tfjs initialiser or `tf.randomNormal(..., seed)`, drawn from this generator. */
  nextSeed(): number;
}

/**
 * Create a seeded generator.
 * @param seed any integer; the same seed gives the same sequence
 * @example
 *   const rng = createRng(42);
 *   rng.shuffle([0, 1, 2, 3]); // same order on every run
 */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) {
    throw new Error(`Expected seed to be an integer, got ${seed}. Use e.g. createRng(42).`);
  }
  let state = seed >>> 0;
  const uniform = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (mean = 0, std = 1): number => {
    // Box–Muller: two uniforms -> one standard normal (1 - u keeps log away from 0).
    const u1 = 1 - uniform();
    const u2 = uniform();
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  const int = (n: number): number => {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Expected n to be an integer >= 1, got ${n}.`);
    return Math.floor(uniform() * n);
  };
  return {
    seed,
    uniform,
    normal,
    int,
    shuffle<T>(items: readonly T[]): T[] {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    normalArray(length: number, std = 1): Float32Array {
      const out = new Float32Array(length);
      for (let i = 0; i < length; i++) out[i] = normal(0, std);
      return out;
    },
    nextSeed(): number {
      return Math.floor(uniform() * 2 ** 31);
    },
  };
}
