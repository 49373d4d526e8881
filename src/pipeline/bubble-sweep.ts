/**
 * The bubble of each schedule as the number of micro-batches grows: simulated, and
 * the closed form where the costs meet the formula's assumptions (the data the lab 5
 * bubble figure draws; plot/pipeline.ts only draws it).
 *
 * Bubble over ideal = (makespan − ideal) / ideal (metrics.ts). Closed forms
 * (closed-form.ts): GPipe and 1F1B (p − 1)/m (Narayanan et al. 2021, §2.2.1),
 * interleaved with v chunks (p − 1)/(v·m) (§2.2.2), ZB-H1 with F = B = W (Qi et al. 2024, §3).
 * Interleaved points exist only where m is a multiple of p; ZB-H1's closed form needs m ≥ p.
 */
import { buildPipelineSchedule, PIPELINE_SCHEDULE_NAMES, type PipelineScheduleName } from "./build-schedule";
import { closedFormBubbleOverIdeal } from "./closed-form";
import { pipelineMetrics } from "./metrics";
import { resolvePipelineCosts, simulatePipeline, type PipelineCosts } from "./simulate";

export interface PipelineBubbleOptions {
  /** p */
  readonly stages: number;
  /** The values of m to simulate. */
  readonly microbatches: readonly number[];
  /** @default all five schedules */
  readonly schedules?: readonly PipelineScheduleName[];
  /** v for the interleaved schedule. @default 2 */
  readonly chunks?: number;
  /** @default F = B = W = 1, no communication time */
  readonly costs?: PipelineCosts;
}

/** One schedule's bubble over ideal at each m. */
export interface PipelineBubbleSeries {
  readonly schedule: PipelineScheduleName;
  /** v (used by the interleaved schedule) */
  readonly chunks: number;
  /** the values of m simulated */
  readonly microbatches: readonly number[];
  /** simulated bubble over ideal at each m (ratio) */
  readonly simulated: readonly number[];
  /** the closed form at the m where it holds, or undefined where the costs break its assumptions */
  readonly closedForm?: { readonly microbatches: readonly number[]; readonly bubbleOverIdeal: readonly number[] };
}

/** The whole sweep: p, the m asked for, and one series per schedule. */
export interface PipelineBubbleSweep {
  readonly stages: number;
  readonly microbatches: readonly number[];
  readonly series: readonly PipelineBubbleSeries[];
}

/**
 * Simulate every schedule at every m and compute the closed form where it holds.
 * @example pipelineBubbleSweep({ stages: 4, microbatches: [4, 8, 16], schedules: ["1f1b"] }).series[0].simulated // [0.75, 0.375, 0.1875]
 */
export function pipelineBubbleSweep(options: PipelineBubbleOptions): PipelineBubbleSweep {
  const { stages: p } = options;
  const chunks = options.chunks ?? 2;
  const costs = resolvePipelineCosts(options.costs);
  const names = options.schedules ?? PIPELINE_SCHEDULE_NAMES;
  const noComm = costs.communication === 0;
  const uniform = noComm && costs.forward === costs.backward && costs.backward === costs.weight;
  const series = names.map((schedule): PipelineBubbleSeries => {
    const ms = options.microbatches.filter((m) => schedule !== "interleaved" || m % p === 0);
    const simulated = ms.map(
      (m) => pipelineMetrics(simulatePipeline(buildPipelineSchedule({ schedule, stages: p, microbatches: m, chunks }), costs)).bubbleOverIdeal,
    );
    const formulaHolds = schedule === "zb-h1" ? uniform : noComm;
    if (!formulaHolds) return { schedule, chunks, microbatches: ms, simulated };
    const closed = ms.filter((m) => schedule !== "zb-h1" || m >= p);
    const closedForm = { microbatches: closed, bubbleOverIdeal: closed.map((m) => closedFormBubbleOverIdeal(schedule, p, m, chunks)) };
    return { schedule, chunks, microbatches: ms, simulated, closedForm };
  });
  return { stages: p, microbatches: options.microbatches, series };
}
