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
        colorbar: { title: { text: "chunk sent (index)" } },
      },
    ],
    layout: {
      title: { text: `Ring all-reduce on ${workers} workers: which chunk each worker sends` },
      xaxis: { title: { text: "step (count; first half reduce-scatter, second half all-gather)" }, dtick: 1 },
      yaxis: { title: { text: "worker (rank)" }, dtick: 1, autorange: "reversed" },
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
      colorbar: { title: { text: "contributions (workers)" } },
      xaxis: `x${axis}`,
      yaxis: `y${axis}`,
      name: `step ${s}`,
      hovertemplate: `step ${s}: worker %{y}, chunk %{x}: %{z} of ${n}<extra></extra>`,
    });
    axes[`xaxis${axis}`] = { title: { text: `chunk (index), step ${s}` }, dtick: 1 };
    axes[`yaxis${axis}`] = { title: { text: "worker (rank)" }, dtick: 1, autorange: "reversed" };
  }
  return {
    data,
    layout: {
      title: { text: `Ring all-reduce on ${n} workers: contributions summed in each chunk after each step` },
      grid: { rows, columns, pattern: "independent" },
      ...axes,
      xaxis: axes["xaxis"]!,
      yaxis: axes["yaxis"]!,
    },
  };
}

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
  return {
    data: algorithms.map((algorithm) => ({
      type: "scatter",
      mode: "lines+markers",
      name: algorithm,
      x: bytes.slice(),
      y: bytes.map((S) => allReduceCost(algorithm, workers, S, options.link).seconds),
    })),
    layout: {
      title: { text: `All-reduce time on ${workers} workers (α-β-γ model)` },
      xaxis: { title: { text: "message size S (bytes)" }, type: "log" },
      yaxis: { title: { text: "time (seconds)" }, type: "log" },
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
  return {
    data: algorithms.map((algorithm) => ({
      type: "scatter",
      mode: "lines+markers",
      name: algorithm,
      x: workerCounts.slice(),
      y: workerCounts.map((n) => allReduceCost(algorithm, n, bytes, options.link).seconds),
    })),
    layout: {
      title: { text: `All-reduce time for S = ${bytes} bytes (α-β-γ model)` },
      xaxis: { title: { text: "workers n (count)" }, type: "log" },
      yaxis: { title: { text: "time (seconds)" }, type: "log" },
    },
  };
}
