/** `efflab plan`: rank DP × TP × PP × ZeRO × micro-batch × recompute layouts that fit. */
import { defineCommand } from "../command";
import { modelFromFlag, nodeFromFlag } from "../catalog-names";
import { enumerateLayouts, planParallelism, RECIPE_NAMES, resolveRecipe, type ModelSpec, type NodeSpec, type ParallelPlan } from "../../memory";
import { formatPlanTable, formatStageLine } from "../../memory/plan-table";
import { EXPORT_KINDS, LaunchPlanError, writeExport, type ExportKind, type LaunchPlan } from "../../launch";
import { UsageError } from "../usage-error";

/** What --export writes: the kind of files, their folder, the ranked plan to write, and the launch settings from the flags. */
type ExportRequest = Pick<LaunchPlan, "gpus" | "globalBatch" | "seq" | "virtualStages" | "precision" | "timeLimit"> & {
  readonly kind: ExportKind;
  readonly dir: string;
  readonly pick: number;
};

export const planCommand = defineCommand({
  name: "plan",
  summary: "rank the parallel layouts that fit a model on N GPUs by estimated step time",
  description:
    "Enumerates data × tensor × pipeline parallelism, ZeRO stage, micro-batch size, recomputation and sequence\n" +
    "parallelism; keeps the layouts whose bytes per GPU fit after 1 GiB + 5% headroom; estimates a step as\n" +
    "6·P·tokens FLOPs at 45% of peak, plus the pipeline bubble (p−1)/m and α-β ring all-reduces for TP and DP\n" +
    "(not overlapped). --gpu takes a GPU (8 per node, 8 × 25 GB/s between nodes) or a node type (delta-a100x4).\n" +
    "Memory is counted per pipeline stage (the first holds the embedding, the last the logits; stage s keeps p − s\n" +
    "micro-batches) and judged on the fullest. On nodes whose RAM is known (Delta: 256 GB) layouts may offload\n" +
    "optimizer states (ZeRO >= 1) and parameters (ZeRO-3) to the CPU, paid for in PCIe time (32 GB/s per GPU).\n" +
    "--export writes the picked plan for DeepSpeed, Megatron-LM or a Delta Slurm job, after checking d·t·p = N,\n" +
    "B divisible by b·d, layers by p·v, heads by t, and sequence parallelism only with t > 1.",
  flags: [
    { name: "model", type: "string", required: true, placeholder: "NAME", description: "catalog model, e.g. gpt3-175b" },
    { name: "gpu", type: "string", required: true, placeholder: "NAME", description: "GPU (a100-80gb) or node type (delta-a100x4)" },
    { name: "gpus", type: "integer", required: true, min: 1, placeholder: "N", description: "number of GPUs" },
    { name: "global-batch", type: "integer", default: 1536, min: 1, placeholder: "B", description: "sequences per step" },
    { name: "seq", type: "integer", min: 1, placeholder: "S", description: "sequence length (default: the model's)" },
    { name: "recipe", type: "string", default: "mixed-adam", choices: RECIPE_NAMES, parse: resolveRecipe, description: "precision recipe" },
    { name: "efficiency", type: "number", default: 0.45, min: 0, minExclusive: true, max: 1, placeholder: "F", description: "fraction of peak FLOP/s reached" },
    { name: "top", type: "integer", default: 10, min: 1, placeholder: "K", description: "plans to print (--json prints all)" },
    { name: "export", type: "string", choices: EXPORT_KINDS, description: "write the chosen plan as a DeepSpeed config, Megatron-LM arguments or a Delta Slurm job" },
    { name: "out", type: "string", placeholder: "DIR", description: "folder for --export (created if missing)" },
    { name: "pick", type: "integer", default: 1, min: 1, placeholder: "K", description: "which ranked plan --export writes" },
    { name: "virtual-stages", type: "integer", default: 1, min: 1, placeholder: "V", description: "interleaved model chunks per pipeline rank, for --export" },
    { name: "precision", type: "string", default: "bf16", choices: ["bf16", "fp16"], description: "16-bit format written by --export" },
    { name: "time", type: "string", default: "02:00:00", placeholder: "HH:MM:SS", description: "Slurm time limit for --export slurm" },
  ],
  examples: [
    "efflab plan --model gpt3-175b --gpu a100-80gb --gpus 1024",
    "efflab plan --model gpt2-1.5b --gpu delta-a100x4 --gpus 8 --global-batch 64",
    "efflab plan --model gpt3-175b --gpu delta-a100x4 --gpus 1024 --export slurm --out run/",
  ],
  run(args, io) {
    const f = args.flags;
    if ((f.export === undefined) !== (f.out === undefined)) throw new UsageError("--export and --out go together: --export deepspeed|megatron|slurm --out DIR.");
    const model = modelFromFlag(f.model);
    const node = nodeFromFlag(f.gpu);
    const { gpus, globalBatch, recipe, seq } = f;
    const result = planParallelism(model, node, { gpus, globalBatch, recipe, efficiency: f.efficiency, ...(seq === undefined ? {} : { seq }) });
    const exportTo: ExportRequest | undefined =
      f.export === undefined || f.out === undefined
        ? undefined
        : { kind: f.export, dir: f.out, pick: f.pick, gpus, globalBatch, ...(seq === undefined ? {} : { seq }), virtualStages: f.virtualStages, precision: f.precision, timeLimit: f.time };
    let exportLines: string[];
    try {
      exportLines = exportTo === undefined ? [] : exportPlan(exportTo, model, node, result.plans);
    } catch (error) {
      if (error instanceof LaunchPlanError) {
        io.err(`efflab plan: cannot export plan ${f.pick}: ${error.message}`);
        return 1;
      }
      throw error;
    }
    if (args.json) {
      io.out(
        JSON.stringify({
          model: model.name,
          node: node.name,
          gpu: node.gpu.name,
          gpus,
          recipe: recipe.name,
          candidates: result.candidates,
          discardedForMemory: result.discardedForMemory,
          offloadMakesItFit: result.offloadMakesItFit,
          plans: result.plans.map(planJson),
          ...(exportTo === undefined ? {} : { exported: exportLines.map((line) => line.slice("wrote ".length).replace(/ \(plan \d+\)$/, "")) }),
        }),
      );
      return 0;
    }
    io.out(`${model.displayName} on ${gpus} × ${node.gpu.displayName} (${node.gpusPerNode} per node): ${result.candidates} layouts, ${result.discardedForMemory} do not fit, ${result.plans.length} fit`);
    if (result.candidates === 0) {
      io.out(noLayoutMessage(model, node, gpus, globalBatch));
      return 1;
    }
    if (result.plans.length === 0) {
      io.out("Nothing fits: add GPUs, use a larger GPU, or a smaller model.");
      return 1;
    }
    io.out(formatPlanTable(result, f.top));
    io.out(`Plan 1 ${formatStageLine(result.plans[0]!)}.`);
    if (result.offloadMakesItFit) io.out("Offload is what makes it fit: no layout fits with every state on the GPUs.");
    for (const line of exportLines) io.out(line);
    return 0;
  },
});

/** Write the picked plan's export (plan.ts --export); returns the lines to print. */
function exportPlan(request: ExportRequest, model: ModelSpec, node: NodeSpec, plans: readonly ParallelPlan[]): string[] {
  const { kind, dir, pick, ...settings } = request;
  const chosen = plans[pick - 1];
  if (chosen === undefined) throw new UsageError(`--pick ${pick}: only ${plans.length} plans fit.`);
  const launch: LaunchPlan = {
    ...settings,
    model,
    node,
    layout: chosen.layout,
    offloadOptimizer: chosen.layout.offloadOptimizer === true ? "cpu" : "none",
    offloadParams: chosen.layout.offloadParams === true ? "cpu" : "none",
  };
  return writeExport(launch, kind, dir).map((path) => `wrote ${path} (plan ${pick})`);
}

/**
 * Why no layout was even tried, and the nearest GPU counts that have one: d × t × p must equal
 * the GPU count, with t <= GPUs per node dividing the heads, p <= layers, and the global batch
 * divisible by d × micro-batch (planner.ts, enumerateLayouts).
 */
function noLayoutMessage(model: ModelSpec, node: NodeSpec, gpus: number, globalBatch: number): string {
  const hasLayout = (n: number): boolean => n >= 1 && !enumerateLayouts(model, node, n, globalBatch, [1, 2, 4, 8]).next().done;
  let below = gpus - 1;
  while (below >= 1 && !hasLayout(below)) below -= 1;
  let above = gpus + 1;
  while (above <= 2 * gpus && !hasLayout(above)) above += 1;
  const near = [...(below >= 1 ? [below] : []), ...(above <= 2 * gpus ? [above] : [])];
  return (
    `No layout of ${gpus} GPUs exists: data × tensor × pipeline must equal ${gpus}, with tensor <= ${node.gpusPerNode} (one node) ` +
    `dividing the ${model.heads} heads, pipeline <= ${model.layers} layers, and the global batch ${globalBatch} divisible by data × micro-batch.` +
    (near.length > 0 ? ` Try --gpus ${near.join(" or ")}.` : "")
  );
}

function planJson(plan: ParallelPlan): Record<string, unknown> {
  const { total, ...breakdown } = plan.memory;
  const stage = (m: ParallelPlan["stages"]["first"]) => ({ stage: m.stage, bytesPerDevice: m.total, microbatchesInFlight: m.microbatchesInFlight, parameters: m.parameters, gradients: m.gradients, optimizerStates: m.optimizerStates, activations: m.activations, inputBatch: m.inputBatch, hostBytes: m.hostBytes });
  return {
    dp: plan.layout.dataParallel,
    tp: plan.layout.tensorParallel,
    pp: plan.layout.pipelineParallel,
    zeroStage: plan.layout.zeroStage,
    microBatch: plan.layout.microBatch,
    microbatches: plan.microbatches,
    recompute: plan.layout.recompute,
    sequenceParallel: plan.layout.sequenceParallel,
    offloadOptimizer: plan.layout.offloadOptimizer === true,
    offloadParams: plan.layout.offloadParams === true,
    bytesPerDevice: total,
    stages: {
      first: stage(plan.stages.first),
      ...(plan.stages.middle === undefined ? {} : { middle: stage(plan.stages.middle) }),
      last: stage(plan.stages.last),
      fullest: plan.stages.fullest.stage,
    },
    hostBytesPerNode: plan.hostBytesPerNode,
    breakdown,
    spareBytes: plan.fit.spareBytes,
    stepSeconds: plan.time.totalSeconds,
    time: plan.time,
    tokensPerSecond: plan.tokensPerSecond,
    modelFlopsPerGpu: plan.modelFlopsPerGpu,
  };
}
