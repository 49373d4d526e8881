/**
 * A Slurm batch script that starts a launch plan on NCSA Delta.
 *
 * Delta's GPU partitions are named for their nodes: gpuA100x4 (4 × A100 40 GB SXM, NVLink) and
 * gpuA40x4 (4 × A40 48 GB, PCIe); allocations charged for GPU time end in "-gpu"
 * (e.g. bbka-delta-gpu). Jobs of whole nodes ask for them exclusively; a job smaller than a node
 * (1-3 GPUs) asks for that many GPUs on one shared node. One task per node runs torchrun, which starts the node's 4 workers and
 * meets the other nodes through a c10d rendezvous on the job's first node (PyTorch's torchrun
 * documentation: --rdzv-backend=c10d --rdzv-endpoint=HOST:PORT --rdzv-id=JOB). The module loads
 * are a commented template: the module names depend on the software stack you use.
 */
import { megatronArguments } from "./megatron-args";
import { LaunchPlanError, validateLaunchPlan, type LaunchPlan } from "./launch-plan";

/** Delta's partition for each node type in the catalog. */
export const DELTA_PARTITIONS: Readonly<Record<string, string>> = {
  "delta-a100x4": "gpuA100x4",
  "delta-a40x4": "gpuA40x4",
  "delta-a100x8": "gpuA100x8",
  "delta-mi100x8": "gpuMI100x8",
};

export type TrainingEngine = "megatron" | "deepspeed";

export interface SlurmOptions {
  /** Which engine the job runs. @default "megatron" when the plan fits it (ZeRO ≤ 1, no offload), else "deepspeed" */
  readonly engine?: TrainingEngine;
  /** The DeepSpeed config file the job passes (deepspeed engine). @default "ds_config.json" */
  readonly deepSpeedConfigFile?: string;
  /** Job name. @default "efflab-<model>" */
  readonly jobName?: string;
}

/** The engine a plan can run on: Megatron-LM unless it needs ZeRO stage 2/3 or offload. */
export function defaultEngine(plan: LaunchPlan): TrainingEngine {
  const offload = (plan.offloadOptimizer ?? "none") !== "none" || (plan.offloadParams ?? "none") !== "none";
  return plan.layout.zeroStage > 1 || offload ? "deepspeed" : "megatron";
}

/** The batch script's text (validated first). */
export function deltaSlurmScript(plan: LaunchPlan, options: SlurmOptions = {}): string {
  validateLaunchPlan(plan);
  const partition = DELTA_PARTITIONS[plan.node.name];
  if (partition === undefined) {
    throw new LaunchPlanError("Delta node", `"${plan.node.name}" is not a Delta node type; use one of ${Object.keys(DELTA_PARTITIONS).join(", ")}.`);
  }
  // A job smaller than a node shares one node; a larger one takes whole nodes.
  const perNode = Math.min(plan.node.gpusPerNode, plan.gpus);
  if (plan.gpus % perNode !== 0) {
    throw new LaunchPlanError("whole nodes", `${plan.gpus} GPUs do not fill whole ${perNode}-GPU nodes; use a multiple of ${perNode}.`);
  }
  const nodes = plan.gpus / perNode;
  const wholeNodes = perNode === plan.node.gpusPerNode;
  const engine = options.engine ?? defaultEngine(plan);
  const program =
    engine === "megatron"
      ? ["pretrain_gpt.py", ...megatronArguments(plan)]
      : ["train.py", "--deepspeed", "--deepspeed_config", options.deepSpeedConfigFile ?? "ds_config.json"];
  const lines = [
    "#!/bin/bash",
    `# ${plan.model.displayName} on ${plan.gpus} × ${plan.node.gpu.displayName} (${nodes} Delta ${partition} nodes):`,
    `# d=${plan.layout.dataParallel} t=${plan.layout.tensorParallel} p=${plan.layout.pipelineParallel} v=${plan.virtualStages ?? 1} ZeRO ${plan.layout.zeroStage}, micro-batch ${plan.layout.microBatch}, global batch ${plan.globalBatch}`,
    `#SBATCH --job-name=${options.jobName ?? `efflab-${plan.model.name}`}`,
    "#SBATCH --account=ACCOUNT-gpu   # your Delta GPU allocation, e.g. bbka-delta-gpu",
    `#SBATCH --partition=${partition}`,
    `#SBATCH --nodes=${nodes}`,
    `#SBATCH --gpus-per-node=${perNode}`,
    "#SBATCH --ntasks-per-node=1",
    ...(wholeNodes ? ["#SBATCH --exclusive"] : []),
    `#SBATCH --time=${plan.timeLimit ?? "02:00:00"}`,
    "#SBATCH --output=%x-%j.out",
    "",
    "# Software environment (a template: pick the modules or container of your stack):",
    "# module reset",
    "# module load cuda",
    "# module load <your PyTorch module or conda environment>",
    "",
    "set -euo pipefail",
    'head_node=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)',
    "",
    "srun torchrun \\",
    '  --nnodes="$SLURM_NNODES" \\',
    `  --nproc-per-node=${perNode} \\`,
    '  --rdzv-id="$SLURM_JOB_ID" \\',
    "  --rdzv-backend=c10d \\",
    '  --rdzv-endpoint="$head_node:29500" \\',
    ...continuation(program),
  ];
  return lines.join("\n") + "\n";
}

/** The program and its arguments, a flag and its value per line, each line continued but the last. */
function continuation(program: readonly string[]): string[] {
  const groups: string[][] = [];
  for (const word of program) {
    const last = groups[groups.length - 1];
    if (last !== undefined && !word.startsWith("--") && last.length === 1 && last[0]!.startsWith("--")) last.push(word);
    else groups.push([word]);
  }
  return groups.map((g, i) => `  ${g.join(" ")}${i < groups.length - 1 ? " \\" : ""}`);
}

/** The #SBATCH options of a script, option → value ("true" for options without a value). */
export function parseSbatchOptions(script: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of script.split("\n")) {
    const match = /^#SBATCH\s+--([a-z-]+)(?:=(\S+))?/.exec(line);
    if (match !== null) out[match[1]!] = match[2] ?? "true";
  }
  return out;
}
