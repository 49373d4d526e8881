/**
 * DeepSpeed's own estimate of model-state memory under ZeRO-2 and ZeRO-3, reproduced as its
 * current code computes it (deepspeed/runtime/zero/stage_1_and_2.py,
 * `estimate_zero2_model_states_mem_needs`; deepspeed/runtime/zero/stage3.py,
 * `estimate_zero3_model_states_mem_needs`; DeepSpeed master, 2026), with N = GPUs per node ×
 * nodes, P parameters, L parameters of the largest layer and buffer factor f = 1.5:
 *
 *   ZeRO-2, optimizer offloaded   GPU 2P              CPU P · max(4N, 16) · f
 *   ZeRO-2, no offload            GPU 2P + ⌊18P/N⌋    CPU P · 4 · (GPUs per node) · f
 *   ZeRO-3 (GPU always holds 4L: the gathered 16-bit parameters and gradients of the largest layer)
 *     params + optimizer offloaded  GPU 4L            CPU P · 18/nodes · f  (zero_init), else P · max(4·GPUs/node, 18/nodes) · f
 *     optimizer offloaded           GPU 4L + ⌊2P/N⌋   CPU P · 16/nodes · f  (zero_init), else P · max(4·GPUs/node, 16/nodes) · f
 *     nothing offloaded             GPU 4L + ⌊18P/N⌋  CPU L · 4 · GPUs/node · f (zero_init), else P · 4 · GPUs/node · f
 * Results are truncated to integers as Python's int() does. CPU figures are per node.
 *
 * Where it differs from the workbook's model (model-states.ts, ZeRO §5):
 *   - 18 bytes per partitioned parameter instead of 16 (mixed-adam): DeepSpeed counts 2 (fp16
 *     gradients) + 4 (fp32 gradients) + 4 (fp32 master parameters) + 8 (Adam moments); the fp16
 *     parameters (2P under ZeRO-2) stay whole on every GPU.
 *   - ZeRO-3 adds the largest layer gathered on one GPU (4L); the workbook counts no gather buffer.
 *   - It counts CPU memory, with a 1.5 safety factor, and no activations at all.
 *   - DeepSpeed's documentation page (docs/code-docs/source/memory.rst) still prints an older
 *     ZeRO-2 formula without offload, 4P + ⌊16P/N⌋ (15.93 GB for 2,851M parameters on 8 GPUs);
 *     the current code gives 2P + ⌊18P/N⌋ (11.28). We follow the code.
 *   - It prints bytes / 2^30 with the label "GB"; those are GiB.
 */
import { expectInteger, expectPositive } from "../foundation/validate";

export interface DeepSpeedEstimateOptions {
  /** P: total parameters. */
  readonly totalParams: number;
  /** L: parameters of the largest layer (ZeRO-3 only). */
  readonly largestLayerParams?: number;
  /** @default 1 */
  readonly gpusPerNode?: number;
  /** @default 1 */
  readonly nodes?: number;
  /** Optimizer states (and fp32 master weights) on CPU. */
  readonly offloadOptimizer: boolean;
  /** Parameters on CPU (ZeRO-3 only; needs offloadOptimizer, as in DeepSpeed's table). */
  readonly offloadParams?: boolean;
  /** Model built partitioned under deepspeed.zero.Init (ZeRO-3). @default true */
  readonly zeroInit?: boolean;
  /** @default 1.5 */
  readonly additionalBufferFactor?: number;
}

export interface DeepSpeedEstimate {
  /** Bytes per GPU. */
  readonly gpuBytes: number;
  /** Bytes of CPU memory per node. */
  readonly cpuBytes: number;
}

/** Python's int() of a float: truncation toward zero. */
const int = (x: number): number => Math.trunc(x);

/** `estimate_zero2_model_states_mem_needs` (stage_1_and_2.py). */
export function deepSpeedZero2Estimate(options: DeepSpeedEstimateOptions): DeepSpeedEstimate {
  const P = expectPositive("totalParams", options.totalParams);
  const perNode = expectInteger("gpusPerNode", options.gpusPerNode ?? 1, 1);
  const totalGpus = expectInteger("nodes", options.nodes ?? 1, 1) * perNode;
  const f = options.additionalBufferFactor ?? 1.5;
  if (options.offloadOptimizer) {
    return { gpuBytes: int(2 * P), cpuBytes: int(P * Math.max(4 * totalGpus, 16) * f) };
  }
  return { gpuBytes: int(2 * P + int((18 * P) / totalGpus)), cpuBytes: int(P * 4 * perNode * f) };
}

/** `estimate_zero3_model_states_mem_needs` (stage3.py). */
export function deepSpeedZero3Estimate(options: DeepSpeedEstimateOptions): DeepSpeedEstimate & { readonly largestLayerBytes: number } {
  const P = expectPositive("totalParams", options.totalParams);
  if (options.largestLayerParams === undefined) throw new Error("ZeRO-3's estimate needs the largest layer's parameter count (largestLayerParams).");
  const L = expectPositive("largestLayerParams", options.largestLayerParams);
  const perNode = expectInteger("gpusPerNode", options.gpusPerNode ?? 1, 1);
  const nodes = expectInteger("nodes", options.nodes ?? 1, 1);
  const totalGpus = nodes * perNode;
  const gpusFactor = 1 / nodes;
  const f = options.additionalBufferFactor ?? 1.5;
  const zeroInit = options.zeroInit ?? true;
  const largestLayerBytes = 4 * L;
  if (options.offloadParams === true && !options.offloadOptimizer) {
    throw new Error("DeepSpeed's estimate offloads parameters only together with the optimizer (offload_param=cpu needs offload_optimizer=cpu).");
  }
  let gpu: number;
  let cpu: number;
  if (options.offloadOptimizer) {
    if (options.offloadParams === true) {
      gpu = largestLayerBytes;
      cpu = zeroInit ? P * 18 * gpusFactor * f : P * Math.max(4 * perNode, 18 * gpusFactor) * f;
    } else {
      gpu = largestLayerBytes + int((2 * P) / totalGpus);
      cpu = zeroInit ? P * 16 * gpusFactor * f : P * Math.max(4 * perNode, 16 * gpusFactor) * f;
    }
  } else {
    gpu = largestLayerBytes + int((18 * P) / totalGpus);
    cpu = zeroInit ? L * 4 * perNode * f : P * 4 * perNode * f;
  }
  return { gpuBytes: int(gpu), cpuBytes: int(cpu), largestLayerBytes };
}

/**
 * The table DeepSpeed's `estimate_zero{2,3}_model_states_mem_needs_all_cold` prints, line for line
 * (figures are bytes / 2^30 with DeepSpeed's label "GB"; the device is padded to 4 characters,
 * "cpu ", as Python up to 3.10 formats DeepSpeed's OffloadDeviceEnum; Python 3.11+ prints
 * "OffloadDeviceEnum.cpu" there instead).
 */
export function deepSpeedEstimateTable(stage: 2 | 3, options: Omit<DeepSpeedEstimateOptions, "offloadOptimizer" | "offloadParams" | "zeroInit">): string[] {
  const nodes = options.nodes ?? 1;
  const perNode = options.gpusPerNode ?? 1;
  const millions = (x: number) => String(Math.trunc(x / 1e6));
  const lines = [
    "Estimated memory needed for params, optim states and gradients for a:",
    `HW: Setup with ${nodes} ${nodes > 1 ? "nodes" : "node"}, ${perNode} ${perNode > 1 ? "GPUs" : "GPU"} per node.`,
    stage === 2
      ? `SW: Model with ${millions(options.totalParams)}M total params.`
      : `SW: Model with ${millions(options.totalParams)}M total params, ${millions(options.largestLayerParams ?? NaN)}M largest layer params.`,
    "  per CPU  |  per GPU |   Options",
  ];
  const row = (e: DeepSpeedEstimate, text: string) => ` ${(e.cpuBytes / 2 ** 30).toFixed(2).padStart(7)}GB | ${(e.gpuBytes / 2 ** 30).toFixed(2).padStart(6)}GB | ${text}`;
  const device = (on: boolean) => (on ? "cpu " : "none");
  if (stage === 2) {
    for (const offloadOptimizer of [true, false]) lines.push(row(deepSpeedZero2Estimate({ ...options, offloadOptimizer }), `offload_optimizer=${device(offloadOptimizer)}`));
    return lines;
  }
  for (const offloadOptimizer of [true, false]) {
    for (const offloadParams of [true, false]) {
      if (!offloadOptimizer && offloadParams) continue;
      for (const zeroInit of [true, false]) {
        const e = deepSpeedZero3Estimate({ ...options, offloadOptimizer, offloadParams, zeroInit });
        lines.push(row(e, `offload_param=${device(offloadParams)}, offload_optimizer=${device(offloadOptimizer)}, zero_init=${zeroInit ? 1 : 0}`));
      }
    }
  }
  return lines;
}
