/**
 * Figures for lab 4 (memory): what fills a GPU, how ZeRO shrinks it, how activations grow
 * with the sequence, and which model fits on which GPU. Plain plotly JSON (see figure.ts);
 * every size is plotted in GB (10^9 bytes) or GiB (2^30 bytes), named on the axis.
 */
import {
  deviceMemory,
  deviceActivationBytes,
  fitsOnGpu,
  modelStateMemory,
  type DeviceMemoryOptions,
  type GpuSpec,
  type HeadroomOptions,
  type ModelSpec,
  type PrecisionRecipe,
  type RecipeName,
  type RecomputeMode,
  type StageMemory,
  type ZeroStage,
} from "../memory";
import { BYTES_PER_AXIS_UNIT, byteUnitNote, categoryAxis, formatTickPlain, linearAxis, logAxis as logAxisOf } from "./axes";
import type { Figure, Trace } from "./figure";

/** Plotting unit for byte axes. */
export type MemoryAxisUnit = "GB" | "GiB";

const BYTES_IN = BYTES_PER_AXIS_UNIT;

export interface MemoryComponentsFigureOptions {
  /** Memory options applied to every model (recipe, ZeRO, parallelism, activations). @default {} (16 B/param, no parallelism) */
  readonly memory?: DeviceMemoryOptions;
  /** @default "GB" */
  readonly unit?: MemoryAxisUnit;
  /** Draw a dashed line at this GPU's capacity. @default none */
  readonly gpu?: GpuSpec;
  /** Logarithmic memory axis (the lecture's models span 3 orders of magnitude; stacks read best linear). @default false */
  readonly logAxis?: boolean;
}

/**
 * Stacked bars of parameters, gradients, optimizer states, activations per model (one bar per model).
 * With the defaults this draws the lecture's footprint column: 5.12, 24, 275, 2800 GB.
 */
export function memoryComponentsFigure(models: readonly ModelSpec[], options: MemoryComponentsFigureOptions = {}): Figure {
  if (models.length === 0) throw new Error("Expected at least one model to plot, got none.");
  const unit = options.unit ?? "GB";
  const scale = BYTES_IN[unit];
  const breakdowns = models.map((m) => deviceMemory(m.parameters, options.memory ?? {}));
  const names = models.map((m) => m.displayName);
  const components = [
    ["parameters", "parameters"],
    ["gradients", "gradients"],
    ["optimizerStates", "optimizer states"],
    ["activations", "activations"],
    ["inputBatch", "input batch"],
  ] as const;
  const data: Trace[] = components
    .filter(([key]) => breakdowns.some((b) => b[key] > 0))
    .map(([key, label]) => ({ type: "bar", name: label, x: names, y: breakdowns.map((b) => b[key] / scale) }));
  const logAxis = options.logAxis ?? false;
  // plotly places shapes and annotations on a log axis by log10 of the value
  const capacityY = options.gpu === undefined ? 0 : logAxis ? Math.log10(options.gpu.memoryBytes / scale) : options.gpu.memoryBytes / scale;
  const shapes =
    options.gpu === undefined ? [] : [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: capacityY, y1: capacityY, line: { dash: "dash" } }];
  const yTitle = `memory per GPU (${byteUnitNote(unit)})`;
  const totals = names.map((_, i) => data.reduce((sum, t) => sum + ((t.y as number[])[i] ?? 0), 0));
  return {
    data,
    layout: {
      title: { text: "Memory per GPU by component" },
      barmode: "stack",
      xaxis: categoryAxis("model"),
      yaxis: logAxis ? logAxisOf(yTitle, [...totals, ...(options.gpu ? [options.gpu.memoryBytes / scale] : [])]) : linearAxis(yTitle),
      shapes,
      // the capacity is labelled in the right margin, beside its line, where no bar can sit under it
      ...(options.gpu === undefined
        ? {}
        : {
            annotations: [
              {
                xref: "paper",
                x: 1.01,
                y: capacityY,
                text: `${options.gpu.displayName}<br>capacity<br>${formatTickPlain(Number((options.gpu.memoryBytes / scale).toPrecision(3)))} ${unit}`,
                showarrow: false,
                xanchor: "left",
                yanchor: "middle",
                align: "left",
              },
            ],
            margin: { r: 120 },
            legend: { orientation: "h", x: 0, y: -0.2, yanchor: "top" },
          }),
    },
  };
}

export interface ZeroScalingFigureOptions {
  /** @default "mixed-adam" */
  readonly recipe?: PrecisionRecipe | RecipeName;
  /** Data-parallel degrees on the x axis. @default 1, 2, 4, ..., 1024 */
  readonly dataParallel?: readonly number[];
  /** @default "GB" */
  readonly unit?: MemoryAxisUnit;
}

/** Model-state bytes per device vs data-parallel degree N for ZeRO stages 0-3, log-log (ZeRO Table 1 as curves). */
export function zeroMemoryVsDataParallelFigure(parameters: number, options: ZeroScalingFigureOptions = {}): Figure {
  const unit = options.unit ?? "GB";
  const scale = BYTES_IN[unit];
  const degrees = options.dataParallel ?? Array.from({ length: 11 }, (_, i) => 2 ** i);
  const label: Readonly<Record<ZeroStage, string>> = { 0: "DP (stage 0)", 1: "ZeRO-1 P_os", 2: "ZeRO-2 P_os+g", 3: "ZeRO-3 P_os+g+p" };
  const stages: readonly ZeroStage[] = [0, 1, 2, 3];
  const data: Trace[] = stages.map((zeroStage) => ({
      type: "scatter",
      mode: "lines+markers",
      name: label[zeroStage],
      x: degrees,
      y: degrees.map((N) => modelStateMemory(parameters, { recipe: options.recipe ?? "mixed-adam", zeroStage, dataParallel: N }).total / scale),
    }));
  return {
    data,
    layout: {
      title: { text: `Model states per GPU, ${formatTickPlain(Number((parameters / 1e9).toPrecision(3)))} billion parameters` },
      xaxis: logAxisOf("data-parallel degree N (GPUs)", degrees, undefined, degrees),
      yaxis: logAxisOf(`model states per GPU (${byteUnitNote(unit)})`, data.flatMap((t) => t.y ?? [])),
    },
  };
}

export interface ActivationSeqFigureOptions {
  /** Sequence lengths on the x axis. @default 512, 1024, ..., 16384 */
  readonly seqs?: readonly number[];
  /** b: micro-batch size. @default 1 */
  readonly microBatch?: number;
  /** t: tensor-parallel degree. @default 1 */
  readonly tensorParallel?: number;
  /** Sequence parallelism for every curve. @default false */
  readonly sequenceParallel?: boolean;
  /** Modes to draw. @default ["none", "selective", "full"] */
  readonly modes?: readonly RecomputeMode[];
  /** @default "GB" */
  readonly unit?: MemoryAxisUnit;
}

/** Activation bytes of all L layers vs sequence length, one curve per recomputation mode (Korthikanti Table 2). */
export function activationMemoryVsSeqFigure(model: ModelSpec, options: ActivationSeqFigureOptions = {}): Figure {
  const unit = options.unit ?? "GB";
  const scale = BYTES_IN[unit];
  const seqs = options.seqs ?? [512, 1024, 2048, 4096, 8192, 16384];
  const modes = options.modes ?? ["none", "selective", "full"];
  const data: Trace[] = modes.map((recompute) => ({
      type: "scatter",
      mode: "lines+markers",
      name: `recompute: ${recompute}`,
      x: seqs,
      y: seqs.map(
        (seq) =>
          deviceActivationBytes(
            { seq, batch: options.microBatch ?? 1, hidden: model.hidden, heads: model.heads },
            { layers: model.layers, tensorParallel: options.tensorParallel ?? 1, sequenceParallel: options.sequenceParallel ?? false, recompute },
          ).total / scale,
      ),
    }));
  return {
    data,
    layout: {
      title: { text: `${model.displayName}: activation memory vs sequence length` },
      xaxis: logAxisOf("sequence length s (tokens)", seqs, undefined, seqs),
      yaxis: logAxisOf(`activations, all ${model.layers} layers (${byteUnitNote(unit)})`, data.flatMap((t) => t.y ?? [])),
    },
  };
}

export interface FitMapFigureOptions extends HeadroomOptions {
  /** Memory options applied to every model. @default {} (model states, 16 B/param, one GPU) */
  readonly memory?: DeviceMemoryOptions;
}

/**
 * Heat map models × GPUs coloured by spare (positive) or missing (negative) GB after headroom,
 * with the verdict written in each cell. GB (10⁹ bytes), like the GPU catalog's capacities (the vendor's figure).
 */
export function gpuFitMapFigure(models: readonly ModelSpec[], gpus: readonly GpuSpec[], options: FitMapFigureOptions = {}): Figure {
  if (models.length === 0 || gpus.length === 0) throw new Error(`Expected models and GPUs to plot, got ${models.length} models and ${gpus.length} GPUs.`);
  const GB = BYTES_IN.GB;
  const z: number[][] = [];
  const text: string[][] = [];
  for (const model of models) {
    const required = deviceMemory(model.parameters, options.memory ?? {}).total;
    const row: number[] = [];
    const labels: string[] = [];
    for (const gpu of gpus) {
      const verdict = fitsOnGpu(required, gpu, options);
      const margin = verdict.kind === "fits" ? verdict.spareBytes : -verdict.shortfallBytes;
      row.push(margin / GB);
      labels.push(verdict.kind === "fits" ? `fits (+${(margin / GB).toFixed(1)} GB)` : `no (${(margin / GB).toFixed(1)} GB)`);
    }
    z.push(row);
    text.push(labels);
  }
  // Colours saturate at the largest GPU's capacity, so the margins that matter (tens of GB) stay visible.
  const limit = Math.max(...gpus.map((g) => g.memoryBytes / GB));
  return {
    data: [
      {
        type: "heatmap",
        // Cells are indexed 0..n−1; the axes below label them (x/y arrays of unequal length
        // would trip validateFigure, which expects x and y to pair up).
        z,
        text,
        texttemplate: "%{text}",
        zmin: -limit,
        zmax: limit,
        zmid: 0,
        // plotly's "RdBu" runs from blue (low) to red (high): reversed, a shortfall is red and spare memory blue
        colorscale: "RdBu",
        reversescale: true,
        colorbar: { title: { text: "spare memory (GB = 10⁹ bytes)" }, exponentformat: "power" },
      },
    ],
    layout: {
      title: { text: "Does it fit? Spare memory per GPU after headroom" },
      xaxis: { title: { text: "GPU" }, tickmode: "array", tickvals: gpus.map((_, i) => i), ticktext: gpus.map((g) => g.displayName) },
      // automargin: long model names ("Megatron-Turing NLG 530B") get the room they need
      yaxis: { title: { text: "model" }, tickmode: "array", tickvals: models.map((_, i) => i), ticktext: models.map((m) => m.displayName), automargin: true },
    },
  };
}

export interface StageMemoryFigureOptions {
  /** Draw a dashed line at this GPU's capacity. @default none */
  readonly gpu?: GpuSpec;
  /** @default "Memory per GPU by pipeline stage" */
  readonly title?: string;
  /** @default "GB" */
  readonly unit?: MemoryAxisUnit;
}

/**
 * Stacked bars of one GPU's memory on each pipeline stage s = 0 … p − 1 (from `stageMemories`):
 * the first stage also holds the embedding and the most micro-batches in flight, the last the
 * output layer and the logits (Megatron-LM's theoretical memory accounting).
 */
export function stageMemoryFigure(stages: readonly StageMemory[], options: StageMemoryFigureOptions = {}): Figure {
  if (stages.length === 0) throw new Error("Expected at least one pipeline stage to plot, got none.");
  const unit = options.unit ?? "GB";
  const scale = BYTES_IN[unit];
  const x = stages.map((s) => s.stage);
  const components = [
    ["parameters", (s: StageMemory) => s.parameters],
    ["gradients", (s: StageMemory) => s.gradients],
    ["optimizer states", (s: StageMemory) => s.optimizerStates],
    ["activations + input batch", (s: StageMemory) => s.activations + s.inputBatch],
  ] as const;
  const data: Trace[] = components.map(([name, bytes]) => ({ type: "bar", name, x, y: stages.map((s) => bytes(s) / scale) }));
  const gpu = options.gpu;
  if (gpu !== undefined) {
    const capacity = gpu.memoryBytes / scale;
    data.push({
      type: "scatter",
      mode: "lines",
      name: `${gpu.displayName} capacity (${formatTickPlain(Number(capacity.toPrecision(3)))} ${unit})`,
      x: [x[0]! - 0.5, x[x.length - 1]! + 0.5],
      y: [capacity, capacity],
      line: { dash: "dash", color: "black" },
    });
  }
  return {
    data,
    layout: {
      title: { text: options.title ?? "Memory per GPU by pipeline stage" },
      barmode: "stack",
      xaxis: linearAxis("pipeline stage s", { dtick: Math.max(1, Math.ceil(stages.length / 16)) }),
      yaxis: linearAxis(`memory per GPU (${byteUnitNote(unit)})`),
      legend: { orientation: "h", x: 0, y: -0.2, yanchor: "top" },
    },
  };
}
