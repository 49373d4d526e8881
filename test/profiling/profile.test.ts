import { beforeAll, describe, expect, it } from "vitest";
import { attainableFlops, measureRoofline, median, profileTrainingStep } from "../../src/profiling";
import { rooflineFigure, stepPhasesFigure, mfuVsBatchFigure } from "../../src/plot";
import { initTensors, tf } from "../../src/tensor";

beforeAll(async () => {
  await initTensors();
});

describe("profiling on the tensor backend", () => {
  it("median of odd and even lists", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("a small roofline sweep: matmul intensity n/6, add 1/12, peak and bandwidth are the best measured points", async () => {
    const r = await measureRoofline({ matmulSizes: [16, 64], transposedSizes: [16], matvecSizes: [64], elementwiseSizes: [1000], measurements: 1, minSeconds: 0.001 });
    const matmul64 = r.points.find((p) => p.label === "matmul 64×64")!;
    expect(matmul64.intensity).toBeCloseTo(64 / 6, 12);
    expect(r.points.find((p) => p.kind === "elementwise")!.intensity).toBeCloseTo(1 / 12, 12);
    expect(r.peakFlops).toBe(Math.max(...r.points.filter((p) => p.kind === "matmul").map((p) => p.flopsPerSecond)));
    expect(attainableFlops(r, 1e-6)).toBeCloseTo(r.bandwidth * 1e-6, 6);
    expect(attainableFlops(r, 1e6)).toBe(r.peakFlops);
    const fig = rooflineFigure(r);
    expect(fig.layout.xaxis?.type).toBe("log");
    expect(fig.data[0]!.y).toEqual([(r.bandwidth * (fig.data[0]!.x as number[])[0]!) / 1e9, r.peakFlops / 1e9, r.peakFlops / 1e9]);
  });

  it("profiles a training step: 6PB model FLOPs, three positive phases, MFU against a given peak, no tensors left", async () => {
    const before = tf.memory().numTensors;
    const p = await profileTrainingStep({ layerSizes: [8, 16, 4], batch: 4, warmup: 1, steps: 2, peakFlops: 1e9 });
    expect(tf.memory().numTensors).toBe(before);
    expect(p.parameters).toBe(8 * 16 + 16 * 4);
    expect(p.modelFlops).toBe(6 * p.parameters * 4);
    expect(p.stepSeconds).toBeCloseTo(p.phases.forward + p.phases.backward + p.phases.optimizer, 12);
    expect(p.phases.forward).toBeGreaterThan(0);
    expect(p.mfu).toBeCloseTo(p.achievedFlops / 1e9, 12);
    expect(stepPhasesFigure([p]).data.map((t) => t.name)).toEqual(["forward", "backward", "optimizer (Adam)"]);
    expect((mfuVsBatchFigure([p], 1e9).data[0]!.y as number[])[0]).toBeCloseTo(100 * p.mfu!, 10);
  });
});
