/**
 * Lab 5 (notebooks/05-pipeline.ipynb): pipeline schedules as the schedule questions read,
 * compare and show them. Answers return the library's own `PipelineSchedule`
 * (src/pipeline/op.ts), so the notebook can hand them to the validator, the simulator
 * and the plots. A wrong schedule is compared with the schedules typical mistakes produce
 * (warm-up of p forwards, backward before forward, the other schedule, …) and the
 * matching mistake is named.
 */
import { pipelineOpLetter, type PipelineOp, type PipelineSchedule } from "../../../pipeline/op";
import { findPipelineScheduleError } from "../../../pipeline/validate";
import { GradingError } from "../../question";
import { looksLike } from "../expectations";

/** "F0 F1 B0 B1" (with chunks "F0.1"), at most `limit` ops. */
export function pipelineOpsText(ops: readonly PipelineOp[], limit = 16): string {
  const shown = ops.slice(0, limit).map((op) => `${pipelineOpLetter(op.kind)}${op.microbatch}${op.chunk === 0 ? "" : `.${op.chunk}`}`);
  return shown.join(" ") + (ops.length > limit ? " …" : "");
}

export function sameOps(a: readonly PipelineOp[], b: readonly PipelineOp[]): boolean {
  return a.length === b.length && a.every((op, i) => op.kind === b[i]!.kind && op.microbatch === b[i]!.microbatch && op.chunk === b[i]!.chunk && op.stage === b[i]!.stage);
}

export function sameSchedule(a: PipelineSchedule, b: PipelineSchedule): boolean {
  return a.perStage.length === b.perStage.length && a.perStage.every((ops, s) => sameOps(ops, b.perStage[s]!));
}

/** A schedule a typical mistake produces, and what to call it (completes "Looks like ..."). */
export interface ScheduleMistake {
  readonly schedule: PipelineSchedule;
  readonly description: string;
}

/** Build a schedule from a per-stage op list maker. */
export function scheduleOf(name: string, p: number, m: number, opsOf: (s: number) => PipelineOp[]): PipelineSchedule {
  return { name, stages: p, microbatches: m, chunks: 1, splitBackward: false, perStage: Array.from({ length: p }, (_, s) => opsOf(s)) };
}

/** Check the returned value has the shape of a PipelineSchedule (fields, one op list per stage). */
export function expectScheduleShape(value: unknown, p: number, m: number, what: string): PipelineSchedule {
  if (typeof value !== "object" || value === null) throw new GradingError(`${what} should return a PipelineSchedule object, got ${value === null ? "null" : typeof value}.`);
  const schedule = value as Partial<PipelineSchedule>;
  if (!Array.isArray(schedule.perStage)) throw new GradingError(`${what}.perStage should be an array with one op list per stage, got ${typeof schedule.perStage}.`);
  if (schedule.perStage.length !== p) {
    throw new GradingError(`${what}.perStage has ${schedule.perStage.length} op lists, expected one per stage (p = ${p}).`, String(p), String(schedule.perStage.length));
  }
  const fields: [keyof PipelineSchedule, unknown][] = [["stages", p], ["microbatches", m], ["chunks", 1], ["splitBackward", false]];
  for (const [field, expected] of fields) {
    if (schedule[field] !== expected) {
      throw new GradingError(`${what}.${field} should be ${String(expected)}, got ${String(schedule[field])}. Fill in every field of PipelineSchedule (chunks 1 and splitBackward false without interleaving or W ops).`, String(expected), String(schedule[field]));
    }
  }
  schedule.perStage.forEach((ops, s) => {
    if (!Array.isArray(ops)) throw new GradingError(`${what}.perStage[${s}] should be an array of ops, got ${typeof ops}.`);
    ops.forEach((op: unknown, i) => {
      const o = op as Partial<PipelineOp> | null;
      if (typeof o !== "object" || o === null || typeof o.kind !== "string" || typeof o.stage !== "number" || typeof o.microbatch !== "number" || typeof o.chunk !== "number") {
        throw new GradingError(`${what}.perStage[${s}][${i}] is not an op: build ops with lab.pipelineOp(kind, stage, microbatch), which fills kind, stage, microbatch and chunk.`);
      }
    });
  });
  return schedule as PipelineSchedule;
}

/** Compare a student's schedule with the reference; name a known mistake or the first difference. */
export function expectSchedule(received: PipelineSchedule, expected: PipelineSchedule, mistakes: readonly ScheduleMistake[], what: string): void {
  if (sameSchedule(received, expected)) return;
  const matched = mistakes.filter((k) => sameSchedule(received, k.schedule) && !sameSchedule(k.schedule, expected));
  const invalid = findPipelineScheduleError(received);
  const s = expected.perStage.findIndex((ops, stage) => !sameOps(received.perStage[stage]!, ops));
  const why = matched.length > 0 ? looksLike(matched) : invalid !== undefined ? ` The validator says: ${invalid}` : "";
  throw new GradingError(
    `${what}: stage ${s} runs ${pipelineOpsText(received.perStage[s]!)}, not the expected order.${why}`,
    pipelineOpsText(expected.perStage[s]!),
    pipelineOpsText(received.perStage[s]!),
  );
}
