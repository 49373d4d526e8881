/**
 * Pipeline schedules: how fast schedules are generated, simulated and drawn.
 *
 * 1. Generation + validation + simulation + metrics for p = 64 stages and
 *    m = 1,024 micro-batches (131,072 ops for 1F1B; 196,608 for ZB-H1).
 *    Target: under 100 ms for 1F1B. Baseline measured in the same run: one pass
 *    over the generated op lists reading every op's fields (the least any
 *    simulator must do); the ratio says how many such passes the simulation costs.
 * 2. Gantt figure JSON for p = 16, m = 64 (2,048 ops): building the figure and
 *    serialising it, against the simulation that produced the timeline.
 */
import * as os from "node:os";
import {
  buildPipelineSchedule,
  pipelineMetrics,
  simulatePipeline,
  type PipelineSchedule,
  type PipelineScheduleName,
} from "../src/pipeline";
import { pipelineGanttFigure } from "../src/plot/pipeline";
import { medianMs, printTable } from "./timing";

/**
 * Median CPU time (user + system, ms) of `fn`: on a shared machine wall time also
 * counts the time spent waiting for a core, CPU time does not.
 */
function medianCpuMs(fn: () => unknown, repeats = 7): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** One pass over every op, touching its fields: the baseline. */
function iterateOps(schedule: PipelineSchedule): number {
  let checksum = 0;
  for (const ops of schedule.perStage) {
    for (const op of ops) checksum += op.stage + op.microbatch + op.chunk + op.kind.length;
  }
  return checksum;
}

export async function run(): Promise<void> {
  const p = 64;
  const m = 1024;
  console.log(`Generate + simulate + metrics, p = ${p}, m = ${m} (target: 1f1b under 100 ms)`);
  const rows: (string | number)[][] = [];
  const names: readonly PipelineScheduleName[] = ["gpipe", "1f1b", "interleaved", "zb-h1"];
  for (const name of names) {
    const make = (): PipelineSchedule => buildPipelineSchedule({ schedule: name, stages: p, microbatches: m, chunks: 2 });
    const schedule = make();
    const ops = schedule.perStage.reduce((n, list) => n + list.length, 0);
    const baselineMs = await medianMs(() => iterateOps(schedule), 15, 3);
    const generateMs = await medianMs(make, 7, 1);
    const totalMs = await medianMs(() => pipelineMetrics(simulatePipeline(make())), 7, 1);
    const totalCpuMs = medianCpuMs(() => pipelineMetrics(simulatePipeline(make())));
    rows.push([name, ops, baselineMs, generateMs, totalMs, totalCpuMs, totalMs / baselineMs, (1e6 * totalMs) / ops]);
  }
  printTable(
    ["schedule", "ops", "iterate ms", "generate ms", "gen+sim+metrics ms", "same, CPU ms", "ratio vs iterate", "ns per op"],
    rows,
  );
  console.log(`(load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores while measuring)`);

  console.log("\nGantt figure JSON, p = 16, m = 64");
  const timeline = simulatePipeline(buildPipelineSchedule({ schedule: "1f1b", stages: 16, microbatches: 64 }));
  const simulateMs = await medianMs(() => simulatePipeline(buildPipelineSchedule({ schedule: "1f1b", stages: 16, microbatches: 64 })));
  const figureMs = await medianMs(() => pipelineGanttFigure(timeline));
  const jsonMs = await medianMs(() => JSON.stringify(pipelineGanttFigure(timeline)));
  const bytes = JSON.stringify(pipelineGanttFigure(timeline)).length;
  printTable(
    ["step", "ms", "ratio vs simulation"],
    [
      ["generate + simulate (baseline)", simulateMs, 1],
      ["build Gantt figure", figureMs, figureMs / simulateMs],
      ["build + JSON.stringify", jsonMs, jsonMs / simulateMs],
    ],
  );
  console.log(`Gantt JSON size: ${bytes} characters (${(bytes / 1e3).toFixed(1)} kB), ${timeline.perStage.length * 128} bars in 2 traces`);
}
