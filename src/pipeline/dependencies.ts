/**
 * The data dependencies between pipeline operations.
 *
 * With p devices and v chunks per device the model is a chain of p·v virtual
 * stages; chunk c of device s is virtual stage k = c·p + s (Narayanan et al.
 * 2021, §2.2.2). For micro-batch j:
 *   F(j, k)  needs F(j, k − 1)                      the activations from the previous stage
 *   B(j, k)  needs F(j, k)                          its own forward (the stored activations)
 *            and   B(j, k + 1)                      the gradient from the next stage
 *   W(j, k)  needs B(j, k)                          the output gradient B computed
 * (Qi et al. 2024, §2, Figure 1: "F, B and W"). Without interleaving v = 1 and
 * k = s, which gives the familiar rules: F on s after F on s − 1; B on s after
 * B on s + 1 and after its own F; W after its B.
 */
import { pipelineOp, type PipelineOp } from "./op";

/** The sizes a dependency depends on. */
export interface PipelineShape {
  /** p */
  readonly stages: number;
  /** v */
  readonly chunks: number;
}

/** Virtual stage k = c·p + s of an op. */
export function virtualStage(op: Pick<PipelineOp, "stage" | "chunk">, shape: PipelineShape): number {
  return op.chunk * shape.stages + op.stage;
}

/** Device s = k mod p and chunk c = ⌊k / p⌋ of virtual stage k. */
export function stageAndChunkOf(k: number, shape: PipelineShape): { readonly stage: number; readonly chunk: number } {
  return { stage: k % shape.stages, chunk: Math.floor(k / shape.stages) };
}

/**
 * The ops that must finish before `op` can start, as listed in this file's header.
 * @example
 *   pipelineOpDependencies(pipelineOp("backward", 1, 0), { stages: 4, chunks: 1 });
 *   // [forward of micro-batch 0 on stage 1, backward of micro-batch 0 on stage 2]
 */
export function pipelineOpDependencies(op: PipelineOp, shape: PipelineShape): PipelineOp[] {
  const k = virtualStage(op, shape);
  const last = shape.stages * shape.chunks - 1;
  const j = op.microbatch;
  switch (op.kind) {
    case "forward": {
      if (k === 0) return [];
      const previous = stageAndChunkOf(k - 1, shape);
      return [pipelineOp("forward", previous.stage, j, previous.chunk)];
    }
    case "backward": {
      const own = pipelineOp("forward", op.stage, j, op.chunk);
      if (k === last) return [own];
      const next = stageAndChunkOf(k + 1, shape);
      return [own, pipelineOp("backward", next.stage, j, next.chunk)];
    }
    case "weight":
      return [pipelineOp("backward", op.stage, j, op.chunk)];
    default: {
      const never: never = op;
      throw new Error(`Unexpected pipeline op: ${JSON.stringify(never)}`);
    }
  }
}

/** The rule a dependency expresses, in the words of the validator's messages. */
export function dependencyRule(op: PipelineOp, dependency: PipelineOp): string {
  switch (op.kind) {
    case "forward":
      return dependency.chunk === op.chunk
        ? "a forward runs after the forward of the same micro-batch on the previous stage"
        : "chunk c's forward on stage 0 runs after chunk c − 1's forward on the last stage";
    case "backward":
      if (dependency.kind === "forward") return "a backward runs after its own forward";
      return dependency.chunk === op.chunk
        ? "a backward runs after the backward of the same micro-batch on the next stage"
        : "chunk c's backward on the last stage runs after chunk c + 1's backward on stage 0";
    case "weight":
      return "a weight-gradient op (W) runs after its backward (B)";
    default: {
      const never: never = op;
      throw new Error(`Unexpected pipeline op: ${JSON.stringify(never)}`);
    }
  }
}

/** Dense index of an op in [0, 3·v·p·m), for typed-array bookkeeping. */
export function pipelineOpIndex(op: PipelineOp, shape: PipelineShape & { readonly microbatches: number }): number {
  const kind = op.kind === "forward" ? 0 : op.kind === "backward" ? 1 : 2;
  return ((kind * shape.chunks + op.chunk) * shape.stages + op.stage) * shape.microbatches + op.microbatch;
}
