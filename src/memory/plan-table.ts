/**
 * The planner's ranking as an aligned text table: one row per layout that fits, fastest
 * first, with the memory per GPU and the spare memory in GB (10^9 bytes, the unit of the
 * GPUs' capacities, gpu-catalog.ts) and the estimated step time and model FLOP/s per GPU.
 * Used by the lab 4 notebook; `efflab plan` prints the same columns.
 */
import type { PlannerResult } from "./planner";
import { formatTextTable } from "../foundation/text-table";
import { formatBytes } from "../foundation/units";
import { expectInteger } from "../foundation/validate";

/** Column headers of `formatPlanTable`. */
export const PLAN_TABLE_HEADER: readonly string[] = ["#", "DP", "TP", "PP", "ZeRO", "micro", "m", "recompute", "SP", "offload", "memory/GPU", "spare", "step (s)", "TFLOP/s/GPU"];

/**
 * The `top` fastest plans as a table (DP, TP, PP: data, tensor, pipeline degrees; micro: micro-batch
 * size b; m: micro-batches per step; SP: sequence parallelism; offload: "opt" optimizer states and gradients in
 * CPU memory, "opt+par" parameters too; memory/GPU: the fullest pipeline stage).
 *
 * @param top rows to print. @default 10
 * @example console.log(formatPlanTable(planParallelism(findModel("gpt3-175b"), findNode("a100-80gb"), { gpus: 1024 }), 5))
 */
export function formatPlanTable(result: PlannerResult, top = 10): string {
  const k = expectInteger("top", top, 1);
  if (result.plans.length === 0) return `No layout fits (${result.candidates} tried): add GPUs, use a larger GPU, or a smaller model.`;
  const rows = result.plans.slice(0, k).map((plan, i) => {
    const l = plan.layout;
    return [
      String(i + 1),
      String(l.dataParallel),
      String(l.tensorParallel),
      String(l.pipelineParallel),
      String(l.zeroStage),
      String(l.microBatch),
      String(plan.microbatches),
      l.recompute,
      l.sequenceParallel ? "yes" : "no",
      l.offloadParams === true ? "opt+par" : l.offloadOptimizer === true ? "opt" : "-",
      formatBytes(plan.memory.total, { unit: "GB", precision: 3 }),
      formatBytes(plan.fit.spareBytes, { unit: "GB", precision: 3 }),
      plan.time.totalSeconds.toFixed(2),
      (plan.modelFlopsPerGpu / 1e12).toFixed(1),
    ];
  });
  return formatTextTable(PLAN_TABLE_HEADER, rows);
}

/**
 * Per-stage memory of one plan, one line: the first, a middle and the last stage's bytes per GPU,
 * which one is fullest, and the CPU memory offload takes per node.
 */
export function formatStageLine(plan: PlannerResult["plans"][number]): string {
  const gb = (bytes: number) => formatBytes(bytes, { unit: "GB", precision: 3 });
  const { first, middle, last, fullest } = plan.stages;
  const parts = first === last ? [`one stage ${gb(first.total)}`] : [`first ${gb(first.total)}`, ...(middle === undefined ? [] : [`middle ${gb(middle.total)}`]), `last ${gb(last.total)}`];
  const name = fullest === first ? "first" : fullest === last ? "last" : `stage ${fullest.stage}`;
  const host = plan.hostBytesPerNode > 0 ? `; offload uses ${gb(plan.hostBytesPerNode)} of CPU memory per node` : "";
  return `memory per GPU by pipeline stage: ${parts.join(", ")}${first === last ? "" : `; the fullest is the ${name}`}${host}`;
}
