/**
 * Checking a schedule before simulating it: the rules every pipeline schedule
 * obeys, whoever wrote it.
 *
 *   1. shape: p, m, v integers >= 1 and one op list per stage;
 *   2. every op is well formed: it sits in its own stage's list, its micro-batch
 *      and chunk are in range, and W ops appear only when the backward is split;
 *   3. every op appears exactly once: F and B (and W when split) for each
 *      micro-batch, chunk and stage;
 *   4. on one stage, an op comes after the ops of that stage it depends on
 *      (B after its own F, W after its B, chunk order when p = 1);
 *   5. across stages, the orders admit an execution: F on s after F on s − 1,
 *      B on s after B on s + 1, interleaved chunks in virtual-stage order
 *      (dependencies.ts). A violation shows up as a deadlock.
 *
 * The error names the first violated rule, the op and the fix.
 */
import {
  pipelineDependencyRule,
  pipelineDependencyIndices,
  pipelineOpDependencies,
  pipelineOpIndex,
  pipelineOpKindCode,
  stageOfPipelineIndex,
} from "./dependencies";
import { executePipelineOrder } from "./execute-order";
import { describePipelineOp, pipelineOp, type PipelineOpKind, type PipelineSchedule } from "./op";

/** Thrown when a schedule breaks one of the rules above. */
export class PipelineScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PipelineScheduleError";
  }
}

const KINDS: readonly PipelineOpKind[] = ["forward", "backward", "weight"];

/** "stage 1, position 3", built only when there is an error to report. */
function where(stage: number, position: number): string {
  return `stage ${stage}, position ${position}`;
}

/**
 * Rules 1–4 (everything but the cross-stage deadlock check), in one pass.
 * @param checkSameStageOrder check rule 4 too. @default true (the simulator skips it and
 *   asks again only when a deadlock needs explaining: a rule-4 violation always deadlocks)
 * @returns the first violation, or undefined
 */
export function findPipelineStructureError(schedule: PipelineSchedule, checkSameStageOrder = true): string | undefined {
  const { stages: p, microbatches: m, chunks: v } = schedule;
  for (const [name, value] of [["stages", p], ["microbatches", m], ["chunks", v]] as const) {
    if (!Number.isInteger(value) || value < 1) return `Expected ${name} to be an integer >= 1, got ${String(value)}.`;
  }
  if (!Array.isArray(schedule.perStage) || schedule.perStage.length !== p) {
    return `Expected perStage to hold one op list per stage (${p}), got ${Array.isArray(schedule.perStage) ? schedule.perStage.length : typeof schedule.perStage}.`;
  }
  const kinds = schedule.splitBackward ? KINDS : KINDS.slice(0, 2);
  const positionOf = new Int32Array(3 * v * p * m).fill(-1);
  for (let s = 0; s < p; s++) {
    const ops = schedule.perStage[s]!;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      if (op.kind !== "forward" && op.kind !== "backward" && !(op.kind === "weight" && schedule.splitBackward)) {
        const hint = op.kind === "weight" ? " Set splitBackward: true to schedule W ops separately." : "";
        return `Expected op kind ${kinds.map((k) => `"${k}"`).join(" or ")} at ${where(s, i)}, got ${JSON.stringify(op.kind)}.${hint}`;
      }
      if (op.stage !== s) {
        return `Op at ${where(s, i)} says stage ${String(op.stage)}: ${describePipelineOp(op)} belongs in perStage[${String(op.stage)}], or set its stage to ${s}.`;
      }
      if (!Number.isInteger(op.microbatch) || op.microbatch < 0 || op.microbatch >= m) {
        return `Expected micro-batch in 0..${m - 1} at ${where(s, i)}, got ${String(op.microbatch)}.`;
      }
      if (!Number.isInteger(op.chunk) || op.chunk < 0 || op.chunk >= v) {
        return `Expected chunk in 0..${v - 1} at ${where(s, i)}, got ${String(op.chunk)}.`;
      }
      const index = pipelineOpIndex(op, schedule);
      if (positionOf[index]! >= 0) {
        return `${describePipelineOp(op)} appears twice (positions ${positionOf[index]} and ${i}); every op must run exactly once.`;
      }
      positionOf[index] = i;
    }
  }
  // every op exactly once: report the first missing one (dense index order: kind, chunk, stage, micro-batch)
  for (let i = 0; i < kinds.length * v * p * m; i++) {
    if (positionOf[i]! >= 0) continue;
    const j = i % m;
    const s = Math.floor(i / m) % p;
    const c = Math.floor(i / (m * p)) % v;
    const op = pipelineOp(kinds[Math.floor(i / (m * p * v))]!, s, j, c);
    return `${describePipelineOp(op)} is missing; every op must run exactly once.`;
  }
  if (!checkSameStageOrder) return undefined;
  // same-stage order
  const deps = new Int32Array(2);
  for (let s = 0; s < p; s++) {
    const ops = schedule.perStage[s]!;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      const count = pipelineDependencyIndices(pipelineOpKindCode(op), s, op.microbatch, op.chunk, schedule, deps);
      for (let n = 0; n < count; n++) {
        if (stageOfPipelineIndex(deps[n]!, schedule) !== s || positionOf[deps[n]!]! < i) continue;
        const d = pipelineOpDependencies(op, schedule).find((x) => pipelineOpIndex(x, schedule) === deps[n]);
        return `${describePipelineOp(op)} (position ${i}) comes before ${describePipelineOp(d!)} (position ${positionOf[deps[n]!]}), but ${pipelineDependencyRule(op, d!)}.`;
      }
    }
  }
  return undefined;
}

/**
 * All five rules.
 * @returns the first violation as a sentence, or undefined when the schedule is valid
 */
export function findPipelineScheduleError(schedule: PipelineSchedule): string | undefined {
  const structural = findPipelineStructureError(schedule);
  if (structural !== undefined) return structural;
  const execution = executePipelineOrder(schedule, [1, 1, 1], 0);
  return execution.kind === "deadlock" ? execution.message : undefined;
}

/**
 * Throw a `PipelineScheduleError` naming the first violated rule, or return the schedule.
 * @example
 *   validatePipelineSchedule(oneFOneBSchedule(4, 8)); // ok
 *   validatePipelineSchedule({ ...s, perStage: [[B0, F0], ...] });
 *   // PipelineScheduleError: backward of micro-batch 0 on stage 0 (position 0) comes before
 *   // forward of micro-batch 0 on stage 0 (position 1), but a backward runs after its own forward.
 */
export function validatePipelineSchedule<S extends PipelineSchedule>(schedule: S): S {
  const error = findPipelineScheduleError(schedule);
  if (error !== undefined) throw new PipelineScheduleError(error);
  return schedule;
}
