/**
 * A launch plan: one parallel layout of one model on one cluster, with everything an
 * engine needs to start it (batch arithmetic, precision, offload, time limit), and the
 * rules a real run enforces, checked before any file is written.
 *
 * The rules (each error names its rule):
 *   world size      d · t · p = number of GPUs (Shoeybi et al. 2019 §3; Narayanan et al. 2021 §2)
 *   batch           the global batch B is divisible by b · d: m = B / (b · d) micro-batches per step
 *                   (Megatron-LM's --global-batch-size / (--micro-batch-size × data-parallel size);
 *                   DeepSpeed's train_batch_size = micro-batch × accumulation steps × DP size)
 *   layers          l is divisible by p, and by p · v when interleaved (Narayanan et al. 2021 §2.2.2:
 *                   v model chunks per device, each of l / (p · v) layers)
 *   heads           a is divisible by t (Megatron-LM §3: attention heads split across the t ranks)
 *   sequence par.   only with t > 1 (Korthikanti et al. 2022 §4.2.2: it splits what TP replicates)
 *   interleaving    v > 1 needs p > 1
 */
import type { NodeSpec } from "../memory/gpu-catalog";
import type { ModelSpec } from "../memory/model-catalog";
import type { ParallelLayout } from "../memory/step-time";

/** Where DeepSpeed keeps a state it offloads (DeepSpeed config JSON, offload_optimizer/offload_param "device"). */
export type OffloadDevice = "none" | "cpu";

/** 16-bit format of the run: bf16 needs no loss scaling; fp16 uses dynamic loss scaling. */
export type HalfPrecision = "bf16" | "fp16";

export interface LaunchPlan {
  readonly model: ModelSpec;
  readonly node: NodeSpec;
  /** N: GPUs in the job. */
  readonly gpus: number;
  readonly layout: ParallelLayout;
  /** v: model chunks per pipeline rank (interleaved 1F1B). @default 1 */
  readonly virtualStages?: number;
  /** B: global batch (sequences per optimizer step). */
  readonly globalBatch: number;
  /** s: sequence length. @default the model's */
  readonly seq?: number;
  /** @default "bf16" */
  readonly precision?: HalfPrecision;
  /** Global gradient-norm clipping. @default 1.0 (Megatron-LM's --clip-grad default) */
  readonly gradientClipping?: number;
  /** @default "none" */
  readonly offloadOptimizer?: OffloadDevice;
  /** Parameters to CPU: ZeRO stage 3 only. @default "none" */
  readonly offloadParams?: OffloadDevice;
  /** Slurm time limit, HH:MM:SS. @default "02:00:00" */
  readonly timeLimit?: string;
}

/** A plan that breaks one of the rules above; `rule` names it. */
export class LaunchPlanError extends Error {
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(`${rule}: ${message}`);
    this.name = "LaunchPlanError";
  }
}

/** Micro-batches per optimizer step per pipeline: m = B / (b · d) (= DeepSpeed's gradient_accumulation_steps). */
export function microbatchesPerStep(plan: LaunchPlan): number {
  return plan.globalBatch / (plan.layout.microBatch * plan.layout.dataParallel);
}

/** Throws a `LaunchPlanError` naming the first rule the plan breaks; returns the plan otherwise. */
export function validateLaunchPlan(plan: LaunchPlan): LaunchPlan {
  const { dataParallel: d, tensorParallel: t, pipelineParallel: p, microBatch: b } = plan.layout;
  const v = plan.virtualStages ?? 1;
  const { layers: l, heads: a } = plan.model;
  for (const [name, value] of [["data-parallel size", d], ["tensor-parallel size", t], ["pipeline-parallel size", p], ["micro-batch", b], ["virtual stages", v], ["global batch", plan.globalBatch], ["GPUs", plan.gpus]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new LaunchPlanError("positive sizes", `${name} must be an integer >= 1, got ${value}.`);
  }
  if (d * t * p !== plan.gpus) {
    throw new LaunchPlanError("world size", `d·t·p = ${d}·${t}·${p} = ${d * t * p}, but the job has ${plan.gpus} GPUs; choose degrees whose product is ${plan.gpus}.`);
  }
  if (plan.globalBatch % (b * d) !== 0) {
    throw new LaunchPlanError("batch", `global batch ${plan.globalBatch} is not divisible by micro-batch × data-parallel = ${b}·${d} = ${b * d}.`);
  }
  if (v > 1 && p === 1) throw new LaunchPlanError("interleaving", `${v} virtual stages need pipeline parallelism (p > 1), got p = 1.`);
  if (l % (p * v) !== 0) {
    const what = v > 1 ? `p·v = ${p}·${v} = ${p * v}` : `p = ${p}`;
    throw new LaunchPlanError("layers", `${l} layers are not divisible by ${what}; every stage${v > 1 ? " chunk" : ""} must hold the same number of layers.`);
  }
  if (a % t !== 0) throw new LaunchPlanError("heads", `${a} attention heads are not divisible by t = ${t}; each tensor-parallel rank holds whole heads.`);
  if (plan.layout.sequenceParallel && t === 1) {
    throw new LaunchPlanError("sequence parallelism", "sequence parallelism splits what tensor parallelism replicates, so it needs t > 1.");
  }
  if ((plan.offloadParams ?? "none") === "cpu" && plan.layout.zeroStage !== 3) {
    throw new LaunchPlanError("offload", `parameters can be offloaded only under ZeRO stage 3, got stage ${plan.layout.zeroStage}.`);
  }
  if ((plan.offloadOptimizer ?? "none") === "cpu" && plan.layout.zeroStage === 0) {
    throw new LaunchPlanError("offload", "optimizer offload (ZeRO-Offload) needs ZeRO stage 1, 2 or 3, got stage 0.");
  }
  if (!/^\d{1,2}:\d{2}:\d{2}$/.test(plan.timeLimit ?? "02:00:00")) {
    throw new LaunchPlanError("time limit", `expected HH:MM:SS, got "${plan.timeLimit}".`);
  }
  return plan;
}
