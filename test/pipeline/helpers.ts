/** Small helpers shared by the pipeline tests: compact op notation. */
import type { PipelineOp, PipelineSchedule } from "../../src/pipeline";
import { pipelineOpLetter } from "../../src/pipeline";

/** "F3", "B0", "W2", or with chunks "F3.1" (micro-batch 3, chunk 1). */
export function shortOp(op: PipelineOp, withChunk = false): string {
  const base = `${pipelineOpLetter(op.kind)}${op.microbatch}`;
  return withChunk ? `${base}.${op.chunk}` : base;
}

/** One string per stage: "F0 F1 B0 B1". */
export function stageStrings(schedule: PipelineSchedule, withChunk = false): string[] {
  return schedule.perStage.map((ops) => ops.map((op) => shortOp(op, withChunk)).join(" "));
}

/** Parse the notation back into ops for hand-written schedules: "F0 F1.1 B0" on stage s. */
export function parseStage(stage: number, text: string): PipelineOp[] {
  return text
    .trim()
    .split(/\s+/)
    .map((token) => {
      const match = /^([FBW])(\d+)(?:\.(\d+))?$/.exec(token);
      if (!match) throw new Error(`bad token ${token}`);
      const kind = match[1] === "F" ? "forward" : match[1] === "B" ? "backward" : "weight";
      return { kind, stage, microbatch: Number(match[2]), chunk: Number(match[3] ?? 0) };
    });
}

/** A hand-written schedule from one string per stage. */
export function handSchedule(
  stages: readonly string[],
  microbatches: number,
  options: { chunks?: number; splitBackward?: boolean } = {},
): PipelineSchedule {
  return {
    name: "hand-written",
    stages: stages.length,
    microbatches,
    chunks: options.chunks ?? 1,
    splitBackward: options.splitBackward ?? false,
    perStage: stages.map((text, s) => parseStage(s, text)),
  };
}
