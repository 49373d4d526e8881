/**
 * Megatron-LM command-line arguments for a launch plan (`pretrain_gpt.py ARGS`).
 *
 * Names as defined in Megatron-LM's megatron/training/arguments.py (NVIDIA/Megatron-LM; explicit
 * add_argument calls up to late 2025, since generated from the config dataclasses with the same
 * names): --tensor-model-parallel-size, --pipeline-model-parallel-size,
 * --num-layers-per-virtual-pipeline-stage, --sequence-parallel, --micro-batch-size,
 * --global-batch-size, --recompute-granularity {full,selective}, --recompute-method {uniform,block},
 * --recompute-num-layers, --use-distributed-optimizer, --num-layers, --hidden-size,
 * --num-attention-heads, --seq-length, --max-position-embeddings, --bf16 / --fp16, --clip-grad.
 *
 * Megatron-LM's distributed optimizer shards the optimizer states over the data-parallel ranks,
 * which is ZeRO stage 1 (Rajbhandari et al. 2020 §5.1); stages 2 and 3 and CPU offload are
 * DeepSpeed's, so such plans are refused here with the rule "engine".
 */
import { LaunchPlanError, validateLaunchPlan, type LaunchPlan } from "./launch-plan";

/** The argument list, one flag and its value per pair, in a fixed order. */
export function megatronArguments(plan: LaunchPlan): string[] {
  validateLaunchPlan(plan);
  const { layout, model } = plan;
  if (layout.zeroStage > 1) {
    throw new LaunchPlanError("engine", `Megatron-LM's distributed optimizer is ZeRO stage 1; stage ${layout.zeroStage} needs DeepSpeed (--export deepspeed).`);
  }
  if ((plan.offloadOptimizer ?? "none") !== "none" || (plan.offloadParams ?? "none") !== "none") {
    throw new LaunchPlanError("engine", "CPU offload is a DeepSpeed feature here; export this plan with --export deepspeed.");
  }
  const v = plan.virtualStages ?? 1;
  const seq = plan.seq ?? model.seq;
  const args: string[] = [
    "--tensor-model-parallel-size", String(layout.tensorParallel),
    "--pipeline-model-parallel-size", String(layout.pipelineParallel),
  ];
  if (v > 1) args.push("--num-layers-per-virtual-pipeline-stage", String(model.layers / (layout.pipelineParallel * v)));
  if (layout.sequenceParallel) args.push("--sequence-parallel");
  args.push("--micro-batch-size", String(layout.microBatch), "--global-batch-size", String(plan.globalBatch));
  if (layout.recompute === "selective") args.push("--recompute-granularity", "selective");
  if (layout.recompute === "full") args.push("--recompute-granularity", "full", "--recompute-method", "uniform", "--recompute-num-layers", "1");
  if (layout.zeroStage === 1) args.push("--use-distributed-optimizer");
  args.push(
    "--num-layers", String(model.layers),
    "--hidden-size", String(model.hidden),
    "--num-attention-heads", String(model.heads),
    "--seq-length", String(seq),
    "--max-position-embeddings", String(seq),
    (plan.precision ?? "bf16") === "bf16" ? "--bf16" : "--fp16",
    "--clip-grad", String(plan.gradientClipping ?? 1.0),
  );
  return args;
}

/** Flags that take no value (store_true in arguments.py). */
const SWITCHES = new Set(["--sequence-parallel", "--use-distributed-optimizer", "--bf16", "--fp16"]);

/**
 * Read an argument list back into flag → value ("true" for switches), as argparse would;
 * throws on a flag given twice or a value-taking flag without a value.
 */
export function parseMegatronArguments(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    if (!flag.startsWith("--")) throw new Error(`Expected a --flag at position ${i}, got "${flag}".`);
    if (flag in out) throw new Error(`${flag} is given twice.`);
    if (SWITCHES.has(flag)) {
      out[flag] = "true";
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value.`);
    out[flag] = value;
    i += 1;
  }
  return out;
}
