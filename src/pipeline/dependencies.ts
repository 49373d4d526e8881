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
 * (Qi et al. 2024, §2 and Figure 1, which name the three passes F, B and W). Without interleaving v = 1 and
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
export function pipelineVirtualStage(op: Pick<PipelineOp, "stage" | "chunk">, shape: PipelineShape): number {
  return op.chunk * shape.stages + op.stage;
}

/** Device s = k mod p and chunk c = ⌊k / p⌋ of virtual stage k. */
export function pipelineStageAndChunk(k: number, shape: PipelineShape): { readonly stage: number; readonly chunk: number } {
  return { stage: k % shape.stages, chunk: Math.floor(k / shape.stages) };
}

/**
 * The ops that must finish before `op` can start, as listed in this file's header.
 * @example
 *   pipelineOpDependencies(pipelineOp("backward", 1, 0), { stages: 4, chunks: 1 });
 *   // [forward of micro-batch 0 on stage 1, backward of micro-batch 0 on stage 2]
 */
export function pipelineOpDependencies(op: PipelineOp, shape: PipelineShape): PipelineOp[] {
  const k = pipelineVirtualStage(op, shape);
  const last = shape.stages * shape.chunks - 1;
  const j = op.microbatch;
  switch (op.kind) {
    case "forward": {
      if (k === 0) return [];
      const previous = pipelineStageAndChunk(k - 1, shape);
      return [pipelineOp("forward", previous.stage, j, previous.chunk)];
    }
    case "backward": {
      const own = pipelineOp("forward", op.stage, j, op.chunk);
      if (k === last) return [own];
      const next = pipelineStageAndChunk(k + 1, shape);
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
export function pipelineDependencyRule(op: PipelineOp, dependency: PipelineOp): string {
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
  return ((pipelineOpKindCode(op) * shape.chunks + op.chunk) * shape.stages + op.stage) * shape.microbatches + op.microbatch;
}

/** Kind code used by the dense index: forward 0, backward 1, weight 2. */
export function pipelineOpKindCode(op: PipelineOp): 0 | 1 | 2 {
  switch (op.kind) {
    case "forward":
      return 0;
    case "backward":
      return 1;
    case "weight":
      return 2;
    default: {
      const never: never = op;
      throw new Error(`Unexpected pipeline op: ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The same dependencies as `pipelineOpDependencies`, as dense indices written into
 * `out` (no allocation: the simulator calls this for every op). Returns how many.
 */
export function pipelineDependencyIndices(
  kindCode: number,
  stage: number,
  microbatch: number,
  chunk: number,
  shape: PipelineShape & { readonly microbatches: number },
  out: Int32Array,
): number {
  // index = ((kind · v + c) · p + s) · m + j, and (kind · v + c) · p + s = kind · p·v + k for virtual stage k
  const p = shape.stages;
  const pv = p * shape.chunks;
  const m = shape.microbatches;
  const k = chunk * p + stage;
  if (kindCode === 0) {
    if (k === 0) return 0;
    out[0] = (k - 1) * m + microbatch; // F(j, k − 1)
    return 1;
  }
  if (kindCode === 1) {
    out[0] = k * m + microbatch; // F(j, k)
    if (k === pv - 1) return 1;
    out[1] = (pv + k + 1) * m + microbatch; // B(j, k + 1)
    return 2;
  }
  out[0] = (pv + k) * m + microbatch; // B(j, k)
  return 1;
}

/** Stage of the op with dense index i. */
export function stageOfPipelineIndex(i: number, shape: PipelineShape & { readonly microbatches: number }): number {
  return Math.floor(i / shape.microbatches) % shape.stages;
}
