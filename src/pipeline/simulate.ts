/**
 * Event simulator: from a schedule and per-op costs to a timeline.
 *
 * Costs are given per micro-batch for one whole stage (all its layers):
 *   F  forward,  B  backward to the input,  W  backward to the weights,
 *   and a point-to-point transfer time between stages.
 * A schedule that does not split the backward runs B and W as one op of
 * B + W (the usual backward). With v chunks per device each chunk op costs 1/v of
 * the stage's (Narayanan et al. 2021, §2.2.2: each device computes v smaller,
 * non-contiguous subsets of layers).
 *
 * Every op starts when its stage is free and its dependencies have ended
 * (execute-order.ts). A schedule that breaks a rule throws a
 * `PipelineScheduleError` naming it (validate.ts), deadlocks included.
 */
import { pipelineOpIndex } from "./dependencies";
import { executePipelineOrder } from "./execute-order";
import { assertNeverPipelineOp, type PipelineOp, type PipelineSchedule } from "./op";
import { findPipelineStructureError, PipelineScheduleError } from "./validate";

export interface PipelineCosts {
  /** T_F: forward of one micro-batch through one stage. @default 1 */
  readonly forward?: number;
  /** T_B: backward to the stage's input for one micro-batch. @default 1 */
  readonly backward?: number;
  /** T_W: backward to the stage's weights for one micro-batch. @default 1 */
  readonly weight?: number;
  /** Point-to-point transfer of activations or gradients between two stages. @default 0 */
  readonly communication?: number;
}

/** Costs with every default filled in. */
export type ResolvedPipelineCosts = Required<PipelineCosts>;

/** An op with its simulated start and end time (same unit as the costs). */
export type TimedPipelineOp = PipelineOp & { readonly start: number; readonly end: number };

export interface PipelineTimeline {
  readonly schedule: PipelineSchedule;
  readonly costs: ResolvedPipelineCosts;
  /** `perStage[s]` lists stage s's ops in schedule order, with times. */
  readonly perStage: readonly (readonly TimedPipelineOp[])[];
  /** End of the last op (the simulation starts at time 0). */
  readonly makespan: number;
}

/** Fill in defaults and check every cost is a finite number >= 0. */
export function resolvePipelineCosts(costs: PipelineCosts = {}): ResolvedPipelineCosts {
  const resolved: ResolvedPipelineCosts = {
    forward: costs.forward ?? 1,
    backward: costs.backward ?? 1,
    weight: costs.weight ?? 1,
    communication: costs.communication ?? 0,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`Expected ${name} cost to be a finite number >= 0, got ${String(value)}.`);
    }
  }
  if (resolved.forward + resolved.backward + resolved.weight === 0) {
    throw new RangeError("Expected forward, backward and weight costs not all 0; give e.g. forward 1, backward 1, weight 1.");
  }
  return resolved;
}

/** Duration of one op: its stage cost divided by the v chunks; B + W when the backward is not split. */
export function pipelineOpDuration(op: PipelineOp, schedule: PipelineSchedule, costs: ResolvedPipelineCosts): number {
  const v = schedule.chunks;
  switch (op.kind) {
    case "forward":
      return costs.forward / v;
    case "backward":
      return (schedule.splitBackward ? costs.backward : costs.backward + costs.weight) / v;
    case "weight":
      return costs.weight / v;
    default:
      return assertNeverPipelineOp(op);
  }
}

/**
 * Simulate a schedule.
 * @param schedule any schedule (generated or hand-written); it is validated
 * @param costs per-op costs; defaults F = B = W = 1, no communication time
 * @returns start and end of every op, and the makespan
 * @throws PipelineScheduleError naming the first violated rule (deadlocks included)
 * @example
 *   const t = simulatePipeline(gpipeSchedule(4, 8), { forward: 1, backward: 2, weight: 0 });
 *   t.makespan; // (m + p − 1)(F + B) = 11 · 3 = 33
 */
export function simulatePipeline(schedule: PipelineSchedule, costs: PipelineCosts = {}): PipelineTimeline {
  const resolved = resolvePipelineCosts(costs);
  const structural = findPipelineStructureError(schedule);
  if (structural !== undefined) throw new PipelineScheduleError(structural);
  const execution = executePipelineOrder(schedule, (op) => pipelineOpDuration(op, schedule, resolved), resolved.communication);
  if (execution.kind === "deadlock") throw new PipelineScheduleError(execution.message);
  let makespan = 0;
  const perStage = schedule.perStage.map((ops) =>
    ops.map((op): TimedPipelineOp => {
      const i = pipelineOpIndex(op, schedule);
      const end = execution.end[i]!;
      makespan = Math.max(makespan, end);
      // an explicit literal (not a spread): the simulator builds one per op
      return { kind: op.kind, stage: op.stage, microbatch: op.microbatch, chunk: op.chunk, start: execution.start[i]!, end } as TimedPipelineOp;
    }),
  );
  return { schedule, costs: resolved, perStage, makespan };
}
