import { describe, expect, it } from "vitest";
import { createRng } from "../../src/foundation/random";
import {
  dataParallelStepTime,
  DELTA_A100_CLUSTER,
  LINK_PRESETS,
  ringBottleneckLink,
  scalingCurve,
  type ScalingStudyOptions,
} from "../../src/parallel";

const link = { latency: 1e-6, bandwidth: 1e9 }; // α = 1 µs, β = 1 ns/B, γ = 0

describe("data-parallel step time", () => {
  it("is the slowest worker's compute plus the all-reduce without overlap", () => {
    // ring on 2 workers, S = 1 MB: 2·1·α + 2·1/2·S·β = 2e-6 + 1e-3
    const t = dataParallelStepTime({ computeSeconds: [1, 2], gradientBytes: 1e6, link });
    expect(t.slowestWorker).toBe(1);
    expect(t.computeSeconds).toBe(2);
    expect(t.commSeconds).toBeCloseTo(1.002e-3, 15);
    expect(t.stepSeconds).toBeCloseTo(2.001002, 12);
    expect(t.exposedCommSeconds).toBeCloseTo(1.002e-3, 12);
  });

  it("hides all but the last bucket behind the backward pass, worked by hand", () => {
    // C = 1, f = 0.5 → forward ends at 0.5; k = 4 buckets ready at 0.625, 0.75, 0.875, 1.0.
    // Each bucket: 2α + S/4·β = 2e-6 + 2.5e-4 = 2.52e-4 < 0.125, so none waits for the previous:
    // the last ends at 1 + 2.52e-4.
    const t = dataParallelStepTime({
      computeSeconds: [1, 1],
      gradientBytes: 1e6,
      link,
      buckets: 4,
      overlap: true,
      backwardFraction: 0.5,
    });
    expect(t.stepSeconds).toBeCloseTo(1.000252, 12);
    expect(t.commSeconds).toBeCloseTo(4 * 2.52e-4, 12);
  });

  it("with overlap is never slower than without, never faster than compute or communication alone", () => {
    const rng = createRng(9);
    for (let trial = 0; trial < 200; trial++) {
      const N = 1 + rng.int(16);
      const computeSeconds = Array.from({ length: N }, () => rng.uniform());
      const common = { computeSeconds, gradientBytes: rng.uniform() * 1e9, link, buckets: 1 + rng.int(32) };
      const serial = dataParallelStepTime(common);
      const overlapped = dataParallelStepTime({ ...common, overlap: true });
      expect(overlapped.stepSeconds).toBeLessThanOrEqual(serial.stepSeconds + 1e-12);
      expect(overlapped.stepSeconds).toBeGreaterThanOrEqual(Math.max(...computeSeconds));
      expect(overlapped.stepSeconds).toBeGreaterThanOrEqual(overlapped.commSeconds);
    }
    // one bucket cannot overlap: it is ready only when the backward pass ends
    const one = { computeSeconds: [0.3, 0.5], gradientBytes: 1e8, link };
    expect(dataParallelStepTime({ ...one, overlap: true }).stepSeconds).toBe(dataParallelStepTime(one).stepSeconds);
  });

  it("rejects zero buckets", () => {
    expect(() => dataParallelStepTime({ computeSeconds: [1], gradientBytes: 1, link, buckets: 0 })).toThrow(
      /buckets to be an integer >= 1, got 0/,
    );
  });
});

describe("scaling curves", () => {
  const base: Omit<ScalingStudyOptions, "mode"> = {
    cluster: DELTA_A100_CLUSTER,
    workerCounts: [1, 2, 4, 8, 16, 32, 64],
    gradientBytes: 2 * 1.5e9, // GPT-2 1.5B, fp16 gradients
    secondsPerSample: 0.05,
    batch: 8,
  };

  it("start at efficiency 1 and never exceed it", () => {
    for (const mode of ["weak", "strong"] as const)
      for (const p of scalingCurve({ ...base, mode })) {
        if (p.workers === 1) expect(p.efficiency).toBe(1);
        expect(p.efficiency).toBeLessThanOrEqual(1);
        expect(p.efficiency).toBeGreaterThan(0);
      }
  });

  it("make strong scaling exactly b·s/(b·s + N·T_comm) and weak scaling b·s/(b·s + T_comm)", () => {
    const weak = scalingCurve({ ...base, mode: "weak" });
    const strong = scalingCurve({ ...base, mode: "strong" });
    for (let i = 1; i < weak.length; i++) {
      const N = weak[i]!.workers;
      const comm = weak[i]!.exposedCommSeconds; // same all-reduce in both modes
      const bs = 8 * 0.05;
      expect(weak[i]!.efficiency).toBeCloseTo(bs / (bs + comm), 12);
      expect(strong[i]!.efficiency).toBeCloseTo(bs / (bs + N * comm), 12);
      expect(strong[i]!.efficiency).toBeLessThan(weak[i]!.efficiency);
    }
  });

  it("drop when the ring leaves the node (NVLink 300 GB/s → Slingshot 25 GB/s)", () => {
    const weak = scalingCurve({ ...base, mode: "weak" });
    const at = (N: number) => weak.find((p) => p.workers === N)!;
    expect(at(8).efficiency).toBeLessThan(at(4).efficiency);
    expect(ringBottleneckLink(DELTA_A100_CLUSTER, 4)).toBe(LINK_PRESETS["a100-nvlink3"]);
    expect(ringBottleneckLink(DELTA_A100_CLUSTER, 8).bandwidth).toBe(25e9);
  });

  it("lose a straggler's slowdown on every step", () => {
    const even = scalingCurve({ ...base, mode: "weak", workerCounts: [4] })[0]!;
    const slow = scalingCurve({ ...base, mode: "weak", workerCounts: [4], stragglerSlowdown: 2 })[0]!;
    expect(slow.computeSeconds).toBeCloseTo(2 * even.computeSeconds, 12);
    expect(slow.stepSeconds - even.stepSeconds).toBeCloseTo(even.computeSeconds, 12);
  });

  it("recover efficiency by overlapping communication with the backward pass", () => {
    const plain = scalingCurve({ ...base, mode: "weak", workerCounts: [64] })[0]!;
    const overlapped = scalingCurve({ ...base, mode: "weak", workerCounts: [64], buckets: 25, overlap: true })[0]!;
    expect(overlapped.efficiency).toBeGreaterThan(plain.efficiency);
  });
});
