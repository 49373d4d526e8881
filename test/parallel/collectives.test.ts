import { describe, expect, it } from "vitest";
import { createRng } from "../../src/foundation/random";
import {
  addChunkInto,
  allReduce,
  ALL_REDUCE_ALGORITHMS,
  chunkBoundaries,
  naiveAllReduce,
  parseAllReduceAlgorithm,
  ringAllGather,
  ringAllReduce,
  ringReduceScatter,
  treeAllReduce,
  treeDepth,
} from "../../src/parallel";

/** n random buffers of `length` floats. */
function randomBuffers(n: number, length: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.normalArray(length));
}

/** Oracle: the element-wise sum in float64, and Σ|x| for the float32 rounding bound. */
function directSum(buffers: readonly Float32Array[]): { sum: Float64Array; abs: Float64Array } {
  const length = buffers[0]!.length;
  const sum = new Float64Array(length);
  const abs = new Float64Array(length);
  for (const b of buffers)
    for (let j = 0; j < length; j++) {
      sum[j]! += b[j]!;
      abs[j]! += Math.abs(b[j]!);
    }
  return { sum, abs };
}

/** |out − Σ| <= (n−1)·u·Σ|x| with u = 2^−24, the worst-case error of n−1 float32 additions (Higham 2002, §4.2). */
function expectSumWithinRounding(out: Float32Array, buffers: readonly Float32Array[]): void {
  const { sum, abs } = directSum(buffers);
  const n = buffers.length;
  for (let j = 0; j < out.length; j++) {
    const bound = n * 2 ** -24 * abs[j]! + 1e-30;
    if (Math.abs(out[j]! - sum[j]!) > bound) {
      throw new Error(`element ${j}: got ${out[j]}, expected ${sum[j]} within ${bound}`);
    }
  }
}

describe("chunk boundaries", () => {
  it("split 10 elements into 4 chunks of 3, 3, 2, 2", () => {
    expect(chunkBoundaries(10, 4)).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 8 },
      { start: 8, end: 10 },
    ]);
  });

  it("cover the buffer with chunks differing by at most one element for every size", () => {
    for (let n = 1; n <= 16; n++)
      for (const length of [0, 1, n - 1, n, n + 1, 7 * n + 3, 100]) {
        const b = chunkBoundaries(length, n);
        expect(b[0]!.start).toBe(0);
        expect(b[n - 1]!.end).toBe(length);
        const sizes = b.map((c) => c.end - c.start);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        for (let c = 1; c < n; c++) expect(b[c]!.start).toBe(b[c - 1]!.end);
      }
  });

  it("reject a chunk count of zero with a message naming it", () => {
    expect(() => chunkBoundaries(10, 0)).toThrow(/n \(the number of chunks\) to be an integer >= 1, got 0/);
  });
});

describe("ring all-reduce", () => {
  it("sums two workers' buffers by hand", () => {
    // n = 2, chunks [0,1) and [1,2).
    // step 1 (reduce-scatter): worker 0 sends chunk (0−1) mod 2 = 1 → worker 1: [3, 4+2] = [3, 6]
    //                          worker 1 sends chunk 0 → worker 0: [1+3, 2] = [4, 2]
    // step 2 (all-gather):     worker 0 sends chunk 0 (4) → worker 1; worker 1 sends chunk 1 (6) → worker 0
    const a = new Float32Array([1, 2]);
    const b = new Float32Array([3, 4]);
    const result = ringAllReduce([a, b]);
    expect(Array.from(result.outputs[0]!)).toEqual([4, 6]);
    expect(Array.from(result.outputs[1]!)).toEqual([4, 6]);
    expect(result.steps).toBe(2);
    expect(result.bytesSent).toEqual([8, 8]); // 2(n−1)/n · 8 bytes = 8
    expect(Array.from(a)).toEqual([1, 2]); // inputs untouched
  });

  it("follows the schedule 'step k, worker i sends chunk (i − k) mod n to i + 1' in the reduce-scatter", () => {
    const n = 5;
    const { trace } = ringAllReduce(randomBuffers(n, 23, 1));
    const rs = trace.filter((m) => m.phase === "reduce-scatter");
    expect(rs).toHaveLength(n * (n - 1));
    for (const m of rs) {
      expect(m.to).toBe((m.from + 1) % n);
      expect(m.chunk).toBe((((m.from - m.step) % n) + n) % n);
    }
    const ag = trace.filter((m) => m.phase === "all-gather");
    expect(ag).toHaveLength(n * (n - 1));
    for (const m of ag) {
      const k = m.step - (n - 1);
      expect(m.chunk).toBe((((m.from - k + 1) % n) + n) % n);
    }
  });

  it("gives every worker the direct sum to float32 rounding, bit-identical across workers, for n = 2..16", () => {
    for (let n = 2; n <= 16; n++) {
      const buffers = randomBuffers(n, 3 * n + 5, n);
      const { outputs } = ringAllReduce(buffers);
      expectSumWithinRounding(outputs[0]!, buffers);
      for (const out of outputs) expect(out).toEqual(outputs[0]);
    }
  });

  it("sends exactly 2(n−1)/n · S bytes per worker when n divides the length, for n = 2..16", () => {
    for (let n = 2; n <= 16; n++) {
      const length = 6 * n;
      const S = length * 4; // bytes
      const { bytesSent, bytesReceived } = ringAllReduce(randomBuffers(n, length, 100 + n));
      for (let i = 0; i < n; i++) {
        expect(bytesSent[i]).toBe((2 * (n - 1) * S) / n);
        expect(bytesReceived[i]).toBe((2 * (n - 1) * S) / n);
      }
    }
  });

  it("sends exactly the chunks it is scheduled to send when n does not divide the length", () => {
    for (let n = 2; n <= 16; n++)
      for (const length of [n + 1, 5 * n + n - 1, 97]) {
        if (length % n === 0) continue;
        const bounds = chunkBoundaries(length, n);
        const size = (c: number) => (bounds[c]!.end - bounds[c]!.start) * 4;
        const { bytesSent, outputs } = ringAllReduce(randomBuffers(n, length, length + n));
        for (let i = 0; i < n; i++) {
          // worker i sends chunk (i−k) in the reduce-scatter and chunk (i−k+1) in the all-gather, k = 1..n−1:
          // every chunk but i in the first half, every chunk but i+1 in the second.
          let expected = 0;
          for (let k = 1; k < n; k++) expected += size((((i - k) % n) + n) % n) + size((((i - k + 1) % n) + n) % n);
          expect(bytesSent[i]).toBe(expected);
        }
        const total = bytesSent.reduce((a, b) => a + b, 0);
        expect(total).toBe(2 * (n - 1) * length * 4); // every chunk travels n−1 hops per phase
        expect(outputs[0]!.length).toBe(length);
      }
  });

  it("with inPlace reduces into the given buffers", () => {
    const buffers = [new Float32Array([1, 2, 3]), new Float32Array([10, 20, 30])];
    ringAllReduce(buffers, { inPlace: true });
    expect(Array.from(buffers[0]!)).toEqual([11, 22, 33]);
    expect(Array.from(buffers[1]!)).toEqual([11, 22, 33]);
  });

  it("on one worker returns its buffer and sends nothing", () => {
    const { outputs, bytesSent, steps } = ringAllReduce([new Float32Array([1, 2])]);
    expect(Array.from(outputs[0]!)).toEqual([1, 2]);
    expect(bytesSent).toEqual([0]);
    expect(steps).toBe(0);
  });

  it("rejects buffers of different lengths, naming the worker", () => {
    expect(() => ringAllReduce([new Float32Array(3), new Float32Array(2)])).toThrow(/got 2 on worker 1/);
  });
});

describe("ring reduce-scatter and all-gather", () => {
  it("leave worker i with chunk i of the sum, and all-gather puts the chunks back together", () => {
    for (let n = 2; n <= 16; n++) {
      const length = 4 * n + 3;
      const buffers = randomBuffers(n, length, 7 * n);
      const rs = ringReduceScatter(buffers);
      const bounds = chunkBoundaries(length, n);
      const { sum } = directSum(buffers);
      rs.outputs.forEach((piece, i) => {
        expect(piece.length).toBe(bounds[i]!.end - bounds[i]!.start);
        for (let j = 0; j < piece.length; j++) expect(piece[j]).toBeCloseTo(sum[bounds[i]!.start + j]!, 4);
      });
      const ag = ringAllGather(rs.outputs);
      for (const out of ag.outputs) expect(out).toEqual(ringAllReduce(buffers).outputs[0]);
      // each phase sends (n−1)/n of the buffer per worker in total over the ring
      expect(rs.bytesSent.reduce((a, b) => a + b, 0)).toBe((n - 1) * length * 4);
      expect(ag.bytesSent.reduce((a, b) => a + b, 0)).toBe((n - 1) * length * 4);
    }
  });
});

describe("naive and tree all-reduce", () => {
  it("naive: the root receives every buffer, then sends the sum to each worker", () => {
    // n = 3, S = 8 bytes: gather steps 1–2, broadcast steps 3–4; root sends (n−1)·S = 16 bytes.
    const r = naiveAllReduce([new Float32Array([1, 1]), new Float32Array([2, 2]), new Float32Array([3, 3])]);
    expect(r.outputs.map((o) => Array.from(o))).toEqual([
      [6, 6],
      [6, 6],
      [6, 6],
    ]);
    expect(r.steps).toBe(4);
    expect(r.bytesSent).toEqual([16, 8, 8]);
    expect(r.bytesReceived).toEqual([16, 8, 8]);
  });

  it("tree: four workers reduce in two steps and broadcast in two", () => {
    // step 1: 1→0, 3→2; step 2: 2→0; step 3: 0→2; step 4: 0→1, 2→3
    const r = treeAllReduce([1, 2, 3, 4].map((v) => new Float32Array([v])));
    expect(r.outputs.map((o) => o[0])).toEqual([10, 10, 10, 10]);
    expect(r.trace.map((m) => [m.step, m.from, m.to])).toEqual([
      [1, 1, 0],
      [1, 3, 2],
      [2, 2, 0],
      [3, 0, 2],
      [4, 0, 1],
      [4, 2, 3],
    ]);
    expect(treeDepth(4)).toBe(2);
  });

  it("every algorithm gives every worker the same direct sum for n = 1..16", () => {
    for (const algorithm of ALL_REDUCE_ALGORITHMS)
      for (let n = 1; n <= 16; n++) {
        const buffers = randomBuffers(n, 2 * n + 1, 31 * n);
        const { outputs, steps } = allReduce(buffers, algorithm);
        expectSumWithinRounding(outputs[0]!, buffers);
        for (const out of outputs) expect(out).toEqual(outputs[0]);
        const expectedSteps = algorithm === "tree" ? 2 * treeDepth(n) : 2 * (n - 1);
        expect(steps).toBe(expectedSteps);
      }
  });

  it("the busiest worker sends (n−1)·S (naive) and ⌈lg n⌉·S (tree)", () => {
    for (let n = 2; n <= 16; n++) {
      const S = 12; // 3 floats
      const buffers = randomBuffers(n, 3, n);
      expect(Math.max(...naiveAllReduce(buffers).bytesSent)).toBe((n - 1) * S);
      expect(Math.max(...treeAllReduce(buffers).bytesSent)).toBe(treeDepth(n) * S);
    }
  });

  it("parseAllReduceAlgorithm lists the valid names for a wrong one", () => {
    expect(parseAllReduceAlgorithm("tree")).toBe("tree");
    expect(() => parseAllReduceAlgorithm("butterfly")).toThrow(/naive, tree, ring, got "butterfly"/);
  });
});

describe("chunk addition", () => {
  it("adds every element of the range, and nothing outside it, for ranges of every length mod 8", () => {
    for (let start = 0; start < 3; start++)
      for (let length = 0; length <= 19; length++) {
        const received = new Float32Array(25).map((_, j) => j);
        const sent = new Float32Array(25).fill(100);
        addChunkInto(received, sent, start, start + length);
        for (let j = 0; j < 25; j++) expect(received[j]).toBe(j >= start && j < start + length ? j + 100 : j);
      }
  });
});
