/**
 * Figures for lab 6 (profiling and precision): where a training step's time goes, the
 * measured roofline, MFU against the batch size, recomputation's trade, and loss scaling.
 * Plain plotly JSON (see figure.ts); every axis names its unit and follows the tick policy of axes.ts.
 */
import type { Roofline, RooflinePoint } from "../profiling/roofline";
import type { StepProfile } from "../profiling/step-profile";
import type { RecomputeTradeoff } from "../profiling/recompute";
import { byteUnitNote, categoryAxis, linearAxis, logAxis, powerOfTwoTickValues } from "./axes";
import type { Figure, Trace } from "./figure";

/** Stacked bars: forward, backward and optimizer milliseconds per step, one bar per batch size. */
export function stepPhasesFigure(profiles: readonly StepProfile[]): Figure {
  if (profiles.length === 0) throw new Error("Expected at least one step profile to plot, got none.");
  const x = profiles.map((p) => `B = ${p.batch}`);
  const phases = [
    ["forward", "forward"],
    ["backward", "backward"],
    ["optimizer", "optimizer (Adam)"],
  ] as const;
  const data: Trace[] = phases.map(([key, name]) => ({ type: "bar", name, x, y: profiles.map((p) => p.phases[key] * 1000) }));
  return {
    data,
    layout: {
      title: { text: `Where one training step's time goes (${profiles[0]!.backend} backend)` },
      barmode: "stack",
      xaxis: categoryAxis("batch size (examples per step)"),
      yaxis: linearAxis("time per step (ms)"),
    },
  };
}

const KIND_NAMES: Readonly<Record<RooflinePoint["kind"], string>> = {
  matmul: "matmul A·B (n×n)",
  "matmul-transposed": "matmul with a transposed operand",
  matvec: "matrix × vector",
  elementwise: "element-wise add",
};

const KIND_SYMBOLS: Readonly<Record<RooflinePoint["kind"], string>> = { matmul: "circle", "matmul-transposed": "x", matvec: "diamond", elementwise: "square" };

/** Log-log roofline: measured points and the two measured ceilings, min(peak, bandwidth · I). */
export function rooflineFigure(roofline: Roofline): Figure {
  const intensities = roofline.points.map((p) => p.intensity);
  const lo = Math.min(...intensities, roofline.ridgeIntensity) / 2;
  const hi = Math.max(...intensities, roofline.ridgeIntensity) * 2;
  const G = 1e9;
  const roof: Trace = {
    type: "scatter",
    mode: "lines",
    name: `roof: ${(roofline.bandwidth / G).toFixed(1)} GB/s · I, capped at ${(roofline.peakFlops / G).toFixed(1)} GFLOP/s`,
    x: [lo, roofline.ridgeIntensity, hi],
    y: [(roofline.bandwidth * lo) / G, roofline.peakFlops / G, roofline.peakFlops / G],
    line: { color: "black", width: 2 },
  };
  const kinds = [...new Set(roofline.points.map((p) => p.kind))];
  const points: Trace[] = kinds.map((kind) => {
    const ps = roofline.points.filter((p) => p.kind === kind);
    return {
      type: "scatter",
      mode: "markers",
      name: KIND_NAMES[kind],
      x: ps.map((p) => p.intensity),
      y: ps.map((p) => p.flopsPerSecond / G),
      text: ps.map((p) => p.label),
      hovertemplate: "%{text}<br>I = %{x:.3g} FLOP/byte<br>%{y:.3g} GFLOP/s<extra></extra>",
      marker: { size: 10, symbol: KIND_SYMBOLS[kind] },
    };
  });
  return {
    data: [roof, ...points],
    layout: {
      title: { text: `Roofline of this machine, measured (${roofline.backend} backend, fp32)` },
      xaxis: logAxis("arithmetic intensity (FLOP/byte, log scale)", [...intensities, ...(roof.x as number[])]),
      yaxis: logAxis("achieved throughput (GFLOP/s, log scale)", [...points.flatMap((t) => t.y as number[]), ...(roof.y as number[])]),
      legend: { x: 0.99, xanchor: "right", y: 0.02, yanchor: "bottom", bgcolor: "rgba(255,255,255,0.85)" },
      annotations: [
        { x: Math.log10(Math.sqrt(lo * roofline.ridgeIntensity)), y: Math.log10((roofline.bandwidth * Math.sqrt(lo * roofline.ridgeIntensity)) / G), text: "memory-bound", showarrow: false, textangle: -35, yshift: 14 },
        { x: Math.log10(Math.sqrt(roofline.ridgeIntensity * hi)), y: Math.log10(roofline.peakFlops / G), text: "compute-bound", showarrow: false, yshift: 12 },
      ],
    },
  };
}

/** MFU (%) of the profiled step against the batch size, log x. */
export function mfuVsBatchFigure(profiles: readonly StepProfile[], peakFlops: number): Figure {
  if (profiles.length === 0) throw new Error("Expected at least one step profile to plot, got none.");
  const batches = profiles.map((p) => p.batch);
  return {
    data: [
      {
        type: "scatter",
        mode: "lines+markers",
        name: "MFU = 6PB / (step time · peak)",
        x: batches,
        y: profiles.map((p) => (100 * p.modelFlops) / p.stepSeconds / peakFlops),
      },
    ],
    layout: {
      title: { text: `Model FLOPs utilisation against batch size (peak ${(peakFlops / 1e9).toFixed(1)} GFLOP/s, measured)` },
      // the measured batch sizes themselves label the axis
      xaxis: logAxis("batch size (examples per step, log scale)", batches, undefined, batches),
      yaxis: linearAxis("MFU (% of measured peak)", { rangemode: "tozero" }),
    },
  };
}

/** Recomputation: extra FLOPs (x) against activation memory (y), one point per mode. */
export function recomputeTradeoffFigure(rows: readonly RecomputeTradeoff[], modelName: string): Figure {
  const maxExtra = Math.max(...rows.map((r) => 100 * (r.flopsRatio - 1)), 1);
  const maxGB = Math.max(...rows.map((r) => r.activationBytes / 1e9));
  return {
    data: [
      {
        type: "scatter",
        mode: "text+markers+lines",
        name: modelName,
        x: rows.map((r) => 100 * (r.flopsRatio - 1)),
        y: rows.map((r) => r.activationBytes / 1e9),
        text: rows.map((r) => r.recompute),
        textposition: "top right",
        marker: { size: 12 },
      },
    ],
    layout: {
      title: { text: `Recomputation trades FLOPs for memory: ${modelName}` },
      // room around the points for their labels: "none" sits at 0 % and at the most memory
      xaxis: linearAxis("extra FLOPs per iteration (% over no recomputation)", { range: [-0.04 * maxExtra, 1.12 * maxExtra] }),
      yaxis: linearAxis(`activation memory per GPU (${byteUnitNote("GB")})`, { range: [0, 1.15 * maxGB] }),
    },
  };
}

/** One series of a loss-scale trace. */
export interface LossScaleSeries {
  readonly name: string;
  /** S per step. */
  readonly scales: readonly number[];
  /** Steps skipped for overflow. */
  readonly skipped?: readonly number[];
}

/** The loss scale over the steps (log y), skipped steps marked. */
export function lossScaleFigure(series: readonly LossScaleSeries[]): Figure {
  const data: Trace[] = [];
  for (const s of series) {
    data.push({ type: "scatter", mode: "lines", name: s.name, x: s.scales.map((_, i) => i), y: [...s.scales], line: { shape: "hv" } });
    if (s.skipped !== undefined && s.skipped.length > 0) {
      data.push({ type: "scatter", mode: "markers", name: `${s.name}: skipped (overflow)`, x: [...s.skipped], y: s.skipped.map((i) => s.scales[i]), marker: { symbol: "x", size: 9, color: "red" } });
    }
  }
  const scales = series.flatMap((s) => s.scales);
  return {
    data,
    layout: {
      title: { text: "Dynamic loss scale (×2 after clean steps, ×½ and skip on overflow)" },
      xaxis: linearAxis("training step (count)", { rangemode: "tozero" }),
      // S moves in factors of two: label it in powers of two (2¹⁶ is PyTorch's GradScaler default)
      yaxis: logAxis("loss scale S (dimensionless, log scale)", scales, { kind: "power-of-two" }, powerOfTwoTickValues(scales), { tickfont: { size: 14 } }),
      // above the plot, which keeps the whole width for the steps
      legend: { orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom" },
    },
  };
}
