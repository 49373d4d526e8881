/**
 * `efflab pipeline`: generate a pipeline schedule, simulate it and print its
 * makespan, bubble and in-flight micro-batches (src/pipeline/; DESIGN.md,
 * "Pipeline metrics"). Small schedules also get an ASCII timeline; `--html FILE`
 * saves the Gantt chart.
 */
import { defineCommand, type Io } from "../command";
import {
  buildPipelineSchedule,
  closedFormBubbleOverIdeal,
  PIPELINE_SCHEDULE_NAMES,
  pipelineMetrics,
  pipelineOpLetter,
  simulatePipeline,
  type PipelineMetrics,
  type PipelineScheduleName,
  type PipelineTimeline,
} from "../../pipeline";
import { pipelineGanttFigure } from "../../plot/pipeline";
import { savePlot } from "../../plot/save";
import { formatTextTable } from "../../foundation/text-table";

/** The ASCII timeline is printed when it fits in this many characters per line. */
const TIMELINE_MAX_WIDTH = 160;

export const pipelineCommand = defineCommand({
  name: "pipeline",
  summary: "simulate a pipeline schedule (naive, GPipe, 1F1B, interleaved, ZB-H1): makespan, bubble, in-flight micro-batches",
  description:
    "Costs are per micro-batch for one whole stage: F forward, B backward to the input, W backward to the weights\n" +
    "(schedules that do not split the backward run B + W as one op); with --chunks v each chunk op costs 1/v.\n" +
    "  bubbleFraction  = idle stage-time / (p · makespan)      GPipe: (p − 1)/(m + p − 1)\n" +
    "  bubbleOverIdeal = (makespan − m(F + B + W)) / m(F + B + W)\n" +
    "      GPipe, 1F1B (p − 1)/m; interleaved (p − 1)/(v·m) (Narayanan et al. 2021, §2.2);\n" +
    "      ZB-H1 (p − 1)/(3m) when F = B = W (Qi et al. 2024, §2.1)\n" +
    "  peakInFlight[s] = most micro-batches (per chunk) whose forward ran on stage s and whose backward has not finished",
  flags: [
    { name: "schedule", type: "string", required: true, choices: PIPELINE_SCHEDULE_NAMES, placeholder: "S", description: "which schedule" },
    { name: "stages", type: "integer", required: true, min: 1, placeholder: "P", description: "p: pipeline stages (devices)" },
    { name: "microbatches", type: "integer", required: true, min: 1, placeholder: "M", description: "m: micro-batches per batch" },
    { name: "chunks", type: "integer", default: 2, min: 1, placeholder: "V", description: "v: model chunks per device (interleaved only)" },
    { name: "forward", type: "number", default: 1, min: 0, placeholder: "T", description: "T_F: forward time per micro-batch per stage" },
    { name: "backward", type: "number", default: 1, min: 0, placeholder: "T", description: "T_B: backward-to-input time" },
    { name: "weight", type: "number", default: 1, min: 0, placeholder: "T", description: "T_W: backward-to-weights time" },
    { name: "comm", type: "number", default: 0, min: 0, placeholder: "T", description: "point-to-point transfer time between stages" },
    { name: "html", type: "string", placeholder: "FILE", description: "also save the Gantt chart as an HTML page" },
  ],
  examples: [
    "efflab pipeline --schedule 1f1b --stages 4 --microbatches 8",
    "efflab pipeline --schedule interleaved --stages 4 --microbatches 8 --chunks 2 --json",
    "efflab pipeline --schedule zb-h1 --stages 4 --microbatches 8 --html zb-h1.html",
  ],
  run(args, io: Io): number {
    const { schedule, stages, microbatches, forward, backward, weight, comm, html: htmlFile } = args.flags;
    const chunks = schedule === "interleaved" ? args.flags.chunks : 1;
    const costs = { forward, backward, weight, communication: comm };
    const timeline: PipelineTimeline = simulatePipeline(buildPipelineSchedule({ schedule, stages, microbatches, chunks }), costs);
    const metrics = pipelineMetrics(timeline);
    const html = htmlFile === undefined ? undefined : savePlot(pipelineGanttFigure(timeline), htmlFile);
    if (args.json) {
      io.out(JSON.stringify(pipelineJson(timeline, metrics, html)));
      return 0;
    }
    io.out(pipelineReport(timeline, metrics));
    const ascii = pipelineAsciiTimeline(timeline);
    if (ascii !== undefined) io.out(`\n${ascii}`);
    if (html !== undefined) io.out(`\nGantt chart saved to ${html}`);
    return 0;
  },
});

/** The `--json` document: exact numbers, camelCase keys. */
function pipelineJson(timeline: PipelineTimeline, metrics: PipelineMetrics, html: string | undefined): object {
  const { schedule } = timeline;
  return {
    schedule: schedule.name,
    stages: schedule.stages,
    microbatches: schedule.microbatches,
    chunks: schedule.chunks,
    splitBackward: schedule.splitBackward,
    costs: timeline.costs,
    makespan: metrics.makespan,
    ideal: metrics.ideal,
    bubbleFraction: metrics.bubbleFraction,
    bubbleOverIdeal: metrics.bubbleOverIdeal,
    peakInFlight: metrics.peakInFlight,
    ops: timeline.perStage.flatMap((ops) =>
      ops.map((op) => ({ stage: op.stage, kind: op.kind, microbatch: op.microbatch, chunk: op.chunk, start: op.start, end: op.end })),
    ),
    ...(html !== undefined ? { html } : {}),
  };
}

/** Metrics and the per-stage table, as aligned text. */
function pipelineReport(timeline: PipelineTimeline, metrics: PipelineMetrics): string {
  const { schedule, costs } = timeline;
  const { stages: p, microbatches: m, chunks: v } = schedule;
  const name = schedule.name as PipelineScheduleName;
  const closed = closedFormBubbleOverIdeal(name, p, m, v);
  const closedApplies = costs.communication === 0 && (name !== "zb-h1" || (costs.forward === costs.backward && costs.backward === costs.weight && m >= p));
  const lines = [
    `schedule ${name}: p = ${p} stages, m = ${m} micro-batches${name === "interleaved" ? `, v = ${v} chunks` : ""}`,
    `costs per micro-batch per stage (time units): F = ${costs.forward}, B = ${costs.backward}, W = ${costs.weight}, p2p = ${costs.communication}`,
    "",
    formatTextTable(
      ["metric", "value"],
      [
        ["makespan (time units)", fmt(metrics.makespan)],
        ["ideal m(F + B + W) (time units)", fmt(metrics.ideal)],
        ["bubble fraction", `${fmt(metrics.bubbleFraction)} (${(100 * metrics.bubbleFraction).toFixed(2)}%)`],
        ["bubble over ideal", fmt(metrics.bubbleOverIdeal)],
        ...(closedApplies ? [["  closed form", fmt(closed)]] : []),
      ],
      { align: "left" },
    ),
    "",
    v === 1
      ? formatTextTable(
          ["stage", "busy (time units)", "idle (time units)", "peak in flight (micro-batches)"],
          metrics.busy.map((busy, s) => [String(s), fmt(busy), fmt(metrics.makespan - busy), String(metrics.peakInFlight[s])]),
          { align: "left" },
        )
      : formatTextTable(
          ["stage", "busy (time units)", "idle (time units)", "peak in flight (micro-batch chunks)", "peak activations (micro-batches)"],
          metrics.busy.map((busy, s) => [
            String(s),
            fmt(busy),
            fmt(metrics.makespan - busy),
            String(metrics.peakInFlight[s]),
            fmt(metrics.peakInFlight[s]! / v),
          ]),
          { align: "left" },
        ),
  ];
  return lines.join("\n");
}

/**
 * One text row per stage, one cell of 3 characters per shortest op: "F0 " is a
 * forward of micro-batch 0, "." an idle cell. Returns undefined when it would
 * not fit in TIMELINE_MAX_WIDTH characters or the durations do not fall on a grid.
 */
export function pipelineAsciiTimeline(timeline: PipelineTimeline): string | undefined {
  const durations = timeline.perStage.flatMap((ops) => ops.map((op) => op.end - op.start)).filter((d) => d > 0);
  if (durations.length === 0) return undefined;
  const unit = Math.min(...durations);
  const cells = Math.round(timeline.makespan / unit);
  const cellWidth = 3;
  if (cells * cellWidth > TIMELINE_MAX_WIDTH) return undefined;
  const rows: string[] = [];
  for (const [s, ops] of timeline.perStage.entries()) {
    const row = new Array<string>(cells).fill(" . ");
    for (const op of ops) {
      const from = op.start / unit;
      const to = op.end / unit;
      if (Math.abs(from - Math.round(from)) > 1e-9 || Math.abs(to - Math.round(to)) > 1e-9) return undefined;
      const width = (Math.round(to) - Math.round(from)) * cellWidth;
      if (width === 0) continue;
      const letter = pipelineOpLetter(op.kind);
      let label = `${letter}${op.microbatch}`;
      if (timeline.schedule.chunks > 1) {
        // "F3.1" where it fits; otherwise lower case marks odd chunks: "F3" chunk 0, "f3" chunk 1
        label = `${label}.${op.chunk}`.length < width ? `${label}.${op.chunk}` : `${op.chunk % 2 === 1 ? letter.toLowerCase() : letter}${op.microbatch}`;
      }
      const text = label.length >= width ? label.slice(0, width) : label.padEnd(width - 1, " ") + "|";
      for (let c = Math.round(from); c < Math.round(to); c++) {
        const offset = (c - Math.round(from)) * cellWidth;
        row[c] = text.slice(offset, offset + cellWidth);
      }
    }
    rows.push(`stage ${String(s).padStart(2)} |${row.join("")}`);
  }
  const chunkNote = timeline.schedule.chunks > 1 ? "; .c = chunk c, lower case = odd chunk" : "";
  const legend = `timeline (one cell = ${fmt(unit)} time unit${unit === 1 ? "" : "s"}; F forward, B backward, W weight gradient${chunkNote}; . idle)`;
  return [legend, ...rows].join("\n");
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 1e6) / 1e6);
}
