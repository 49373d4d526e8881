/**
 * Scaling figures: parallel efficiency and speedup against worker count for the
 * curves of src/parallel/scaling.ts (weak or strong scaling, with or without
 * overlap, with stragglers).
 *
 *   speedup(N) = X(N) / X(1),  efficiency(N) = speedup(N) / N
 */
import type { ScalingPoint } from "../parallel/scaling";
import { linearAxis, logAxis } from "./axes";
import type { Figure, Trace } from "./figure";

/** One named curve. */
export interface ScalingSeries {
  readonly name: string;
  readonly points: readonly ScalingPoint[];
}

function expectSeries(series: readonly ScalingSeries[]): void {
  if (series.length === 0) throw new Error("Expected at least one scaling series, got none. Pass [{ name, points }].");
}

/** The worker counts of all series, sorted: the ticks of a worker axis (powers of two, usually). */
function workerCounts(series: readonly ScalingSeries[]): number[] {
  return [...new Set(series.flatMap((s) => s.points.map((p) => p.workers)))].sort((a, b) => a - b);
}

/** Parallel efficiency (%) against workers (log2 axis); 100% is linear scaling. */
export function scalingEfficiencyFigure(series: readonly ScalingSeries[], title = "Data-parallel scaling efficiency"): Figure {
  expectSeries(series);
  const counts = workerCounts(series);
  return {
    data: series.map((s) => ({
      type: "scatter",
      mode: "lines+markers",
      name: s.name,
      x: s.points.map((p) => p.workers),
      y: s.points.map((p) => 100 * p.efficiency),
    })),
    layout: {
      title: { text: title },
      xaxis: logAxis("workers N (GPUs)", counts, undefined, counts),
      yaxis: linearAxis("efficiency = speedup / N (%)", { range: [0, 105], ticksuffix: "%" }),
    },
  };
}

/** Speedup against workers (log-log), with the ideal line speedup = N. */
export function scalingSpeedupFigure(series: readonly ScalingSeries[], title = "Data-parallel speedup"): Figure {
  expectSeries(series);
  const counts = workerCounts(series);
  const data: Trace[] = [
      { type: "scatter", mode: "lines", name: "ideal (speedup = N)", x: counts, y: counts, line: { dash: "dash" } },
      ...series.map((s) => ({
        type: "scatter",
        mode: "lines+markers",
        name: s.name,
        x: s.points.map((p) => p.workers),
        y: s.points.map((p) => p.speedup),
      })),
  ];
  return {
    data,
    layout: {
      title: { text: title },
      xaxis: logAxis("workers N (GPUs)", counts, undefined, counts),
      yaxis: logAxis("speedup X(N) / X(1) (×)", data.flatMap((t) => t.y ?? []), undefined, counts),
    },
  };
}
