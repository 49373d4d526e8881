/**
 * `efflab memory --estimator deepspeed`: DeepSpeed's own model-state estimate
 * (src/memory/deepspeed-estimate.ts), its table as DeepSpeed prints it, and the chosen options.
 */
import type { FlagSpec, FlagValues, Io } from "../command";
import { UsageError } from "../parse-args";
import { deepSpeedEstimateTable, deepSpeedZero2Estimate, deepSpeedZero3Estimate, type ModelSpec } from "../../memory";
import { formatBytesBoth } from "../../foundation/units";
import { groupDigits } from "../../foundation/text-table";

export const DEEPSPEED_ESTIMATOR_FLAGS: readonly FlagSpec[] = [
  { name: "estimator", type: "string", default: "workbook", choices: ["workbook", "deepspeed"], description: "the workbook's model (ZeRO §5) or DeepSpeed's estimate_zero2/3_model_states_mem_needs" },
  { name: "largest-layer", type: "count", min: 1, placeholder: "L", description: "deepspeed, ZeRO-3: parameters of the largest layer, e.g. 32M" },
  { name: "gpus-per-node", type: "integer", default: 1, min: 1, placeholder: "G", description: "deepspeed: GPUs per node" },
  { name: "nodes", type: "integer", default: 1, min: 1, placeholder: "N", description: "deepspeed: nodes" },
  { name: "offload-optimizer", type: "string", default: "none", choices: ["cpu", "none"], description: "deepspeed: optimizer states on the CPU" },
  { name: "offload-params", type: "string", default: "none", choices: ["cpu", "none"], description: "deepspeed, ZeRO-3: parameters on the CPU" },
  { name: "zero-init", type: "string", default: "true", choices: ["true", "false"], description: "deepspeed, ZeRO-3: model built under deepspeed.zero.Init" },
];

/**
 * The largest single module of a GPT from the catalog, as DeepSpeed's model_to_params finds it
 * (parameters of one module, not recursive): the word embedding V·h or the MLP's first linear
 * layer 4h·h + 4h, whichever is larger.
 */
export function largestLayerOf(model: ModelSpec): number {
  return Math.max(model.vocab * model.hidden, 4 * model.hidden * model.hidden + 4 * model.hidden);
}

export function runDeepSpeedEstimator(f: FlagValues, model: ModelSpec | undefined, json: boolean, io: Io): number {
  const stage = Number(f.zero ?? 0);
  if (stage !== 2 && stage !== 3) throw new UsageError(`--estimator deepspeed estimates ZeRO stage 2 or 3, got --zero ${stage}: add --zero 2 or --zero 3.`);
  const totalParams = model?.parameters ?? Number(f.params);
  const largest = f.largestLayer !== undefined ? Number(f.largestLayer) : model === undefined ? undefined : largestLayerOf(model);
  if (stage === 3 && largest === undefined) throw new UsageError("--zero 3 with --estimator deepspeed needs --largest-layer L (e.g. 32M) or --model.");
  const offloadOptimizer = f.offloadOptimizer === "cpu";
  const offloadParams = f.offloadParams === "cpu";
  if (offloadParams && stage !== 3) throw new UsageError("--offload-params cpu is ZeRO-3 only: use --zero 3.");
  if (offloadParams && !offloadOptimizer) throw new UsageError("--offload-params cpu needs --offload-optimizer cpu (DeepSpeed's estimate offloads both or the optimizer only).");
  const zeroInit = f.zeroInit !== "false";
  const hardware = { totalParams, gpusPerNode: Number(f.gpusPerNode ?? 1), nodes: Number(f.nodes ?? 1), ...(largest === undefined ? {} : { largestLayerParams: largest }) };
  const estimate =
    stage === 2 ? deepSpeedZero2Estimate({ ...hardware, offloadOptimizer }) : deepSpeedZero3Estimate({ ...hardware, offloadOptimizer, offloadParams, zeroInit });
  if (json) {
    io.out(
      JSON.stringify({
        estimator: "deepspeed",
        model: model?.name ?? null,
        params: totalParams,
        largestLayerParams: largest ?? null,
        zeroStage: stage,
        gpusPerNode: hardware.gpusPerNode,
        nodes: hardware.nodes,
        offloadOptimizer: offloadOptimizer ? "cpu" : "none",
        offloadParams: offloadParams ? "cpu" : "none",
        zeroInit,
        gpuBytes: estimate.gpuBytes,
        cpuBytes: estimate.cpuBytes,
      }),
    );
    return 0;
  }
  for (const line of deepSpeedEstimateTable(stage, hardware)) io.out(line);
  io.out('(DeepSpeed divides by 2^30 and prints "GB": read those figures as GiB.)');
  const options = `offload_optimizer=${offloadOptimizer ? "cpu" : "none"}${stage === 3 ? `, offload_param=${offloadParams ? "cpu" : "none"}, zero_init=${zeroInit ? 1 : 0}` : ""}`;
  io.out(`Chosen (${options}): per GPU ${groupDigits(estimate.gpuBytes)} bytes = ${formatBytesBoth(estimate.gpuBytes)}; CPU per node ${groupDigits(estimate.cpuBytes)} bytes = ${formatBytesBoth(estimate.cpuBytes)}.`);
  io.out("Model states only (no activations), 18 bytes per partitioned parameter; see `efflab memory --help` for how it differs from --estimator workbook.");
  return 0;
}
