/**
 * Figures of pipeline schedules: a Gantt chart of a simulated timeline, the
 * bubble against the number of micro-batches, and the activations each stage
 * holds over time.
 *
 * Schedules are data (src/pipeline/), the simulator times them
 * (src/pipeline/simulate.ts), and these builders only draw. The Gantt chart uses
 * one horizontal bar trace per op kind (F, B, W), each bar placed by `base`
 * (start) and length (duration), so the JSON grows with the number of ops but
 * not with traces: a p = 16, m = 64 chart is three traces.
 */
import type { PipelineBubbleSweep } from "../pipeline/bubble-sweep";
import { pipelineInFlightOverTime } from "../pipeline/metrics";
import { pipelineOpLetter, type PipelineOpKind } from "../pipeline/op";
import type { PipelineTimeline } from "../pipeline/simulate";
import { linearAxis, logAxis } from "./axes";
import type { Figure, Trace } from "./figure";

/** Colour of each op kind: forward blue, backward green, weight gradient orange. */
export const PIPELINE_OP_COLORS: Readonly<Record<PipelineOpKind, string>> = {
  forward: "#4c78a8",
  backward: "#54a24b",
  weight: "#f58518",
};

/**
 * The second model chunk of an interleaved schedule in a light shade of its kind's colour (with
 * dark text), so the chart shows which chunk a box belongs to without reading its label.
 */
const PIPELINE_OP_LIGHT_COLORS: Readonly<Record<PipelineOpKind, string>> = {
  forward: "#a6c8ec",
  backward: "#a7dd9c",
  weight: "#ffc58a",
};

/** Fill and label colour of chunk c's boxes of one kind (chunks alternate dark and light). */
function chunkColors(kind: PipelineOpKind, chunk: number): { fill: string; text: string } {
  return chunk % 2 === 0 ? { fill: PIPELINE_OP_COLORS[kind], text: "white" } : { fill: PIPELINE_OP_LIGHT_COLORS[kind], text: "#1a1a1a" };
}

export interface PipelineGanttOptions {
  /** Unit of the costs, shown on the time axis ("s", "ms", ...). @default "cost units" */
  readonly timeUnit?: string;
  /** Write the micro-batch number in each box. @default true when there are at most 4,000 ops */
  readonly labels?: boolean;
  /** Figure title. @default the schedule's name, sizes and makespan */
  readonly title?: string;
}

const KIND_ORDER: readonly PipelineOpKind[] = ["forward", "backward", "weight"];

/**
 * Gantt chart: one row per stage (stage 0 on top), time on x, each op a box
 * coloured by kind with its micro-batch number in it. With model chunks
 * (interleaved schedules) each chunk has its own shade of the kind's colour
 * and its own legend entry; the hover names micro-batch and chunk. White gaps
 * are the bubbles. Labels too small to read are hidden rather than shrunk.
 * The title gives the makespan but not the bubble fraction: the chart shows the bubble as
 * white space, and measuring it is lab 5's exercise (pipeline.bubbleFraction), so a chart
 * drawn before that exercise depends on no answer.
 * @example
 *   showPlot(pipelineGanttFigure(simulatePipeline(oneFOneBSchedule(4, 8))));
 */
export function pipelineGanttFigure(timeline: PipelineTimeline, options: PipelineGanttOptions = {}): Figure {
  const { schedule } = timeline;
  const opCount = schedule.perStage.reduce((n, ops) => n + ops.length, 0);
  const labels = options.labels ?? opCount <= 4000;
  const unit = options.timeUnit ?? "cost units";
  const withChunk = schedule.chunks > 1;
  // labels are shared strings, one per stage and per (micro-batch, chunk), not one per op
  const stageLabels = Array.from({ length: schedule.stages }, (_, s) => `stage ${s}`);
  const boxLabels = Array.from({ length: schedule.microbatches }, (_, j) => String(j));
  const data: Trace[] = [];
  for (const kind of KIND_ORDER) for (let chunk = 0; chunk < schedule.chunks; chunk++) {
    const y: string[] = [];
    const base: number[] = [];
    const x: number[] = [];
    const text: string[] = [];
    schedule.perStage.forEach((ops, s) => {
      const starts = timeline.startTimes[s]!;
      const ends = timeline.endTimes[s]!;
      for (let n = 0; n < ops.length; n++) {
        const op = ops[n]!;
        if (op.kind !== kind || op.chunk !== chunk) continue;
        y.push(stageLabels[s]!);
        base.push(starts[n]!);
        x.push(ends[n]! - starts[n]!);
        text.push(boxLabels[op.microbatch]!);
      }
    });
    if (y.length === 0) continue;
    const letter = pipelineOpLetter(kind);
    const kindName = kind === "backward" && !schedule.splitBackward ? "B (backward, with weights)" : `${letter} (${kind})`;
    const name = withChunk ? `${kindName}, chunk ${chunk}` : kindName;
    const colors = chunkColors(kind, chunk);
    data.push({
      type: "bar",
      orientation: "h",
      name,
      y,
      base,
      x,
      ...(labels ? { text, textposition: "inside", insidetextanchor: "middle", textangle: 0, insidetextfont: { color: colors.text } } : {}),
      marker: { color: colors.fill, line: { color: "white", width: 1 } },
      hovertemplate:
        `${letter}${labels ? " micro-batch %{text}" : ""}${withChunk ? `, chunk ${chunk}` : ""}` +
        `<br>start %{base}, duration %{x} (${unit})<extra>%{y}</extra>`,
    });
  }
  const sizes = `p = ${schedule.stages}, m = ${schedule.microbatches}${withChunk ? `, v = ${schedule.chunks}` : ""}`;
  const title =
    options.title ??
    `${schedule.name}: ${sizes}; makespan ${round(timeline.makespan)} ${unit}`;
  return {
    data,
    layout: {
      title: { text: title },
      barmode: "overlay",
      bargap: 0.15,
      // every label the same size, and none below 9 px: a box too narrow for its number stays unlabelled
      uniformtext: { mode: "hide", minsize: 9 },
      xaxis: linearAxis(`time (${unit})`, { range: [0, timeline.makespan] }),
      yaxis: {
        title: { text: "pipeline stage (device)" },
        type: "category",
        categoryorder: "array",
        categoryarray: stageLabels,
        autorange: "reversed",
      },
      legend: { orientation: "h", x: 0, y: -0.2, yanchor: "top" },
      margin: { b: 100 },
    },
  };
}

/**
 * Bubble over ideal, (makespan − ideal)/ideal, against the number of
 * micro-batches m for each schedule: simulated (markers) and, where the costs
 * meet the formula's assumptions, the closed form (dotted). The sweep is computed by
 * `pipelineBubbleSweep` (pipeline/bubble-sweep.ts); this only draws it.
 * @example showPlot(pipelineBubbleFigure(pipelineBubbleSweep({ stages: 8, microbatches: [1, 2, 4, 8, 16] })));
 */
export function pipelineBubbleFigure(sweep: PipelineBubbleSweep): Figure {
  const data: Trace[] = [];
  sweep.series.forEach((series, i) => {
    const label = series.schedule === "interleaved" ? `interleaved (v = ${series.chunks})` : series.schedule;
    const color = SERIES_COLORS[i % SERIES_COLORS.length]!;
    // simulated points as markers only (each schedule its own symbol, since GPipe and 1F1B
    // coincide), so the closed form's dotted line stays visible through them
    const symbol = MARKER_SYMBOLS[i % MARKER_SYMBOLS.length]!;
    data.push({ type: "scatter", mode: "markers", name: `${label}, simulated`, x: series.microbatches, y: series.simulated, marker: { color, symbol, size: 9, line: { color, width: 2 } } });
    if (series.closedForm !== undefined) {
      data.push({
        type: "scatter",
        mode: "lines",
        name: `${label}, closed form`,
        x: series.closedForm.microbatches,
        y: series.closedForm.bubbleOverIdeal,
        line: { color, dash: "dot", width: 2.5 },
      });
    }
  });
  return {
    data,
    layout: {
      title: { text: `Pipeline bubble vs micro-batches, p = ${sweep.stages} stages` },
      xaxis: logAxis("micro-batches m (count)", sweep.microbatches, undefined, sweep.microbatches),
      yaxis: logAxis("bubble over ideal ((makespan − ideal) / ideal, ratio)", data.flatMap((t) => t.y ?? [])),
      legend: { font: { size: 11 } },
    },
  };
}

const SERIES_COLORS = ["#7f7f7f", "#4c78a8", "#e45756", "#b279a2", "#f58518", "#54a24b"];
const MARKER_SYMBOLS = ["square-open", "circle-open", "x-thin-open", "diamond-open", "triangle-up-open", "star-open"];

/**
 * Activations held by each stage over time: one step line per stage, in units of
 * one micro-batch's activations through a whole stage (a chunk counts 1/v).
 */
export function pipelineMemoryFigure(timeline: PipelineTimeline, options: Pick<PipelineGanttOptions, "timeUnit"> = {}): Figure {
  const unit = options.timeUnit ?? "cost units";
  const data: Trace[] = pipelineInFlightOverTime(timeline).map((series) => ({
    type: "scatter",
    mode: "lines",
    name: `stage ${series.stage}`,
    x: [...series.time, timeline.makespan],
    y: [...series.activations, 0],
    line: { shape: "hv" },
  }));
  return {
    data,
    layout: {
      title: { text: `Activations held per stage: ${timeline.schedule.name}` },
      xaxis: linearAxis(`time (${unit})`),
      // unit: one micro-batch's activations through the whole stage
      yaxis: linearAxis("activations held (micro-batches' worth)", { rangemode: "tozero", automargin: true }),
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
