/**
 * Pipeline schedules as data.
 *
 * A pipeline splits a model's layers into p stages on p devices and a batch into
 * m micro-batches (GPipe, Huang et al. 2019, §2.2). A schedule says, for every
 * device, in which order it runs the operations on those micro-batches; nothing
 * else. Timing is the simulator's job (simulate.ts) and drawing the plots' job
 * (src/plot/pipeline.ts): schedules are data, the simulator executes them, plots
 * draw them.
 *
 * Index conventions (used by every file in this folder):
 *   - stages (devices) are numbered s = 0..p−1, first to last; "rank" means stage;
 *   - micro-batches j = 0..m−1, in the order they enter the pipeline;
 *   - chunks c = 0..v−1: with interleaving (Narayanan et al. 2021, §2.2.2) each
 *     device holds v model chunks, and the model is the sequence of p·v virtual
 *     stages k = c·p + s (chunk c of device s is virtual stage c·p + s).
 *     Without interleaving v = 1 and every op has chunk 0.
 *
 * Operations (Qi et al. 2024, "Zero Bubble Pipeline Parallelism", §2):
 *   F  forward of one micro-batch through one chunk;
 *   B  backward: the gradient with respect to the chunk's input. When a schedule
 *      does not split the backward (`splitBackward: false`) B also computes the
 *      weight gradients, as in GPipe and 1F1B;
 *   W  the weight gradient alone (only in split schedules such as ZB-H1).
 */
import { assertNever } from "../foundation/assert-never";

export type PipelineOpKind = "forward" | "backward" | "weight";

interface PipelineOpFields {
  /** Device that runs the op, 0..p−1. */
  readonly stage: number;
  /** Micro-batch, 0..m−1. */
  readonly microbatch: number;
  /** Model chunk on that device, 0..v−1 (0 without interleaving). */
  readonly chunk: number;
}

/** F: forward of one micro-batch through one chunk. */
export interface ForwardOp extends PipelineOpFields {
  readonly kind: "forward";
}

/** B: backward to the chunk's input (and, unless the schedule splits it, to its weights). */
export interface BackwardOp extends PipelineOpFields {
  readonly kind: "backward";
}

/** W: weight gradient of one micro-batch on one chunk (split schedules only). */
export interface WeightOp extends PipelineOpFields {
  readonly kind: "weight";
}

/** One operation of a schedule: a discriminated union on `kind`. */
export type PipelineOp = ForwardOp | BackwardOp | WeightOp;

/**
 * A complete schedule: for each stage, the ordered list of its operations.
 *
 * @example
 *   // GPipe with p = 2 stages and m = 2 micro-batches
 *   // stage 0: F0 F1 B0 B1
 *   // stage 1: F0 F1 B0 B1
 */
export interface PipelineSchedule {
  /** Which schedule this is: "gpipe", "1f1b", ... or any name for a hand-written one. */
  readonly name: string;
  /** p: number of stages (devices). */
  readonly stages: number;
  /** m: number of micro-batches. */
  readonly microbatches: number;
  /** v: model chunks per device (1 without interleaving). */
  readonly chunks: number;
  /** Whether the backward is split into B (input gradient) and W (weight gradient) ops. */
  readonly splitBackward: boolean;
  /** `perStage[s]` is the ordered list of ops stage s runs. Length p. */
  readonly perStage: readonly (readonly PipelineOp[])[];
}

/** Build one op. `chunk` defaults to 0. */
export function pipelineOp(kind: PipelineOpKind, stage: number, microbatch: number, chunk = 0): PipelineOp {
  switch (kind) {
    case "forward":
      return { kind, stage, microbatch, chunk };
    case "backward":
      return { kind, stage, microbatch, chunk };
    case "weight":
      return { kind, stage, microbatch, chunk };
    default:
      return assertNever(kind);
  }
}

/** The letter used in figures and timelines: F, B or W. */
export function pipelineOpLetter(kind: PipelineOpKind): "F" | "B" | "W" {
  switch (kind) {
    case "forward":
      return "F";
    case "backward":
      return "B";
    case "weight":
      return "W";
    default:
      return assertNever(kind);
  }
}

/** Human-readable name of an op, as used in error messages: "backward of micro-batch 3 (chunk 1) on stage 2". */
export function describePipelineOp(op: PipelineOp): string {
  const chunk = op.chunk === 0 ? "" : ` (chunk ${op.chunk})`;
  return `${op.kind} of micro-batch ${op.microbatch}${chunk} on stage ${op.stage}`;
}
