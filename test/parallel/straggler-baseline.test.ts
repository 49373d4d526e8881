import { describe, expect, it } from "vitest";
import { DELTA_A100_CLUSTER, scalingCurve } from "../../src/parallel";

describe("scaling efficiency with a straggler", () => {
  const study = {
    cluster: DELTA_A100_CLUSTER,
    gradientBytes: 2 * 1.5e9, // GPT-2 1.5B, fp16 gradients
    secondsPerSample: 0.05,
    batch: 8,
    mode: "weak" as const,
  };

  it("is measured against one healthy worker: one worker that is itself 2× slow has efficiency 1/2", () => {
    // N = 1: no communication, step = 2 · 8 · 0.05 = 0.8 s against the healthy 0.4 s → X = 10 vs 20 samples/s
    const [one] = scalingCurve({ ...study, workerCounts: [1], stragglerSlowdown: 2 });
    expect(one!.efficiency).toBeCloseTo(0.5, 12);
  });

  it("loses exactly the straggler's factor when communication is free", () => {
    // free communication (no bytes, α = 0): T_step = slowest compute, so efficiency = 1 / slowdown
    const free = { latency: 0, bandwidth: 1e12 };
    const cluster = { ...DELTA_A100_CLUSTER, intraNode: free, interNode: free };
    for (const slowdown of [1, 1.2, 1.5, 3]) {
      const points = scalingCurve({ ...study, cluster, gradientBytes: 0, workerCounts: [1, 2, 4, 8], stragglerSlowdown: slowdown });
      for (const p of points) expect(p.efficiency).toBeCloseTo(1 / slowdown, 12);
    }
  });

  it("never makes a run with a straggler more efficient than the same run without one", () => {
    for (const N of [2, 4, 8, 64, 256]) {
      const healthy = scalingCurve({ ...study, workerCounts: [N], buckets: 100, overlap: true })[0]!;
      const slow = scalingCurve({ ...study, workerCounts: [N], buckets: 100, overlap: true, stragglerSlowdown: 1.2 })[0]!;
      expect(slow.efficiency).toBeLessThanOrEqual(healthy.efficiency);
    }
  });
});
