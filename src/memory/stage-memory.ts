/**
 * Memory per pipeline stage: stages are not alike, and the fullest one decides the fit.
 *
 * Following Megatron-LM's theoretical memory accounting (megatron/training/theoretical_memory_usage.py)
 * and Korthikanti et al. 2022 (§4.2.3, Table 2):
 *   - every stage holds l/p transformer layers; the first stage also holds the word and position
 *     embeddings, (V + s)·h parameters, and the last the output layer (a copy of the tied word
 *     embedding, V·h, when p > 1) and the final LayerNorm (2h); with p = 1 one stage holds all,
 *     the tied table once. Parameters of a stage are split over the t tensor-parallel ranks.
 *   - 1F1B keeps p − s micro-batches in flight on stage s (s = 0 … p − 1; at most m), the
 *     interleaved schedule multiplies the activations by 1 + (p − 1)/(p·v);
 *   - the first stage adds the embedding's dropout mask, s·b·h bytes per micro-batch in flight;
 *     the last adds the logits and the final LayerNorm's output, 2·(s·b·V/t + s·b·h) bytes
 *     (theoretical_memory_usage.py, compute_activation_memory, "Dropout in embedding layer" and
 *     "Add output layer memory").
 * Per-layer parameters are the published count less the embeddings, over l layers, so the stages
 * sum to the published P (plus the last stage's copy of the embedding).
 *
 * Offload (ZeRO-Offload, Ren et al. 2021 §4; DeepSpeed offload_optimizer / offload_param): the
 * optimizer states and the gradients they update live in CPU memory; under ZeRO-3 the parameters
 * may too. Those bytes leave the GPU and are charged to the node's RAM (`hostBytes`, per GPU).
 */
import { layerActivationBytes, inputBatchBytes } from "./activations";
import type { ModelSpec } from "./model-catalog";
import type { DeviceMemoryBreakdown } from "./device-memory";
import { zeroModelStates } from "./model-states";
import type { PrecisionRecipe, RecipeName } from "./precision-recipe";
import type { ParallelLayout } from "./step-time";
import { expectInteger } from "../foundation/validate";

/** The layout a stage's memory depends on: the planner's (step-time.ts), offload included. */
export type StageLayout = ParallelLayout;

export interface StageMemoryOptions {
  readonly globalBatch: number;
  /** @default the model's */
  readonly seq?: number;
  /** @default "mixed-adam" */
  readonly recipe?: PrecisionRecipe | RecipeName;
  /** v: interleaved chunks per stage. @default 1 */
  readonly virtualStages?: number;
}

/** Bytes on one GPU of pipeline stage `stage`, by component; `total` is the GPU's, `hostBytes` the CPU RAM it uses. */
export interface StageMemory extends DeviceMemoryBreakdown {
  readonly stage: number;
  /** Parameters held by one tensor-parallel rank of this stage. */
  readonly parameterCount: number;
  readonly microbatchesInFlight: number;
  readonly hostBytes: number;
}

/** Memory of every stage, s = 0 … p − 1. */
export function stageMemories(model: ModelSpec, layout: StageLayout, options: StageMemoryOptions): StageMemory[] {
  const p = expectInteger("pipelineParallel", layout.pipelineParallel, 1);
  const t = expectInteger("tensorParallel", layout.tensorParallel, 1);
  const d = expectInteger("dataParallel", layout.dataParallel, 1);
  const b = expectInteger("microBatch", layout.microBatch, 1);
  const v = expectInteger("virtualStages", options.virtualStages ?? 1, 1);
  const s = options.seq ?? model.seq;
  const { layers: l, hidden: h, vocab: V } = model;
  if (p > l) throw new Error(`Expected pipelineParallel <= layers (${l}), got ${p}.`);
  if (layout.offloadParams === true && layout.zeroStage !== 3) throw new Error("Parameters can be offloaded only under ZeRO stage 3.");
  const m = options.globalBatch / (d * b);
  const embeddings = (V + model.seq) * h;
  const perLayerParams = (model.parameters - embeddings) / l;
  const perLayerActivations = layerActivationBytes({ seq: s, batch: b, hidden: h, heads: model.heads }, { tensorParallel: t, sequenceParallel: layout.sequenceParallel, recompute: layout.recompute }).total;
  const workspace =
    layout.recompute === "full" ? layerActivationBytes({ seq: s, batch: b, hidden: h, heads: model.heads }, { tensorParallel: t, sequenceParallel: layout.sequenceParallel }).total : 0;
  const interleaving = v > 1 && p > 1 ? 1 + (p - 1) / (p * v) : 1;
  const layersPerStage = Math.ceil(l / p);
  const stages: StageMemory[] = [];
  for (let stage = 0; stage < p; stage++) {
    const first = stage === 0;
    const last = stage === p - 1;
    const extraParams = (first ? embeddings : 0) + (last ? 2 * h + (p > 1 ? V * h : 0) : 0);
    const parameterCount = (layersPerStage * perLayerParams + extraParams) / t;
    const states = zeroModelStates(parameterCount, options.recipe ?? "mixed-adam", layout.zeroStage, d);
    const inFlight = Math.min(p - stage, m);
    const embeddingDropout = first ? s * b * h * inFlight : 0;
    const logits = last ? 2 * ((s * b * V) / t + s * b * h) : 0;
    const activations = perLayerActivations * layersPerStage * inFlight * interleaving + workspace + embeddingDropout + logits;
    const inputBatch = inputBatchBytes(s, b);
    const toHost = { optimizerStates: layout.offloadOptimizer === true, gradients: layout.offloadOptimizer === true, parameters: layout.offloadParams === true };
    const onGpu = (part: "parameters" | "gradients" | "optimizerStates") => (toHost[part] ? 0 : states[part]);
    const hostBytes = (["parameters", "gradients", "optimizerStates"] as const).reduce((sum, part) => sum + (toHost[part] ? states[part] : 0), 0);
    const parameters = onGpu("parameters");
    const gradients = onGpu("gradients");
    const optimizerStates = onGpu("optimizerStates");
    stages.push({
      stage,
      parameterCount,
      microbatchesInFlight: inFlight,
      parameters,
      gradients,
      optimizerStates,
      activations,
      inputBatch,
      total: parameters + gradients + optimizerStates + activations + inputBatch,
      hostBytes,
    });
  }
  return stages;
}

/** The first, a middle (s = 1, the fullest of the middle ones) and the last stage, and the fullest overall. */
export interface StageSummary {
  readonly first: StageMemory;
  readonly middle?: StageMemory;
  readonly last: StageMemory;
  readonly fullest: StageMemory;
}

export function summarizeStages(stages: readonly StageMemory[]): StageSummary {
  if (stages.length === 0) throw new Error("Expected at least one stage.");
  const fullest = stages.reduce((a, x) => (x.total > a.total ? x : a));
  return { first: stages[0]!, ...(stages.length > 2 ? { middle: stages[1]! } : {}), last: stages[stages.length - 1]!, fullest };
}
