/** `efflab memory`: bytes per device of a training job (ZeRO §5 model states + Korthikanti activations). */
import type { CommandSpec, FlagValues, ParsedArgs } from "../command";
import { gpuFromFlag, modelFromFlag } from "../catalog-names";
import { UsageError } from "../parse-args";
import {
  bytesPerParameter,
  deviceMemory,
  fitsOnGpu,
  parseRecomputeMode,
  RECIPE_NAMES,
  RECOMPUTE_MODES,
  requireZeroStage,
  resolveRecipe,
  type ActivationWorkload,
  type GpuSpec,
  type ModelSpec,
} from "../../memory";
import { formatBytes, formatBytesBoth } from "../../foundation/units";
import { DEEPSPEED_ESTIMATOR_FLAGS, runDeepSpeedEstimator } from "./memory-deepspeed";
import { BYTE_COLUMN_HEADERS, byteCells, formatTextTable, groupDigits } from "../../foundation/text-table";

export const memoryCommand: CommandSpec = {
  name: "memory",
  summary: "bytes per GPU of a training job: parameters, gradients, optimizer states, activations",
  description:
    "Model states per device (Rajbhandari et al. 2020, §5): with Ψ = P/(t·p) parameters per model-parallel rank,\n" +
    "stage 0 (2+2+K)Ψ; stage 1 2Ψ+2Ψ+KΨ/N; stage 2 2Ψ+(2+K)Ψ/N; stage 3 (2+2+K)Ψ/N (bytes per state from --recipe).\n" +
    "Activations (with --micro-batch): Korthikanti et al. 2022, Table 2, on the first pipeline stage (§4.2.3).\n" +
    "GB = 10^9 bytes, GiB = 2^30 bytes; --json prints exact bytes. A GPU's capacity (--gpu) is its product figure in GB\n" +
    "(A100 80GB = 80e9 bytes); what nvidia-smi shows (81920 MiB = 80 GiB) is printed beside it.\n" +
    "--estimator deepspeed reproduces DeepSpeed's estimate_zero2/3_model_states_mem_needs (--zero 2|3): it counts\n" +
    "18 bytes per partitioned parameter (fp16 + fp32 gradients, fp32 master copy, Adam moments) with the fp16\n" +
    "parameters whole on every GPU under ZeRO-2, adds the largest layer gathered (4L bytes) under ZeRO-3, counts CPU\n" +
    "memory per node with a 1.5 buffer factor, and ignores activations; its \"GB\" are GiB. --json: gpuBytes, cpuBytes.",
  flags: [
    { name: "model", type: "string", placeholder: "NAME", description: "catalog model, e.g. gpt3-175b or gpt3 (gives P and the shape)" },
    { name: "params", type: "count", min: 1, placeholder: "P", description: "parameter count instead of --model, e.g. 7.5B" },
    { name: "recipe", type: "string", default: "mixed-adam", choices: RECIPE_NAMES, description: "precision recipe (bytes per parameter)" },
    { name: "zero", type: "integer", default: 0, min: 0, max: 3, placeholder: "0-3", description: "ZeRO stage" },
    { name: "dp", type: "integer", default: 1, min: 1, placeholder: "N", description: "data-parallel degree" },
    { name: "tp", type: "integer", default: 1, min: 1, placeholder: "T", description: "tensor-parallel degree" },
    { name: "pp", type: "integer", default: 1, min: 1, placeholder: "P", description: "pipeline-parallel degree" },
    { name: "micro-batch", type: "integer", min: 1, placeholder: "B", description: "micro-batch size: adds activations and the input batch" },
    { name: "seq", type: "integer", min: 1, placeholder: "S", description: "sequence length (default: the model's)" },
    { name: "layers", type: "integer", min: 1, placeholder: "L", description: "layers (default: the model's)" },
    { name: "hidden", type: "integer", min: 1, placeholder: "H", description: "hidden size (default: the model's)" },
    { name: "heads", type: "integer", min: 1, placeholder: "A", description: "attention heads (default: the model's)" },
    { name: "microbatches", type: "integer", min: 1, placeholder: "M", description: "micro-batches per step (default: pp)" },
    { name: "recompute", type: "string", default: "none", choices: RECOMPUTE_MODES, description: "activation recomputation" },
    { name: "sequence-parallel", type: "boolean", description: "sequence parallelism (Korthikanti §4.2.2)" },
    { name: "gpu", type: "string", placeholder: "NAME", description: "also say whether it fits on this GPU, e.g. a100-40gb" },
    ...DEEPSPEED_ESTIMATOR_FLAGS,
  ],
  examples: [
    "efflab memory --model gpt3-175b --zero 3 --dp 1024",
    "efflab memory --params 7.5B --zero 1 --dp 64",
    "efflab memory --params 1B --recipe mixed-adam-fp32-grads --gpu a100-40gb",
    "efflab memory --model gpt3-175b --tp 8 --pp 16 --dp 8 --zero 1 --micro-batch 1 --sequence-parallel --recompute selective --json",
    "efflab memory --estimator deepspeed --zero 3 --params 2851M --largest-layer 32M --gpus-per-node 8 --offload-optimizer cpu",
  ],
  run(args: ParsedArgs, io) {
    const f = args.flags;
    const model = resolveModel(f);
    if (f.estimator === "deepspeed") return runDeepSpeedEstimator(f, model, args.json, io);
    const P = model?.parameters ?? Number(f.params);
    const recipe = resolveRecipe(String(f.recipe ?? "mixed-adam"));
    const zeroStage = requireZeroStage(Number(f.zero ?? 0));
    const dp = Number(f.dp ?? 1);
    const tp = Number(f.tp ?? 1);
    const pp = Number(f.pp ?? 1);
    const activations = resolveWorkload(f, model);
    const breakdown = deviceMemory(P, {
      recipe,
      zeroStage,
      dataParallel: dp,
      tensorParallel: tp,
      pipelineParallel: pp,
      ...(activations === undefined ? {} : { activations }),
    });
    const gpu = f.gpu === undefined ? undefined : gpuFromFlag(String(f.gpu));
    const fit = gpu === undefined ? undefined : fitsOnGpu(breakdown.total, gpu);

    if (args.json) {
      const { total, ...parts } = breakdown;
      io.out(
        JSON.stringify({
          model: model?.name ?? null,
          params: P,
          recipe: recipe.name,
          bytesPerParameter: bytesPerParameter(recipe),
          zeroStage,
          dp,
          tp,
          pp,
          activationsCounted: activations !== undefined,
          bytesPerDevice: total,
          breakdown: parts,
          ...(fit === undefined || gpu === undefined ? {} : { fit: { gpu: gpu.name, ...fit } }),
        }),
      );
      return 0;
    }
    const who = model === undefined ? `${groupDigits(P)} parameters` : `${model.displayName} (${groupDigits(P)} parameters)`;
    io.out(`${who}, recipe ${recipe.name} (${bytesPerParameter(recipe)} B/param), ZeRO stage ${zeroStage}, DP ${dp} × TP ${tp} × PP ${pp}`);
    const row = (name: string, bytes: number) => [name, groupDigits(bytes), ...byteCells(bytes)];
    io.out(
      formatTextTable(
        ["component", "bytes per device", ...BYTE_COLUMN_HEADERS],
        [
          row("parameters", breakdown.parameters),
          row("gradients", breakdown.gradients),
          row("optimizer states", breakdown.optimizerStates),
          row("activations", breakdown.activations),
          row("input batch", breakdown.inputBatch),
          row("total", breakdown.total),
        ],
      ),
    );
    if (activations === undefined) io.out("Activations not counted: pass --micro-batch (and --seq/--layers/--hidden/--heads without --model).");
    if (fit !== undefined && gpu !== undefined) {
      const verdict =
        fit.kind === "fits"
          ? `fits on ${gpu.displayName}: ${formatBytesBoth(fit.spareBytes)} to spare`
          : `does NOT fit on ${gpu.displayName}: ${formatBytesBoth(fit.shortfallBytes)} short`;
      io.out(`${verdict}; capacity ${formatBytesBoth(fit.capacityBytes)}, usable after headroom ${formatBytesBoth(fit.availableBytes)}`);
      io.out(capacityNote(gpu));
    }
    return 0;
  },
};

/** What the capacity is, and what nvidia-smi shows instead (gpu-catalog.ts). */
function capacityNote(gpu: GpuSpec): string {
  const reported = gpu.driverReportedBytes;
  const driver = reported === undefined ? "" : `; nvidia-smi shows ${groupDigits(reported / 2 ** 20)} MiB = ${formatBytes(reported, { unit: "GiB" })}`;
  return `Capacity = the product figure, ${formatBytes(gpu.memoryBytes, { unit: "GB" })} = ${groupDigits(gpu.memoryBytes)} bytes${driver}.`;
}

function resolveModel(f: FlagValues): ModelSpec | undefined {
  if (f.model !== undefined && f.params !== undefined) throw new UsageError("give --model or --params, not both.");
  if (f.model !== undefined) return modelFromFlag(String(f.model));
  if (f.params === undefined) throw new UsageError("give --model NAME (e.g. gpt3-175b) or --params P (e.g. 7.5B).");
  return undefined;
}

function resolveWorkload(f: FlagValues, model: ModelSpec | undefined): ActivationWorkload | undefined {
  if (f.microBatch === undefined) return undefined;
  const pick = (flag: "seq" | "layers" | "hidden" | "heads"): number => {
    const value = f[flag] ?? model?.[flag];
    if (value === undefined) throw new UsageError(`--micro-batch needs --${flag} (or --model to take it from the catalog).`);
    return Number(value);
  };
  return {
    seq: pick("seq"),
    microBatch: Number(f.microBatch),
    layers: pick("layers"),
    hidden: pick("hidden"),
    heads: pick("heads"),
    recompute: parseRecomputeMode(String(f.recompute ?? "none")),
    sequenceParallel: f.sequenceParallel === true,
    ...(f.microbatches === undefined ? {} : { microbatches: Number(f.microbatches) }),
  };
}
