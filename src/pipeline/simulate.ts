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
import { executePipelineOrder } from "./execute-order";
import { pipelineOp, type PipelineOp, type PipelineSchedule } from "./op";
import { findPipelineStructureError, PipelineScheduleError } from "./validate";
import { assertNever } from "../foundation/assert-never";

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
  /** `startTimes[s][n]`: start of op n of stage s (schedule order). Compact form for large schedules. */
  readonly startTimes: readonly Float64Array[];
  /** `endTimes[s][n]`: end of op n of stage s. */
  readonly endTimes: readonly Float64Array[];
  /** `perStage[s]` lists stage s's ops in schedule order, with times (built on first use). */
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
      return assertNever(op);
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
  const structural = findPipelineStructureError(schedule, false);
  if (structural !== undefined) throw new PipelineScheduleError(structural);
  const durations = (["forward", "backward", "weight"] as const).map((kind) =>
    pipelineOpDuration(pipelineOp(kind, 0, 0), schedule, resolved),
  ) as [number, number, number];
  const execution = executePipelineOrder(schedule, durations, resolved.communication);
  if (execution.kind === "deadlock") {
    // an op before its own dependency on the same stage deadlocks too; name that rule when it is the cause
    throw new PipelineScheduleError(findPipelineStructureError(schedule) ?? execution.message);
  }
  const { start: startTimes, end: endTimes } = execution;
  let makespan = 0;
  for (const ends of endTimes) if (ends.length > 0) makespan = Math.max(makespan, ends[ends.length - 1]!);
  // One object per op costs more than the simulation itself for p = 64, m = 1024, so the
  // op-with-times view is built only when someone reads it.
  let perStage: TimedPipelineOp[][] | undefined;
  return {
    schedule,
    costs: resolved,
    startTimes,
    endTimes,
    makespan,
    get perStage(): readonly (readonly TimedPipelineOp[])[] {
      perStage ??= schedule.perStage.map((ops, s) =>
        ops.map((op, n) => ({ ...op, start: startTimes[s]![n]!, end: endTimes[s]![n]! })),
      );
      return perStage;
    },
  };
}
