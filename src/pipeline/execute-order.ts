/**
 * The core of the event simulator: run each stage's ops in its order, starting
 * every op as soon as (1) the previous op on its stage has ended and (2) all of
 * its dependencies (dependencies.ts) have ended, plus a point-to-point transfer
 * time when a dependency ran on another stage:
 *
 *   start(op) = max( end(previous op on the stage),  max over deps d of end(d) + comm·[stage(d) ≠ stage(op)] )
 *   end(op)   = start(op) + duration(op)
 *
 * Because each stage's order is fixed, this is a longest-path computation over
 * the dependency graph plus the per-stage chains. If at some moment no stage can
 * start its next op, the schedule deadlocks: some stage waits for an op that is
 * itself stuck behind it. The returned message names every stuck stage, the op it
 * waits to run and the dependency that has not run.
 *
 * Assumes the schedule's structure has been checked (validate.ts): every op once,
 * indices in range.
 */
import {
  pipelineDependencyRule,
  pipelineDependencyIndices,
  pipelineOpDependencies,
  pipelineOpIndex,
  pipelineOpKindCode,
  stageOfPipelineIndex,
} from "./dependencies";
import { describePipelineOp, type PipelineOp, type PipelineSchedule } from "./op";

/** Start and end time of every op, stored by `pipelineOpIndex`, or why it could not run. */
export type PipelineExecution =
  | { readonly kind: "ran"; readonly start: Float64Array; readonly end: Float64Array }
  | { readonly kind: "deadlock"; readonly message: string };

/**
 * Run a structurally valid schedule.
 * @param duration time of one op (seconds or any unit)
 * @param communication point-to-point transfer time between two different stages
 */
export function executePipelineOrder(
  schedule: PipelineSchedule,
  duration: (op: PipelineOp) => number,
  communication: number,
): PipelineExecution {
  const p = schedule.stages;
  const size = 3 * schedule.chunks * p * schedule.microbatches;
  const start = new Float64Array(size).fill(Number.NaN);
  const end = new Float64Array(size).fill(Number.NaN);
  const position = new Int32Array(p); // next op to run on each stage
  const free = new Float64Array(p); // when each stage's previous op ends
  let left = 0;
  for (const ops of schedule.perStage) left += ops.length;

  // Time at which all dependencies of `op` are available, or NaN if one has not run.
  const deps = new Int32Array(2);
  const readyTime = (op: PipelineOp, kindCode: number): number => {
    let ready = 0;
    const count = pipelineDependencyIndices(kindCode, op.stage, op.microbatch, op.chunk, schedule, deps);
    for (let n = 0; n < count; n++) {
      const e = end[deps[n]!]!;
      if (Number.isNaN(e)) return Number.NaN;
      ready = Math.max(ready, stageOfPipelineIndex(deps[n]!, schedule) === op.stage ? e : e + communication);
    }
    return ready;
  };

  // Advance one stage as far as its dependencies allow; return how many ops ran.
  const advance = (s: number): number => {
    const ops = schedule.perStage[s]!;
    let ran = 0;
    while (position[s]! < ops.length) {
      const op = ops[position[s]!]!;
      const kindCode = pipelineOpKindCode(op);
      const ready = readyTime(op, kindCode);
      if (Number.isNaN(ready)) break;
      const i = ((kindCode * schedule.chunks + op.chunk) * p + op.stage) * schedule.microbatches + op.microbatch;
      start[i] = Math.max(free[s]!, ready);
      end[i] = start[i]! + duration(op);
      free[s] = end[i]!;
      position[s]!++;
      ran++;
    }
    return ran;
  };

  // Sweep the stages down then up (forwards flow down, backwards up) until done or stuck.
  while (left > 0) {
    let ran = 0;
    for (let s = 0; s < p; s++) ran += advance(s);
    for (let s = p - 1; s >= 0; s--) ran += advance(s);
    if (ran === 0) return { kind: "deadlock", message: describeDeadlock(schedule, position, end) };
    left -= ran;
  }
  return { kind: "ran", start, end };
}

function describeDeadlock(schedule: PipelineSchedule, position: Int32Array, end: Float64Array): string {
  const waits: string[] = [];
  for (let s = 0; s < schedule.stages; s++) {
    const op = schedule.perStage[s]![position[s]!];
    if (op === undefined) continue;
    const missing = pipelineOpDependencies(op, schedule).find((d) => Number.isNaN(end[pipelineOpIndex(d, schedule)]!));
    if (missing === undefined) continue;
    waits.push(
      `stage ${s} cannot run ${describePipelineOp(op)} (position ${position[s]}) before ${describePipelineOp(missing)} ` +
        `(${pipelineDependencyRule(op, missing)}), which has not run`,
    );
  }
  return `Deadlock: no stage can start its next op. ${waits.join("; ")}. Reorder the ops so that every dependency can run first.`;
}
