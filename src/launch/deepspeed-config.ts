/**
 * A DeepSpeed configuration file for a launch plan.
 *
 * Only keys defined in DeepSpeed's configuration reference (deepspeed.ai/docs/config-json,
 * docs/_pages/config-json.md in the DeepSpeed repository) are written:
 *   train_batch_size = train_micro_batch_size_per_gpu × gradient_accumulation_steps × (data-parallel) GPUs
 *     ("Batch Size Related Parameters"; with model parallelism the "number of GPUs" is the
 *     data-parallel size, as in Megatron-DeepSpeed);
 *   zero_optimization.stage, zero_optimization.offload_optimizer.device, zero_optimization.offload_param.device
 *     ("ZeRO Optimizations for FP16 Training"; offload_param is valid for stage 3 only);
 *   bf16.enabled, or fp16.enabled with loss_scale 0 (dynamic), initial_scale_power, loss_scale_window,
 *     hysteresis, min_loss_scale, at the documented defaults ("FP16 training options");
 *   gradient_clipping.
 * Tensor and pipeline parallelism are not config keys: the model code (Megatron-DeepSpeed,
 * PipelineModule) sets them up, so a layout with t > 1 or p > 1 also needs the Megatron arguments.
 */
import { microbatchesPerStep, validateLaunchPlan, type LaunchPlan } from "./launch-plan";

export interface DeepSpeedConfig {
  readonly train_batch_size: number;
  readonly train_micro_batch_size_per_gpu: number;
  readonly gradient_accumulation_steps: number;
  readonly gradient_clipping: number;
  readonly bf16?: { readonly enabled: boolean };
  readonly fp16?: {
    readonly enabled: boolean;
    readonly loss_scale: number;
    readonly initial_scale_power: number;
    readonly loss_scale_window: number;
    readonly hysteresis: number;
    readonly min_loss_scale: number;
  };
  readonly zero_optimization: {
    readonly stage: number;
    readonly offload_optimizer?: { readonly device: "cpu" };
    readonly offload_param?: { readonly device: "cpu" };
  };
}

/** The config object for `plan` (validated first). */
export function deepSpeedConfig(plan: LaunchPlan): DeepSpeedConfig {
  validateLaunchPlan(plan);
  const { layout } = plan;
  const precision = plan.precision ?? "bf16";
  const offloadOptimizer = (plan.offloadOptimizer ?? "none") === "cpu";
  const offloadParams = (plan.offloadParams ?? "none") === "cpu";
  return {
    train_batch_size: plan.globalBatch,
    train_micro_batch_size_per_gpu: layout.microBatch,
    gradient_accumulation_steps: microbatchesPerStep(plan),
    gradient_clipping: plan.gradientClipping ?? 1.0,
    ...(precision === "bf16"
      ? { bf16: { enabled: true } }
      : // loss_scale 0 = dynamic loss scaling; the rest are the documented defaults
        { fp16: { enabled: true, loss_scale: 0, initial_scale_power: 16, loss_scale_window: 1000, hysteresis: 2, min_loss_scale: 1 } }),
    zero_optimization: {
      stage: layout.zeroStage,
      ...(offloadOptimizer ? { offload_optimizer: { device: "cpu" as const } } : {}),
      ...(offloadParams ? { offload_param: { device: "cpu" as const } } : {}),
    },
  };
}

/** The config as the file DeepSpeed reads (`--deepspeed_config ds_config.json`). */
export function deepSpeedConfigJson(plan: LaunchPlan): string {
  return JSON.stringify(deepSpeedConfig(plan), null, 2) + "\n";
}
