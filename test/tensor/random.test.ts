import { describe, expect, it } from "vitest";
import { createRng } from "../../src/foundation/random";

describe("createRng", () => {
  it("gives the same sequence for the same seed and a different one for another seed", () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const seqA = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(seqA);
  });

  it("draws uniforms in [0, 1) with mean 1/2 and normals with mean 0 and variance 1", () => {
    const rng = createRng(123);
    const n = 20_000;
    const u = Array.from({ length: n }, () => rng.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((s, x) => s + x, 0) / n).toBeCloseTo(0.5, 1);
    const z = rng.normalArray(n);
    const mean = z.reduce((s, x) => s + x, 0) / n;
    const variance = z.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it("shuffles into a permutation without changing its input", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = createRng(1).shuffle(items);
    expect(items).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(shuffled).not.toEqual(items);
  });

  it("rejects a seed that is not an integer", () => {
    expect(() => createRng(0.5)).toThrow(/Expected seed to be an integer, got 0.5/);
  });
});
