/**
 * Figures of collective communication: the ring all-reduce's chunk schedule,
 * step by step, and algorithm time against message size and worker count.
 *
 * Schedules are data (the trace of src/parallel/ring.ts), the cost model prices
 * them (src/parallel/cost-model.ts), and these builders only draw.
 */
import type { AllReduceAlgorithm } from "../parallel/all-reduce";
import { ALL_REDUCE_ALGORITHMS } from "../parallel/all-reduce";
import { allReduceCost } from "../parallel/cost-model";
import type { LinkSpec } from "../parallel/links";
import type { CollectiveMessage } from "../parallel/trace";
import { formatBytesForTitle, integerAxis, integerColorbar, logAxis, type TickFormat } from "./axes";
import type { Axis, Figure, Trace } from "./figure";

/** Number of workers and steps of a trace. */
function traceShape(trace: readonly CollectiveMessage[]): { workers: number; steps: number; chunks: number } {
  if (trace.length === 0) throw new Error("Expected a trace with at least one message (use 2 or more workers).");
  const workers = 1 + Math.max(...trace.map((m) => Math.max(m.from, m.to)));
  const steps = Math.max(...trace.map((m) => m.step));
  const chunks = 1 + Math.max(...trace.map((m) => m.chunk));
  return { workers, steps, chunks };
}

/**
 * The schedule as a heat map: row = worker, column = step, colour = the chunk
 * that worker sends at that step (to its right neighbour for a ring).
 * @param trace the `trace` of ringAllReduce (or any collective that sends chunks)
 */
export function ringScheduleFigure(trace: readonly CollectiveMessage[]): Figure {
  const { workers, steps } = traceShape(trace);
  const z: (number | null)[][] = Array.from({ length: workers }, () => new Array<number | null>(steps).fill(null));
  const text: string[][] = Array.from({ length: workers }, () => new Array<string>(steps).fill(""));
  for (const m of trace) {
    z[m.from]![m.step - 1] = m.chunk;
    text[m.from]![m.step - 1] = `${m.phase}: chunk ${m.chunk} → worker ${m.to} (${m.bytes} B)`;
  }
  const stepLabels = Array.from({ length: steps }, (_, s) => s + 1);
  return {
    data: [
      {
        type: "heatmap",
        x: stepLabels,
        y: Array.from({ length: workers }, (_, w) => w),
        z,
        text,
        texttemplate: "%{z}",
        hovertemplate: "step %{x}, worker %{y}<br>%{text}<extra></extra>",
        colorscale: "Viridis",
        colorbar: integerColorbar("chunk sent (index)", 0, workers - 1),
      },
    ],
    layout: {
      title: { text: `Ring all-reduce on ${workers} workers: which chunk each worker sends` },
      xaxis: integerAxis("step (count; first half reduce-scatter, second half all-gather)", { tick0: 1 }),
      yaxis: integerAxis("worker (rank)", { autorange: "reversed" }),
    },
  };
}

/**
 * Step-by-step progress of a ring all-reduce: one small heat map per step, row =
 * worker, column = chunk, colour = how many workers' contributions that worker's
 * copy of the chunk holds after the step (light = its own only, dark = all n: complete).
 * Replays the trace.
 */
export function ringProgressFigure(trace: readonly CollectiveMessage[]): Figure {
  const { workers: n, steps, chunks } = traceShape(trace);
  const count = Array.from({ length: n }, () => new Array<number>(chunks).fill(1)); // contributions [worker][chunk]
  const columns = Math.min(steps, 4);
  const rows = Math.ceil(steps / columns);
  const data: Trace[] = [];
  const axes: Record<string, Axis> = {}; // xaxis, yaxis, xaxis2, yaxis2, ...
  const panelTitles: Record<string, unknown>[] = [];
  for (let s = 1; s <= steps; s++) {
    const messages = trace.filter((m) => m.step === s);
    // every message of a step reads the state before the step
    const before = count.map((row) => row.slice());
    for (const m of messages) {
      const value = before[m.from]![m.chunk]!;
      count[m.to]![m.chunk] = m.phase === "reduce-scatter" ? count[m.to]![m.chunk]! + value : value;
    }
    const axis = s === 1 ? "" : String(s);
    data.push({
      type: "heatmap",
      z: count.map((row) => row.slice()),
      x: Array.from({ length: chunks }, (_, c) => c),
      y: Array.from({ length: n }, (_, w) => w),
      zmin: 1,
      zmax: n,
      colorscale: "Blues",
      reversescale: true, // plotly's Blues runs dark → light; reversed, a complete chunk (n) is dark
      showscale: s === 1,
      colorbar: integerColorbar("contributions summed (workers)", 1, n),
      xaxis: `x${axis}`,
      yaxis: `y${axis}`,
      name: `step ${s}`,
      hovertemplate: `step ${s}: worker %{y}, chunk %{x}: %{z} of ${n}<extra></extra>`,
    });
    // axis titles only on the outer panels (bottom row, left column): inside the grid they
    // would run into the neighbouring panels; each panel is named by a title above it
    const row = Math.floor((s - 1) / columns);
    const bottom = row === rows - 1 || s + columns > steps;
    const left = (s - 1) % columns === 0;
    axes[`xaxis${axis}`] = integerAxis(bottom ? "chunk (index)" : "", { tick0: 0 });
    axes[`yaxis${axis}`] = integerAxis(left ? "worker (rank)" : "", { autorange: "reversed" });
    panelTitles.push({
      text: `step ${s}${s <= steps / 2 ? " (reduce-scatter)" : " (all-gather)"}`,
      xref: `x${axis} domain`,
      yref: `y${axis} domain`,
      x: 0.5,
      y: 1,
      yanchor: "bottom",
      showarrow: false,
      font: { size: 12 },
    });
  }
  return {
    data,
    layout: {
      title: { text: `Ring all-reduce on ${n} workers: contributions summed in each chunk after each step` },
      grid: { rows, columns, pattern: "independent", xgap: 0.25, ygap: 0.45 },
      annotations: panelTitles,
      ...axes,
      xaxis: axes["xaxis"]!,
      yaxis: axes["yaxis"]!,
    },
  };
}

const SECONDS: TickFormat = { kind: "si", unit: "s" };
const BYTES: TickFormat = { kind: "si", unit: "B" };

/** Options of the time-vs-size and time-vs-workers figures. */
export interface AllReduceTimeFigureOptions {
  readonly link: LinkSpec;
  /** @default every algorithm */
  readonly algorithms?: readonly AllReduceAlgorithm[];
}

/** All-reduce time against message size (log-log), one line per algorithm, for n workers. */
export function allReduceTimeVsBytesFigure(
  workers: number,
  bytes: readonly number[],
  options: AllReduceTimeFigureOptions,
): Figure {
  const algorithms = options.algorithms ?? ALL_REDUCE_ALGORITHMS;
  const data: Trace[] = algorithms.map((algorithm) => ({
    type: "scatter",
    mode: "lines+markers",
    name: algorithm,
    x: bytes.slice(),
    y: bytes.map((S) => allReduceCost(algorithm, workers, S, options.link).seconds),
  }));
  return {
    data,
    layout: {
      title: { text: `All-reduce time on ${workers} workers (α-β-γ model)` },
      xaxis: logAxis("message size S (bytes; 1 kB = 10³ B, 1 GB = 10⁹ B)", bytes, BYTES),
      yaxis: logAxis("time (seconds)", data.flatMap((t) => t.y ?? []), SECONDS),
    },
  };
}

/** All-reduce time against worker count (log-log), one line per algorithm, for S bytes. */
export function allReduceTimeVsWorkersFigure(
  bytes: number,
  workerCounts: readonly number[],
  options: AllReduceTimeFigureOptions,
): Figure {
  const algorithms = options.algorithms ?? ALL_REDUCE_ALGORITHMS;
  const data: Trace[] = algorithms.map((algorithm) => ({
    type: "scatter",
    mode: "lines+markers",
    name: algorithm,
    x: workerCounts.slice(),
    y: workerCounts.map((n) => allReduceCost(algorithm, n, bytes, options.link).seconds),
  }));
  return {
    data,
    layout: {
      title: { text: `All-reduce time for S = ${formatBytesForTitle(bytes)} (α-β-γ model)` },
      xaxis: logAxis("workers n (count)", workerCounts, undefined, workerCounts),
      yaxis: logAxis("time (seconds)", data.flatMap((t) => t.y ?? []), SECONDS),
    },
  };
}
