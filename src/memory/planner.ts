/**
 * The parallelism planner: which DP × TP × PP × ZeRO × micro-batch × recompute layouts
 * fit a model on a cluster, and which is fastest?
 *
 * For each candidate the planner (1) computes bytes per device of every pipeline stage with
 * `stageMemories` (ZeRO §5; Korthikanti et al. 2022 Table 2; Megatron-LM's theoretical memory
 * accounting), (2) discards it if its fullest stage does not fit after the headroom of `fit.ts`, (3) estimates the step time with
 * `estimateStepTime` (6·P·tokens FLOPs at a fraction of peak, α-β collectives, (p − 1)/m bubble),
 * and (4) ranks by step time, then by spare memory.
 *
 * Rules a real framework imposes (Narayanan et al. 2021 §3, Takeaways #1-#3; DeepSpeed docs):
 *   - t divides the heads and stays inside a node (t ≤ GPUs per node);
 *   - p ≤ layers; d = N / (t·p) is an integer; d·b divides the global batch;
 *   - ZeRO stages 2 and 3 are not combined with pipeline parallelism (DeepSpeed's pipeline
 *     engine supports ZeRO stage 1 only), and ZeRO needs d > 1 to partition anything;
 *   - sequence parallelism needs t > 1;
 *   - offload (on nodes whose RAM is recorded): optimizer states to CPU with ZeRO stage >= 1, and
 *     parameters too with stage 3 (DeepSpeed: offload_param is valid for stage 3 only).
 *
 * Memory is counted per pipeline stage (stage-memory.ts: the first stage holds the embedding, the
 * last the output layer and logits, stage s has p − s micro-batches in flight) and a layout fits
 * when its fullest stage fits the GPU and the offloaded bytes of a node's GPUs (the fullest stage's, times the
 * GPUs per node: an upper bound, as stages on one node differ) fit in
 * HOST_MEMORY_FRACTION of its RAM.
 */
import { RECOMPUTE_MODES } from "./activations";
import { deviceMemory, type DeviceMemoryBreakdown } from "./device-memory";
import { fitsOnGpu, type FitVerdict, type HeadroomOptions } from "./fit";
import type { NodeSpec } from "./gpu-catalog";
import type { ModelSpec } from "./model-catalog";
import type { ZeroStage } from "./model-states";
import type { PrecisionRecipe, RecipeName } from "./precision-recipe";
import { estimateStepTime, type ParallelLayout, type StepTimeBreakdown } from "./step-time";
import { stageMemories, summarizeStages, type StageSummary } from "./stage-memory";
import { expectInteger } from "../foundation/validate";

/** Share of a node's RAM that offloaded states may take; the rest is for the OS, data loading and pinned buffers. */
export const HOST_MEMORY_FRACTION = 0.9;

export interface PlannerOptions extends HeadroomOptions {
  /** N: number of GPUs. */
  readonly gpus: number;
  /** B: global batch (sequences per step). @default 1536 (GPT-3 175B on 1024 GPUs in Narayanan et al. 2021, §5.1) */
  readonly globalBatch?: number;
  /** s: sequence length. @default the model's */
  readonly seq?: number;
  /** @default "mixed-adam" */
  readonly recipe?: PrecisionRecipe | RecipeName;
  /** Micro-batch sizes to try. @default [1, 2, 4, 8] */
  readonly microBatches?: readonly number[];
  /** Fraction of peak reached by compute. @default 0.45 */
  readonly efficiency?: number;
}

/** A layout that fits, with its memory and time. */
export interface ParallelPlan {
  readonly layout: ParallelLayout;
  /** m: micro-batches per step per pipeline. */
  readonly microbatches: number;
  /** Bytes on one GPU of the fullest pipeline stage (the one the fit is judged on). */
  readonly memory: DeviceMemoryBreakdown;
  /** First, middle and last stage, and which is fullest. */
  readonly stages: StageSummary;
  /** CPU RAM taken by offloaded states on one node (0 without offload). */
  readonly hostBytesPerNode: number;
  readonly fit: Extract<FitVerdict, { kind: "fits" }>;
  readonly time: StepTimeBreakdown;
  /** Tokens processed per second by the whole job. */
  readonly tokensPerSecond: number;
  /** Model FLOP/s per GPU, without recomputation (Narayanan et al. 2021 report this). */
  readonly modelFlopsPerGpu: number;
}

export interface PlannerResult {
  /** Candidates that fit, fastest first. */
  readonly plans: readonly ParallelPlan[];
  /** How many candidates were generated and how many were discarded for memory. */
  readonly candidates: number;
  readonly discardedForMemory: number;
  /** Some layout fits only because it offloads: none without offload does. */
  readonly offloadMakesItFit: boolean;
}

/**
 * Per-GPU memory of one layout: model states split by its ZeRO stage and parallel
 * degrees, plus the activations of the micro-batches a pipeline stage holds, with
 * B / (d · b) micro-batches per step.
 */
export function layoutMemory(
  model: ModelSpec,
  layout: ParallelLayout,
  options: { readonly globalBatch: number; readonly seq?: number; readonly recipe?: PlannerOptions["recipe"] },
): ReturnType<typeof deviceMemory> {
  return deviceMemory(model.parameters, {
    recipe: options.recipe ?? "mixed-adam",
    zeroStage: layout.zeroStage,
    dataParallel: layout.dataParallel,
    tensorParallel: layout.tensorParallel,
    pipelineParallel: layout.pipelineParallel,
    activations: {
      seq: options.seq ?? model.seq,
      microBatch: layout.microBatch,
      layers: model.layers,
      hidden: model.hidden,
      heads: model.heads,
      recompute: layout.recompute,
      sequenceParallel: layout.sequenceParallel,
      microbatches: options.globalBatch / (layout.dataParallel * layout.microBatch),
    },
  });
}

/**
 * Enumerate, filter and rank layouts of `model` on `gpus` GPUs of `node`'s type.
 *
 * @example planParallelism(findModel("gpt3-175b"), findNode("a100-80gb"), { gpus: 1024 }).plans[0]
 */
export function planParallelism(model: ModelSpec, node: NodeSpec, options: PlannerOptions): PlannerResult {
  const N = expectInteger("gpus", options.gpus, 1);
  const B = expectInteger("globalBatch", options.globalBatch ?? 1536, 1);
  const s = expectInteger("seq", options.seq ?? model.seq, 1);
  const recipe = options.recipe ?? "mixed-adam";
  const microBatchSizes = options.microBatches ?? [1, 2, 4, 8];
  const plans: ParallelPlan[] = [];
  let candidates = 0;
  let discardedForMemory = 0;
  const hostBudget = node.hostMemoryBytes === undefined ? 0 : HOST_MEMORY_FRACTION * node.hostMemoryBytes;
  for (const layout of enumerateLayouts(model, node, N, B, microBatchSizes)) {
    candidates += 1;
    const m = B / (layout.dataParallel * layout.microBatch);
    const stages = summarizeStages(stageMemories(model, layout, { globalBatch: B, seq: s, recipe }));
    const { parameters, gradients, optimizerStates, activations, inputBatch, total, hostBytes } = stages.fullest;
    const memory: DeviceMemoryBreakdown = { parameters, gradients, optimizerStates, activations, inputBatch, total };
    const hostBytesPerNode = hostBytes * Math.min(node.gpusPerNode, N);
    const fit = fitsOnGpu(total, node.gpu, options);
    const hostFits = hostBytes === 0 || hostBytesPerNode <= hostBudget;
    if (fit.kind === "does-not-fit" || !hostFits) {
      discardedForMemory += 1;
      continue;
    }
    const time = estimateStepTime(model, node, layout, {
      globalBatch: B,
      seq: s,
      recipe,
      ...(options.efficiency === undefined ? {} : { efficiency: options.efficiency }),
    });
    const tokensPerSecond = (B * s) / time.totalSeconds;
    const modelFlopsPerGpu = (6 * model.parameters * B * s) / time.totalSeconds / N;
    plans.push({ layout, microbatches: m, memory, stages, hostBytesPerNode, fit, time, tokensPerSecond, modelFlopsPerGpu });
  }
  plans.sort((x, y) => x.time.totalSeconds - y.time.totalSeconds || y.fit.spareBytes - x.fit.spareBytes);
  const offloaded = (plan: ParallelPlan) => plan.layout.offloadOptimizer === true || plan.layout.offloadParams === true;
  const offloadMakesItFit = plans.length > 0 && plans.every(offloaded);
  return { plans, candidates, discardedForMemory, offloadMakesItFit };
}

/** All layouts the rules in the file comment allow. */
export function* enumerateLayouts(
  model: ModelSpec,
  node: NodeSpec,
  gpus: number,
  globalBatch: number,
  microBatchSizes: readonly number[],
): Generator<ParallelLayout> {
  for (const t of divisors(gpus)) {
    if (t > node.gpusPerNode || model.heads % t !== 0 || model.hidden % t !== 0) continue;
    for (const p of divisors(gpus / t)) {
      if (p > model.layers) continue;
      const d = gpus / (t * p);
      const stages: readonly ZeroStage[] = d === 1 ? [0] : p > 1 ? [0, 1] : [0, 1, 2, 3];
      for (const zeroStage of stages) {
        for (const microBatch of microBatchSizes) {
          if (globalBatch % (d * microBatch) !== 0) continue;
          for (const recompute of RECOMPUTE_MODES) {
            for (const sequenceParallel of t > 1 ? [false, true] : [false]) {
              const layout = { dataParallel: d, tensorParallel: t, pipelineParallel: p, zeroStage, microBatch, recompute, sequenceParallel };
              yield layout;
              if (node.hostMemoryBytes === undefined || zeroStage === 0) continue;
              yield { ...layout, offloadOptimizer: true };
              if (zeroStage === 3) yield { ...layout, offloadOptimizer: true, offloadParams: true };
            }
          }
        }
      }
    }
  }
}

/** Divisors of n in increasing order. */
function divisors(n: number): number[] {
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 1; i * i <= n; i++) {
    if (n % i !== 0) continue;
    small.push(i);
    if (i !== n / i) large.unshift(n / i);
  }
  return [...small, ...large];
}
