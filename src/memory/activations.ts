/**
 * Activation memory of a transformer, per layer and per device.
 *
 * Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer
 * Models". Symbols (§3): s sequence length, b micro-batch size, h hidden size,
 * a attention heads, L layers, t tensor-parallel degree, p pipeline-parallel degree.
 * Activations are stored in 16-bit (2 bytes) and dropout masks in 1 byte, so the
 * formulas give bytes directly.
 *
 * §4.1, one layer without parallelism:
 *   attention block  11sbh + 5as²b
 *   MLP block        19sbh
 *   two LayerNorms    4sbh
 *   total             sbh(34 + 5as/h)
 *
 * Table 2, activation bytes per layer:
 *   no parallelism                               sbh(34 + 5as/h)
 *   tensor parallel (baseline)                    sbh(10 + 24/t + 5as/(ht))
 *   tensor + sequence parallel                    sbh(34/t + 5as/(ht))
 *   tensor parallel + selective recompute         sbh(10 + 24/t)
 *   tensor + sequence parallel + selective        sbh(34/t)
 *   full recompute                                sbh(2)
 * With t = 1 the tensor-parallel rows reduce to the first row.
 */
import { assertNever } from "../foundation/assert-never";
import { expectInteger } from "../foundation/validate";
import { layerTotalOnly, type ActivationsPerLayerAnswer } from "./your-answers";

/** What is recomputed in the backward pass instead of stored. */
export type RecomputeMode = "none" | "selective" | "full";

export const RECOMPUTE_MODES: readonly RecomputeMode[] = ["none", "selective", "full"];

/** Read a recompute mode from text, naming the valid ones on error. */
export function parseRecomputeMode(text: string): RecomputeMode {
  const mode = RECOMPUTE_MODES.find((m) => m === text);
  if (mode === undefined) throw new Error(`Expected recompute to be one of ${RECOMPUTE_MODES.join(", ")}, got "${text}".`);
  return mode;
}

export interface ActivationShape {
  /** s: sequence length (tokens). */
  readonly seq: number;
  /** b: micro-batch size (sequences). */
  readonly batch: number;
  /** h: hidden size. */
  readonly hidden: number;
  /** a: attention heads. */
  readonly heads: number;
}

export interface ActivationOptions {
  /** t: tensor-parallel degree. @default 1 */
  readonly tensorParallel?: number;
  /** Sequence parallelism (Korthikanti §4.2.2) splits the LayerNorm and dropout activations by t. @default false */
  readonly sequenceParallel?: boolean;
  /** Recomputation: "selective" drops the 5as²b attention scores (§5), "full" keeps only each layer's input. @default "none" */
  readonly recompute?: RecomputeMode;
}

/** Activation bytes of one layer, split by how they scale. */
export interface LayerActivationBreakdown {
  /** Activations every tensor-parallel rank keeps whole: 10sbh (LayerNorms, dropouts) unless sequence-parallel (bytes). */
  readonly replicated: number;
  /** Activations split across the t ranks: 24sbh/t, or 34sbh/t with sequence parallelism (bytes). */
  readonly split: number;
  /** Attention scores, softmax output and dropout mask: 5as²b/t (bytes); 0 when recomputed. */
  readonly attentionScores: number;
  /** Layer input kept for full recomputation: 2sbh (bytes); 0 otherwise. */
  readonly checkpoint: number;
  /** Sum (bytes). */
  readonly total: number;
}

/**
 * Activation bytes of one transformer layer on one device (Korthikanti et al. 2022, Table 2).
 *
 * @example layerActivationBytes({ seq: 2048, batch: 1, hidden: 12288, heads: 96 }).total
 *          // sbh(34 + 5as/h) = 2048·12288·(34 + 80) = 2,868,903,936 bytes
 */
export function layerActivationBytes(shape: ActivationShape, options: ActivationOptions = {}): LayerActivationBreakdown {
  // BEGIN SOLUTION memory.activationsPerLayer
  const { s, b, h, a } = validateShape(shape);
  const t = expectInteger("tensorParallel", options.tensorParallel ?? 1, 1);
  const sp = options.sequenceParallel ?? false;
  const recompute = options.recompute ?? "none";
  const sbh = s * b * h;
  switch (recompute) {
    case "full": {
      const checkpoint = 2 * sbh; // sbh·2: the layer's 16-bit input
      return { replicated: 0, split: 0, attentionScores: 0, checkpoint, total: checkpoint };
    }
    case "none":
    case "selective": {
      const replicated = sp ? 0 : 10 * sbh; // LayerNorm inputs and dropout masks (§4.2.1)
      const split = sp ? (34 * sbh) / t : (24 * sbh) / t;
      const attentionScores = recompute === "selective" ? 0 : (5 * a * s * s * b) / t; // 5as²b/t
      return { replicated, split, attentionScores, checkpoint: 0, total: replicated + split + attentionScores };
    }
    default:
      return assertNever(recompute);
  }
  // STUDENT EDITION
  // const yourActivationsPerLayer = yours.answer<ActivationsPerLayerAnswer>("activationsPerLayer");
  // const layer = validateShape(shape); // { s, b, h, a }
  // const parallel = { t: expectInteger("tensorParallel", options.tensorParallel ?? 1, 1), sequenceParallel: options.sequenceParallel ?? false, recompute: options.recompute ?? "none" };
  // return layerTotalOnly(yourActivationsPerLayer(layer, parallel)); // your answer gives the total, not Table 2's terms
  // END SOLUTION
}

/** 5as/h: how large the attention-score term is relative to the 34 of the rest (Korthikanti §5: 80 for GPT-3). */
export function attentionScoreRatio(shape: Pick<ActivationShape, "seq" | "hidden" | "heads">): number {
  return (5 * shape.heads * shape.seq) / shape.hidden;
}

export interface DeviceActivationOptions extends ActivationOptions {
  /** L: transformer layers of the whole model. */
  readonly layers: number;
  /** p: pipeline-parallel degree. @default 1 */
  readonly pipelineParallel?: number;
  /** m: micro-batches per step, bounds how many are in flight. @default p */
  readonly microbatches?: number;
  /** v: model chunks per stage of the interleaved schedule (1 = plain 1F1B). @default 1 */
  readonly interleavedChunks?: number;
}

export interface DeviceActivationBreakdown {
  /** Bytes of one layer for one micro-batch (Table 2). */
  readonly perLayer: number;
  /** Layers on the first pipeline stage: ceil(L/p). */
  readonly layersOnDevice: number;
  /** Micro-batches whose activations the first stage holds at once under 1F1B: min(p, m). */
  readonly microbatchesInFlight: number;
  /** Interleaving factor 1 + (p − 1)/(p·v) (§4.2.3); 1 without interleaving. */
  readonly interleavingFactor: number;
  /** One layer's full activations rebuilt during the backward pass of full recomputation (bytes). */
  readonly recomputeWorkspace: number;
  /** Bytes on the busiest (first) pipeline stage. */
  readonly total: number;
}

/**
 * Activation bytes on the first pipeline stage, the one that holds the most (Korthikanti §4.2.3):
 * with 1F1B it stores p micro-batches of L/p layers, i.e. L layers' worth, and the interleaved
 * schedule multiplies that by 1 + (p − 1)/(p·v) for v chunks per stage.
 */
export function deviceActivationBytes(shape: ActivationShape, options: DeviceActivationOptions): DeviceActivationBreakdown {
  // BEGIN SOLUTION memory.activationsPerLayer
  const L = expectInteger("layers", options.layers, 1);
  const p = expectInteger("pipelineParallel", options.pipelineParallel ?? 1, 1);
  const m = expectInteger("microbatches", options.microbatches ?? p, 1);
  const v = expectInteger("interleavedChunks", options.interleavedChunks ?? 1, 1);
  if (p > L) throw new Error(`Expected pipelineParallel <= layers (${L}), got ${p}. Each stage needs at least one layer.`);
  const perLayer = layerActivationBytes(shape, options).total;
  const layersOnDevice = Math.ceil(L / p);
  const microbatchesInFlight = Math.min(p, m);
  const interleavingFactor = v > 1 && p > 1 ? 1 + (p - 1) / (p * v) : 1;
  const recomputeWorkspace =
    options.recompute === "full" ? layerActivationBytes(shape, { ...options, recompute: "none" }).total : 0;
  const total = perLayer * layersOnDevice * microbatchesInFlight * interleavingFactor + recomputeWorkspace;
  return { perLayer, layersOnDevice, microbatchesInFlight, interleavingFactor, recomputeWorkspace, total };
  // STUDENT EDITION KEEPS THIS BODY
  // END SOLUTION
}

export interface InputBatchOptions {
  /** Bytes per token id (int64 in PyTorch). @default 8 */
  readonly bytesPerTokenId?: number;
  /** Token tensors per sequence: input ids and labels. @default 2 */
  readonly tensors?: number;
}

/** Bytes of the input micro-batch on a device: s·b token ids per tensor. */
export function inputBatchBytes(seq: number, batch: number, options: InputBatchOptions = {}): number {
  const s = expectInteger("seq", seq, 1);
  const b = expectInteger("batch", batch, 1);
  return s * b * (options.bytesPerTokenId ?? 8) * (options.tensors ?? 2);
}

function validateShape(shape: ActivationShape): { s: number; b: number; h: number; a: number } {
  const s = expectInteger("seq", shape.seq, 1);
  const b = expectInteger("batch", shape.batch, 1);
  const h = expectInteger("hidden", shape.hidden, 1);
  const a = expectInteger("heads", shape.heads, 1);
  if (h % a !== 0) throw new Error(`Expected hidden (${h}) to be divisible by heads, got heads = ${a}.`);
  return { s, b, h, a };
}
