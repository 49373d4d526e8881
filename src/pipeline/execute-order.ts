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

/**
 * Start and end time of every op, or why the schedule could not run.
 * `start[s][n]`, `end[s][n]` belong to op n of stage s, in schedule order.
 */
export type PipelineExecution =
  | { readonly kind: "ran"; readonly start: readonly Float64Array[]; readonly end: readonly Float64Array[] }
  | { readonly kind: "deadlock"; readonly message: string };

/**
 * Run a structurally valid schedule.
 * @param durations time of one forward, backward and weight op, by kind code 0, 1, 2 (any unit)
 * @param communication point-to-point transfer time between two different stages
 */
export function executePipelineOrder(
  schedule: PipelineSchedule,
  durations: readonly [number, number, number],
  communication: number,
): PipelineExecution {
  const p = schedule.stages;
  const size = 3 * schedule.chunks * p * schedule.microbatches;
  const end = new Float64Array(size).fill(Number.NaN); // by dense index, for dependency look-ups
  const stageStart = schedule.perStage.map((ops) => new Float64Array(ops.length));
  const stageEnd = schedule.perStage.map((ops) => new Float64Array(ops.length));
  const position = new Int32Array(p); // next op to run on each stage
  const free = new Float64Array(p); // when each stage's previous op ends
  let left = 0;
  for (const ops of schedule.perStage) left += ops.length;

  // Event-driven: run a stage until its next op needs a dependency that has not run,
  // park it on that dependency (waiter), and wake it when the dependency ends. In a
  // valid schedule each op has at most one stage waiting for it.
  const waiter = new Int32Array(size).fill(-1);
  const deps = new Int32Array(2);
  const runnable: number[] = [];
  for (let s = p - 1; s >= 0; s--) runnable.push(s);
  while (runnable.length > 0) {
    const s = runnable.pop()!;
    const ops = schedule.perStage[s]!;
    run: while (position[s]! < ops.length) {
      const op = ops[position[s]!]!;
      const kindCode = pipelineOpKindCode(op);
      const count = pipelineDependencyIndices(kindCode, op.stage, op.microbatch, op.chunk, schedule, deps);
      let ready = 0;
      for (let n = 0; n < count; n++) {
        const d = deps[n]!;
        const e = end[d]!;
        if (Number.isNaN(e)) {
          waiter[d] = s; // park until d has run
          break run;
        }
        ready = Math.max(ready, stageOfPipelineIndex(d, schedule) === s ? e : e + communication);
      }
      const i = ((kindCode * schedule.chunks + op.chunk) * p + op.stage) * schedule.microbatches + op.microbatch;
      const t0 = Math.max(free[s]!, ready);
      const t1 = t0 + durations[kindCode]!;
      end[i] = t1;
      stageStart[s]![position[s]!] = t0;
      stageEnd[s]![position[s]!] = t1;
      free[s] = t1;
      position[s]!++;
      left--;
      if (waiter[i]! >= 0) {
        runnable.push(waiter[i]!);
        waiter[i] = -1;
      }
    }
  }
  if (left > 0) return { kind: "deadlock", message: describeDeadlock(schedule, position, end) };
  return { kind: "ran", start: stageStart, end: stageEnd };
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
