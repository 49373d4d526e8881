/**
 * The parallelism planner: how long `efflab plan --model gpt3-175b --gpu a100-80gb --gpus 1024`
 * takes to rank its layouts (the issue asks for well under 2 s).
 *
 * Baselines measured in the same run:
 *   - one fitting layout evaluated (memory + fit + step time) × the number of layouts;
 *   - every pre-enumerated layout evaluated once in a plain loop.
 * The ratio planner / loop shows the planner's overhead beyond evaluating each candidate
 * once (enumeration, result objects, sorting). Target: <= 2×.
 * A second case sweeps every GPU count from 8 to 4096 (powers of two) for Turing-NLG.
 */
import {
  enumerateLayouts,
  estimateStepTime,
  findModel,
  findNode,
  fitsOnGpu,
  layoutMemory,
  planParallelism,
  type ModelSpec,
  type NodeSpec,
  type ParallelLayout,
} from "../src/memory";
import { medianMs, printTable } from "./timing";

function evaluateOne(model: ModelSpec, node: NodeSpec, layout: ParallelLayout, globalBatch: number): number {
  const memory = layoutMemory(model, layout, { globalBatch });
  const fit = fitsOnGpu(memory.total, node.gpu);
  return fit.kind === "fits" ? estimateStepTime(model, node, layout, { globalBatch }).totalSeconds : Infinity;
}

export async function run(): Promise<void> {
  const gpt3 = findModel("gpt3-175b");
  const node = findNode("a100-80gb");
  const gpus = 1024;
  const globalBatch = 1536;
  const layouts = [...enumerateLayouts(gpt3, node, gpus, globalBatch, [1, 2, 4, 8])];
  const result = planParallelism(gpt3, node, { gpus, globalBatch });
  const one = result.plans[0]!.layout; // a layout that fits: memory, fit and step time all run

  const planMs = await medianMs(() => planParallelism(gpt3, node, { gpus, globalBatch }), 15, 3);
  const repeats = 1000;
  const oneMs = (await medianMs(() => {
    for (let i = 0; i < repeats; i++) evaluateOne(gpt3, node, one, globalBatch);
  }, 15, 3)) / repeats;
  const oneTimesLayoutsMs = oneMs * layouts.length;
  const loopMs = await medianMs(() => {
    for (const layout of layouts) evaluateOne(gpt3, node, layout, globalBatch);
  }, 15, 3);

  console.log(`GPT-3 175B on ${gpus} × ${node.gpu.displayName}: ${result.candidates} layouts, ${result.plans.length} fit`);
  printTable(
    ["case", "ms", "ratio vs baseline"],
    [
      ["baseline: one fitting layout × layouts", oneTimesLayoutsMs, oneTimesLayoutsMs / loopMs],
      ["baseline: each layout once, plain loop", loopMs, 1],
      ["planParallelism (enumerate, fit, time, sort)", planMs, planMs / loopMs],
    ],
  );
  console.log(`Budget: 2000 ms; planner used ${((100 * planMs) / 2000).toFixed(2)}% of it. Target ratio <= 2×.`);

  // Sweep: Turing-NLG 17.2B on 8..4096 A100 40GB (Delta-like 4-GPU nodes).
  const tnlg = findModel("turing-nlg-17b");
  const delta = findNode("delta-a100x4");
  const rows: (string | number)[][] = [];
  for (let n = 8; n <= 4096; n *= 2) {
    const ms = await medianMs(() => planParallelism(tnlg, delta, { gpus: n, globalBatch: 4096 }), 5, 1);
    const best = planParallelism(tnlg, delta, { gpus: n, globalBatch: 4096 }).plans[0];
    const l = best?.layout;
    rows.push([n, ms, l ? `d${l.dataParallel} t${l.tensorParallel} p${l.pipelineParallel} z${l.zeroStage} b${l.microBatch} ${l.recompute}` : "none fits", best ? best.time.totalSeconds : "-"]);
  }
  printTable(["GPUs", "plan ms", "best layout", "step s"], rows);
}
