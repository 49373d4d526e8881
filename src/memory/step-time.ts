/**
 * A simple, documented estimate of one training step's time for a parallel layout.
 *
 * Compute (Narayanan et al. 2021, §5.1, Eq. 3 and the 6·P·tokens rule of Kaplan et al.
 * 2020 §2.1): a forward pass costs 2P FLOPs per token and the backward pass twice that,
 * plus the attention scores, 12·B·s²·l·h per step (Eq. 3's s/(6h) term):
 *
 *   F = 6·P·B·s + 12·B·s²·l·h
 *
 * Recomputation adds a forward pass: the whole layer for "full" (2·P·B·s + 4·B·s²·l·h),
 * only the attention scores for "selective" (4·B·s²·l·h; Korthikanti et al. 2022, §5).
 * Devices reach a fraction `efficiency` of their peak: Narayanan et al. 2021 Table 1 reports
 * 135-163 TFLOP/s per A100 (43-52% of 312), so the default is 0.45.
 *
 * Pipeline bubble (1F1B or GPipe, Narayanan et al. 2021 §2.2.1): the ideal time grows by
 * (p − 1)/m for m micro-batches per step.
 *
 * Communication, with the α-β model (Thakur et al. 2005 §3; ring all-reduce of S bytes on n
 * ranks: 2(n − 1)α + 2(n − 1)/n · S/β), none of it overlapped with compute (an upper bound):
 *   tensor parallel  4 all-reduces of 2bsh bytes per layer and micro-batch (Shoeybi et al. 2019 §3,
 *                    Fig. 4: 2 forward, 2 backward; 2 more when a full recompute reruns the forward)
 *   pipeline         per micro-batch, one 2bsh-byte send forward and one backward between stages
 *   data parallel    one all-reduce of the gradients, (P/(t·p))·gradientBytes; ZeRO stage 3 moves
 *                    1.5× that volume (Rajbhandari et al. 2020 §7.2: 3Ψ instead of 2Ψ)
 *   offload          ZeRO-Offload (Ren et al. 2021 §4.1): each GPU sends its gradient partition to
 *                    the CPU and receives its updated 16-bit parameters, (gradientBytes + parameterBytes)·Ψ/d
 *                    over its PCIe link per step; with parameters offloaded (ZeRO-3) it also fetches its
 *                    parameter partition for the forward and the backward pass, 2·parameterBytes·Ψ/d more
 *                    (Ψ = P/(t·p)); PCIe Gen4 x16 gives 32 GB/s each way (NVIDIA A100 and A40 datasheets: 64 GB/s).
 * Tensor parallelism stays inside a node; data and pipeline traffic cross nodes when the job does.
 * Rings that cross nodes share the node's network: the min(gpusPerNode, t·p) data-parallel rings
 * of a node (one per model-parallel rank on it) each get 1/min(gpusPerNode, t·p) of it, and the t
 * ranks at a pipeline-stage boundary send side by side.
 */
import { allReduceCost } from "../parallel/cost-model";
import type { RecomputeMode } from "./activations";
import { DEFAULT_HOST_LINK_BANDWIDTH, type NodeSpec } from "./gpu-catalog";
import type { ModelSpec } from "./model-catalog";
import type { ZeroStage } from "./model-states";
import { resolveRecipe, type PrecisionRecipe, type RecipeName } from "./precision-recipe";
import { assertNever } from "../foundation/assert-never";
import { expectInteger } from "../foundation/validate";

/** One way to lay a job out on the devices. */
export interface ParallelLayout {
  /** d: data-parallel degree. */
  readonly dataParallel: number;
  /** t: tensor-parallel degree. */
  readonly tensorParallel: number;
  /** p: pipeline-parallel degree. */
  readonly pipelineParallel: number;
  readonly zeroStage: ZeroStage;
  /** b: micro-batch size (sequences). */
  readonly microBatch: number;
  readonly recompute: RecomputeMode;
  readonly sequenceParallel: boolean;
  /** Optimizer states and gradients in CPU memory (ZeRO-Offload; ZeRO stage >= 1). @default false */
  readonly offloadOptimizer?: boolean;
  /** Parameters in CPU memory too (ZeRO stage 3). @default false */
  readonly offloadParams?: boolean;
}

export interface StepTimeOptions {
  /** B: global batch (sequences per step). */
  readonly globalBatch: number;
  /** s: sequence length. @default the model's */
  readonly seq?: number;
  /** Fraction of peak FLOP/s reached by the matrix multiplications. @default 0.45 */
  readonly efficiency?: number;
  /** Precision recipe (gradient bytes for the data-parallel all-reduce). @default "mixed-adam" */
  readonly recipe?: PrecisionRecipe | RecipeName;
  /** α inside a node (s). @default 5e-6 */
  readonly intraNodeLatency?: number;
  /** α between nodes (s). @default 10e-6 */
  readonly interNodeLatency?: number;
}

/** Seconds per step, by cause. */
export interface StepTimeBreakdown {
  /** F: FLOPs of one step, all devices. */
  readonly flops: number;
  readonly computeSeconds: number;
  readonly bubbleSeconds: number;
  readonly tensorParallelSeconds: number;
  readonly pipelineSeconds: number;
  readonly dataParallelSeconds: number;
  /** GPU ↔ CPU copies of offloaded states over PCIe (0 without offload). */
  readonly offloadSeconds: number;
  readonly totalSeconds: number;
}

/**
 * Ring all-reduce of S bytes on n ranks, α-β model: 2(n − 1)α + 2(n − 1)/n · S/bandwidth,
 * priced by the collectives' cost model (parallel/cost-model.ts, `allReduceCost`).
 */
export function ringAllReduceSeconds(n: number, S: number, alpha: number, bandwidth: number): number {
  return allReduceCost("ring", n, S, { latency: alpha, bandwidth }).seconds;
}

/** FLOPs of one training step (see the file comment). */
export function trainingStepFlops(model: ModelSpec, globalBatch: number, seq: number, recompute: RecomputeMode): number {
  const P = model.parameters;
  const B = globalBatch;
  const s = seq;
  const l = model.layers;
  const h = model.hidden;
  const base = 6 * P * B * s + 12 * B * s * s * l * h; // forward + backward
  const attentionForward = 4 * B * s * s * l * h; // QKᵀ and scores·V, forward only
  switch (recompute) {
    case "none":
      return base;
    case "selective":
      return base + attentionForward;
    case "full":
      return base + 2 * P * B * s + attentionForward;
    default:
      return assertNever(recompute);
  }
}

/**
 * Estimate the time of one step of `model` on nodes of type `node` laid out as `layout`.
 *
 * @example estimateStepTime(findModel("gpt3-175b"), findNode("a100-80gb"), layout, { globalBatch: 1536 }).totalSeconds
 */
export function estimateStepTime(model: ModelSpec, node: NodeSpec, layout: ParallelLayout, options: StepTimeOptions): StepTimeBreakdown {
  const d = expectInteger("dataParallel", layout.dataParallel, 1);
  const t = expectInteger("tensorParallel", layout.tensorParallel, 1);
  const p = expectInteger("pipelineParallel", layout.pipelineParallel, 1);
  const b = expectInteger("microBatch", layout.microBatch, 1);
  const B = expectInteger("globalBatch", options.globalBatch, 1);
  const s = expectInteger("seq", options.seq ?? model.seq, 1);
  if (B % (d * b) !== 0) {
    throw new Error(`Expected globalBatch (${B}) to be divisible by dataParallel × microBatch = ${d * b}.`);
  }
  const efficiency = options.efficiency ?? 0.45;
  if (!(efficiency > 0 && efficiency <= 1)) throw new Error(`Expected efficiency in (0, 1], got ${efficiency}.`);
  const alphaIntra = options.intraNodeLatency ?? 5e-6;
  const alphaInter = options.interNodeLatency ?? 10e-6;
  const recipe = resolveRecipe(options.recipe ?? "mixed-adam");

  const N = d * t * p; // devices
  const m = B / (d * b); // micro-batches per step per pipeline
  const spansNodes = N > node.gpusPerNode;

  // compute and pipeline bubble
  const flops = trainingStepFlops(model, B, s, layout.recompute);
  const computeSeconds = flops / (N * node.gpu.peakFlops * efficiency);
  const bubbleSeconds = computeSeconds * ((p - 1) / m);

  // tensor parallel: inside a node
  const activationMessage = 2 * b * s * model.hidden; // bytes: one 16-bit [s, b, h] tensor
  const allReducesPerLayer = layout.recompute === "full" ? 6 : 4;
  const layersPerStage = Math.ceil(model.layers / p);
  const tensorParallelSeconds =
    m * layersPerStage * allReducesPerLayer * ringAllReduceSeconds(t, activationMessage, alphaIntra, node.gpu.intraNodeBandwidth);

  // pipeline: stage boundaries cross nodes once t·p exceeds a node
  const pipelineCrossesNodes = t * p > node.gpusPerNode;
  const pipeAlpha = pipelineCrossesNodes ? alphaInter : alphaIntra;
  const pipeBandwidth = pipelineCrossesNodes
    ? Math.min(node.gpu.intraNodeBandwidth, node.interNodeBandwidth / Math.min(node.gpusPerNode, t))
    : node.gpu.intraNodeBandwidth;
  const pipelineSeconds = p > 1 ? 2 * m * (pipeAlpha + activationMessage / t / pipeBandwidth) : 0;

  // data parallel: one gradient all-reduce per step
  const gradientBytes = (model.parameters / (t * p)) * recipe.gradientBytes;
  const zeroVolume = layout.zeroStage === 3 ? 1.5 : 1;
  const dpAlpha = spansNodes ? alphaInter : alphaIntra;
  const ringsPerNode = Math.min(node.gpusPerNode, t * p); // data-parallel rings sharing one node's network
  const dpBandwidth = spansNodes
    ? Math.min(node.gpu.intraNodeBandwidth, node.interNodeBandwidth / ringsPerNode)
    : node.gpu.intraNodeBandwidth;
  const dataParallelSeconds = zeroVolume * ringAllReduceSeconds(d, gradientBytes, dpAlpha, dpBandwidth);

  // offload: PCIe copies between each GPU and the CPU memory
  const psiPerRank = model.parameters / (t * p);
  const offloadBytes =
    (layout.offloadOptimizer === true ? ((recipe.gradientBytes + recipe.parameterBytes) * psiPerRank) / d : 0) +
    (layout.offloadParams === true ? (2 * recipe.parameterBytes * psiPerRank) / d : 0);
  const offloadSeconds = offloadBytes / (node.hostLinkBandwidth ?? DEFAULT_HOST_LINK_BANDWIDTH);

  const totalSeconds = computeSeconds + bubbleSeconds + tensorParallelSeconds + pipelineSeconds + dataParallelSeconds + offloadSeconds;
  return { flops, computeSeconds, bubbleSeconds, tensorParallelSeconds, pipelineSeconds, dataParallelSeconds, offloadSeconds, totalSeconds };
}
