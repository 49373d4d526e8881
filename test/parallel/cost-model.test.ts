import { describe, expect, it } from "vitest";
import { createRng } from "../../src/foundation/random";
import {
  algBandwidth,
  allGatherCost,
  allReduce,
  allReduceCost,
  ALL_REDUCE_ALGORITHMS,
  busBandwidth,
  busBandwidthFactor,
  LINK_PRESETS,
  LINK_PRESET_NAMES,
  linkPreset,
  reduceScatterCost,
  ringAllGather,
  ringReduceScatter,
  treeDepth,
} from "../../src/parallel";

const link = { latency: 1e-6, bandwidth: 1e9, reduceBandwidth: 4e9 }; // α = 1 µs, β = 1 ns/B, γ = 0.25 ns/B

describe("alpha-beta-gamma all-reduce cost", () => {
  it("prices a ring all-reduce of 1 MB on 4 workers by hand", () => {
    // Thakur et al. 2005 §3 model, ring: 2(n−1)α + 2(n−1)/n·S·β + (n−1)/n·S·γ
    //   = 6·1e-6 + 1.5·1e6·1e-9 + 0.75·1e6·0.25e-9 = 6e-6 + 1.5e-3 + 1.875e-4
    const cost = allReduceCost("ring", 4, 1e6, link);
    expect(cost.latencySeconds).toBeCloseTo(6e-6, 15);
    expect(cost.transferSeconds).toBeCloseTo(1.5e-3, 15);
    expect(cost.reduceSeconds).toBeCloseTo(1.875e-4, 15);
    expect(cost.seconds).toBeCloseTo(1.6935e-3, 15);
    expect(cost.bytesSentPerWorker).toBe(1.5e6);
    expect(cost.algBandwidth).toBeCloseTo(1e6 / 1.6935e-3, 3);
    expect(cost.busBandwidth).toBeCloseTo((1e6 / 1.6935e-3) * 1.5, 3);
  });

  it("prices naive and tree by hand on 8 workers", () => {
    // naive: 2·7·α + 2·7·S·β + 7·S·γ; tree (L = 3): 6α + 6·S·β + 3·S·γ, S = 1000 B
    expect(allReduceCost("naive", 8, 1000, link).seconds).toBeCloseTo(14e-6 + 14e-6 + 7 * 250e-9, 15);
    expect(allReduceCost("tree", 8, 1000, link).seconds).toBeCloseTo(6e-6 + 6e-6 + 3 * 250e-9, 15);
  });

  it("predicts the bytes the simulated collectives send, for n = 2..16", () => {
    const rng = createRng(5);
    for (let n = 2; n <= 16; n++) {
      const length = 4 * n; // divisible by n
      const buffers = Array.from({ length: n }, () => rng.normalArray(length));
      for (const algorithm of ALL_REDUCE_ALGORITHMS) {
        const simulated = Math.max(...allReduce(buffers, algorithm).bytesSent);
        expect(simulated).toBeCloseTo(allReduceCost(algorithm, n, 4 * length, link).bytesSentPerWorker, 9);
      }
      const pieces = ringReduceScatter(buffers);
      expect(Math.max(...pieces.bytesSent)).toBeCloseTo(reduceScatterCost(n, 4 * length, link).bytesSentPerWorker, 9);
      const gathered = ringAllGather(pieces.outputs);
      expect(Math.max(...gathered.bytesSent)).toBeCloseTo(allGatherCost(n, 4 * length, link).bytesSentPerWorker, 9);
    }
  });

  it("costs one worker nothing", () => {
    for (const algorithm of ALL_REDUCE_ALGORITHMS) expect(allReduceCost(algorithm, 1, 1e9, link).seconds).toBe(0);
  });

  it("has a ring bus bandwidth that approaches the link bandwidth for large messages, whatever n", () => {
    // nccl-tests PERFORMANCE.md: busBw is defined so that it reflects the link speed independently of n.
    const noReduce = { latency: 5e-6, bandwidth: 25e9 };
    for (let n = 2; n <= 64; n *= 2) {
      const { busBandwidth: bus } = allReduceCost("ring", n, 1e12, noReduce);
      expect(bus / 25e9).toBeGreaterThan(0.999);
      expect(bus / 25e9).toBeLessThanOrEqual(1);
    }
  });

  it("makes the tree faster than the ring for small messages on many workers, and slower for large ones", () => {
    for (const n of [16, 64, 256]) {
      expect(allReduceCost("tree", n, 8, link).seconds).toBeLessThan(allReduceCost("ring", n, 8, link).seconds);
      expect(allReduceCost("tree", n, 1e9, link).seconds).toBeGreaterThan(allReduceCost("ring", n, 1e9, link).seconds);
    }
    // and naive is never faster than the ring for n > 2 (both pay 2(n−1)α; the ring sends less)
    for (let n = 3; n <= 32; n++)
      for (const S of [8, 1e3, 1e6, 1e9])
        expect(allReduceCost("naive", n, S, link).seconds).toBeGreaterThan(allReduceCost("ring", n, S, link).seconds);
  });

  it("grows the tree's latency term with ⌈lg n⌉ and the ring's with n − 1", () => {
    for (let n = 2; n <= 100; n++) {
      expect(allReduceCost("tree", n, 0, link).latencySeconds).toBeCloseTo(2 * treeDepth(n) * 1e-6, 15);
      expect(allReduceCost("ring", n, 0, link).latencySeconds).toBeCloseTo(2 * (n - 1) * 1e-6, 15);
    }
  });

  it("rejects a zero bandwidth with a message naming the unit", () => {
    expect(() => allReduceCost("ring", 4, 1e6, { latency: 0, bandwidth: 0 })).toThrow(
      /bandwidth \(bytes per second\) to be a finite number > 0, got 0/,
    );
    expect(() => allReduceCost("ring", 0, 1e6, link)).toThrow(/workers to be an integer >= 1, got 0/);
  });
});

describe("nccl-tests bandwidth convention", () => {
  it("uses 2(n−1)/n for all-reduce, (n−1)/n for reduce-scatter and all-gather, 1 for broadcast", () => {
    // nccl-tests doc/PERFORMANCE.md, "Bus bandwidth": on 8 ranks all-reduce busBw = algBw · 14/8 = 1.75 · algBw
    expect(busBandwidthFactor("all-reduce", 8)).toBe(1.75);
    expect(busBandwidthFactor("reduce-scatter", 8)).toBe(0.875);
    expect(busBandwidthFactor("all-gather", 8)).toBe(0.875);
    expect(busBandwidthFactor("broadcast", 8)).toBe(1);
    expect(algBandwidth(1e9, 0.5)).toBe(2e9);
    expect(busBandwidth("all-reduce", 1e9, 0.5, 8)).toBe(3.5e9);
  });
});

describe("link presets", () => {
  it("carry the vendors' peak bandwidths", () => {
    expect(LINK_PRESETS["a100-nvlink3"].bandwidth).toBe(300e9); // A100 whitepaper: 600 GB/s bidirectional
    expect(LINK_PRESETS["a40-pcie4"].bandwidth / 1e9).toBeCloseTo(31.5, 1); // PCIe 4.0 x16
    expect(LINK_PRESETS["slingshot-200g"].bandwidth).toBe(25e9); // 200 Gb/s
    for (const name of LINK_PRESET_NAMES) {
      expect(linkPreset(name).source.length).toBeGreaterThan(20);
      expect(linkPreset(name).latency).toBeGreaterThan(0);
    }
  });

  it("reject an unknown name listing the valid ones", () => {
    expect(() => linkPreset("infiniband")).toThrow(/a100-nvlink3, a40-pcie4, slingshot-200g, got "infiniband"/);
  });
});
