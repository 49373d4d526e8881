import { beforeAll, describe, expect, it } from "vitest";
import {
  allReduceCost,
  createZeroSimulation,
  DELTA_A100_CLUSTER,
  evenShards,
  LINK_PRESETS,
  makeClassificationData,
  ringAllReduce,
  scalingCurve,
  softmaxRegressionParamCount,
  zeroFormulaBytes,
  zeroMemoryHeld,
} from "../../src/parallel";
import {
  allReduceTimeVsBytesFigure,
  allReduceTimeVsWorkersFigure,
  ringProgressFigure,
  ringScheduleFigure,
} from "../../src/plot/collectives";
import { scalingEfficiencyFigure, scalingSpeedupFigure } from "../../src/plot/scaling";
import { zeroMemoryFigure } from "../../src/plot/scaling-zero";
import type { Figure } from "../../src/plot/figure";
import { initTensors } from "../../src/tensor";

// The replicas update their buffers with the optimization unit's tensor rules.
beforeAll(async () => {
  await initTensors();
});

/**
 * Every x/y axis in the layout has a non-empty title; in a grid of panels, the outer ones
 * (plot/axes.ts: inner titles would run into the neighbouring panels).
 */
function expectTitledAxes(figure: Figure): void {
  const axes = Object.entries(figure.layout).filter(([key]) => /^[xy]axis\d*$/.test(key));
  expect(axes.length).toBeGreaterThanOrEqual(2);
  const titled = (key: string, axis: unknown) => {
    const title = (axis as { title?: { text?: string } }).title?.text ?? "";
    return title.length > 0;
  };
  if (figure.layout["grid"] !== undefined) {
    expect(axes.some(([key, axis]) => key.startsWith("x") && titled(key, axis)), "some x axis has a title").toBe(true);
    expect(axes.some(([key, axis]) => key.startsWith("y") && titled(key, axis)), "some y axis has a title").toBe(true);
    return;
  }
  for (const [key, axis] of axes) expect(titled(key, axis), `${key} has a title`).toBe(true);
}

const mod = (i: number, n: number) => ((i % n) + n) % n;

describe("ring schedule figures", () => {
  it("colour worker w at reduce-scatter step k with chunk (w − k) mod n", () => {
    for (const n of [2, 3, 4, 8]) {
      const { trace } = ringAllReduce(Array.from({ length: n }, () => new Float32Array(n)));
      const figure = ringScheduleFigure(trace);
      const z = figure.data[0]!["z"] as number[][];
      expect(z).toHaveLength(n);
      expect(z[0]).toHaveLength(2 * (n - 1));
      for (let w = 0; w < n; w++) for (let k = 1; k < n; k++) expect(z[w]![k - 1]).toBe(mod(w - k, n));
      expectTitledAxes(figure);
    }
  });

  it("show each worker's own chunk complete after the reduce-scatter and every chunk complete at the end", () => {
    for (const n of [2, 3, 5]) {
      const { trace } = ringAllReduce(Array.from({ length: n }, () => new Float32Array(2 * n)));
      const figure = ringProgressFigure(trace);
      expect(figure.data).toHaveLength(2 * (n - 1));
      const afterReduceScatter = figure.data[n - 2]!["z"] as number[][];
      for (let w = 0; w < n; w++) expect(afterReduceScatter[w]![w]).toBe(n);
      const last = figure.data[2 * n - 3]!["z"] as number[][];
      for (const row of last) expect(row.every((c) => c === n)).toBe(true);
      expectTitledAxes(figure);
    }
  });

  it("refuse an empty trace with a hint", () => {
    expect(() => ringScheduleFigure([])).toThrow(/at least one message/);
  });
});

describe("all-reduce time figures", () => {
  it("plot the cost model on log axes, one line per algorithm", () => {
    const link = LINK_PRESETS["slingshot-200g"];
    const sizes = [1e3, 1e6, 1e9];
    const bySize = allReduceTimeVsBytesFigure(16, sizes, { link });
    expect(bySize.data.map((t) => t.name)).toEqual(["naive", "tree", "ring"]);
    expect(bySize.data[2]!.y).toEqual(sizes.map((S) => allReduceCost("ring", 16, S, link).seconds));
    expect(bySize.layout.xaxis?.type).toBe("log");
    expect(bySize.layout.yaxis?.type).toBe("log");
    expectTitledAxes(bySize);
    const byWorkers = allReduceTimeVsWorkersFigure(1e9, [2, 4, 8], { link, algorithms: ["ring"] });
    expect(byWorkers.data).toHaveLength(1);
    expect(byWorkers.data[0]!.y).toEqual([2, 4, 8].map((n) => allReduceCost("ring", n, 1e9, link).seconds));
    expectTitledAxes(byWorkers);
  });
});

describe("scaling and ZeRO memory figures", () => {
  it("draw efficiency in percent and speedup against the ideal line", () => {
    const points = scalingCurve({
      mode: "weak",
      cluster: DELTA_A100_CLUSTER,
      workerCounts: [1, 2, 4, 8],
      gradientBytes: 1e9,
      secondsPerSample: 0.01,
      batch: 4,
    });
    const efficiency = scalingEfficiencyFigure([{ name: "weak", points }]);
    expect(efficiency.data[0]!.y).toEqual(points.map((p) => 100 * p.efficiency));
    expectTitledAxes(efficiency);
    const speedup = scalingSpeedupFigure([{ name: "weak", points }]);
    expect(speedup.data[0]!.y).toEqual([1, 2, 4, 8]);
    expectTitledAxes(speedup);
    expect(() => scalingEfficiencyFigure([])).toThrow(/at least one scaling series/);
  });

  it("stack measured parameters, gradients and optimizer states to the formula's total", () => {
    const data = makeClassificationData({ samples: 16, features: 15, classes: 4 });
    const Psi = softmaxRegressionParamCount(15, 4);
    const bars = ([0, 1, 2, 3] as const).map((stage) => {
      const sim = createZeroSimulation(data, { shardSizes: evenShards(4, 2), optimizer: { kind: "adam", lr: 0.1 }, stage });
      return { stage, measured: zeroMemoryHeld(sim.workers[0]!), formula: zeroFormulaBytes(stage, Psi, 4) };
    });
    const figure = zeroMemoryFigure(bars, { unit: "B" });
    expect(figure.layout["barmode"]).toBe("stack");
    const stacked = [0, 1, 2, 3].map((i) => [0, 1, 2].reduce((s, t) => s + (figure.data[t]!.y as number[])[i]!, 0));
    expect(stacked).toEqual(figure.data[3]!.y);
    expect(stacked).toEqual([16 * 64, 8 * 64 + 2 * 64, 4 * 64 + 3 * 64, 4 * 64]); // 16Ψ, (8 + 8/4)Ψ, (4 + 12/4)Ψ, 16Ψ/4
    expectTitledAxes(figure);
  });
});
