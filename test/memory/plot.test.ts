import { describe, expect, it } from "vitest";
import { findGpu, findModel, findNode, GPU_CATALOG, LECTURE_MODEL_NAMES, modelStateMemory, planParallelism, stageMemories } from "../../src/memory";
import {
  activationMemoryVsSeqFigure,
  gpuFitMapFigure,
  memoryComponentsFigure,
  stageMemoryFigure,
  zeroMemoryVsDataParallelFigure,
} from "../../src/plot/memory";
import type { Axis, Figure } from "../../src/plot/figure";
import { validateFigure } from "../../src/plot/show";

const lecture = LECTURE_MODEL_NAMES.map((n) => findModel(n));

function axisTitle(axis: Axis | undefined): string {
  const title = axis?.title;
  return typeof title === "string" ? title : title?.text ?? "";
}

/** Every figure: valid for plotly, JSON-serialisable, both axes titled, byte axes name their unit. */
function expectWellFormed(fig: Figure): void {
  validateFigure(fig);
  expect(JSON.parse(JSON.stringify(fig))).toEqual(fig);
  expect(axisTitle(fig.layout.xaxis)).not.toBe("");
  expect(axisTitle(fig.layout.yaxis)).not.toBe("");
}

describe("memory figures", () => {
  it("stacks the lecture's footprints: bars sum to 5.12, 24, 275.2 and 2800 GB", () => {
    const fig = memoryComponentsFigure(lecture);
    expectWellFormed(fig);
    expect(axisTitle(fig.layout.yaxis)).toContain("GB = 10⁹ bytes");
    const totals = lecture.map((_, i) => fig.data.reduce((sum, trace) => sum + (trace.y![i] as number), 0));
    expect(totals.map((t) => Number(t.toPrecision(4)))).toEqual([5.12, 24, 275.2, 2800]);
    expect(fig.data.map((t) => t.name)).toEqual(["parameters", "gradients", "optimizer states"]);
  });

  it("draws a GPU's capacity line in the chosen unit", () => {
    // The capacity is the product figure: 80 GB = 80e9 bytes = 74.5 GiB (gpu-catalog.ts).
    const fig = memoryComponentsFigure(lecture, { gpu: findGpu("a100-80gb"), unit: "GB" });
    expectWellFormed(fig);
    expect((fig.layout.shapes as { y0: number }[])[0]!.y0).toBe(80);
    const gib = memoryComponentsFigure(lecture, { gpu: findGpu("a100-80gb"), unit: "GiB" });
    expect((gib.layout.shapes as { y0: number }[])[0]!.y0).toBe(80e9 / 2 ** 30);
    // plotly positions shapes on a log axis by log10 of the value: 10^1.903 = 80
    const log = memoryComponentsFigure(lecture, { gpu: findGpu("a100-80gb"), unit: "GB", logAxis: true });
    expect((log.layout.shapes as { y0: number }[])[0]!.y0).toBeCloseTo(Math.log10(80), 12);
  });

  it("plots ZeRO memory vs DP degree on log axes, matching modelStateMemory at every point", () => {
    const fig = zeroMemoryVsDataParallelFigure(7.5e9);
    expectWellFormed(fig);
    expect(fig.layout.xaxis?.type).toBe("log");
    expect(fig.data).toHaveLength(4);
    const stage1 = fig.data[1]!;
    (stage1.x as number[]).forEach((N, i) => {
      expect(stage1.y![i]).toBeCloseTo(modelStateMemory(7.5e9, { zeroStage: 1, dataParallel: N }).total / 1e9, 9);
    });
    // ZeRO Figure 1 point: N = 64, stage 3 -> 1.875 GB
    const stage3 = fig.data[3]!;
    expect(stage3.y![(stage3.x as number[]).indexOf(64)]).toBe(1.875);
  });

  it("shows activations falling from none to selective to full recomputation at every sequence length", () => {
    const fig = activationMemoryVsSeqFigure(findModel("gpt3-175b"), { tensorParallel: 8, sequenceParallel: true });
    expectWellFormed(fig);
    const [none, selective, full] = fig.data.map((t) => t.y as number[]);
    none!.forEach((v, i) => {
      expect(v).toBeGreaterThan(selective![i]!);
      expect(selective![i]!).toBeGreaterThan(full![i]!);
    });
  });

  it("colours the fit map by spare GB: BERT-Large fits every GPU, GPT-3 none", () => {
    const fig = gpuFitMapFigure(lecture, GPU_CATALOG);
    expectWellFormed(fig);
    const z = fig.data[0]!.z as number[][];
    expect(z[0]!.every((v) => v > 0)).toBe(true);
    expect(z[3]!.every((v) => v < 0)).toBe(true);
    expect((fig.data[0]!.text as string[][])[0]![0]).toMatch(/^fits \(\+/);
  });

  it("measures the fit map's margins in GB, the unit of the catalog's capacities", () => {
    const fig = gpuFitMapFigure(lecture, GPU_CATALOG);
    const colorbar = fig.data[0]!.colorbar as { title: { text: string } };
    expect(colorbar.title.text).toBe("spare memory (GB = 10⁹ bytes)");
    // GPT-3 (row 3) on every GPU: the shortfall, in GB, is the model states minus the usable capacity
    const z = fig.data[0]!.z as number[][];
    const zmax = fig.data[0]!.zmax as number;
    expect(zmax).toBe(Math.max(...GPU_CATALOG.map((g) => g.memoryBytes)) / 1e9);
    expect((fig.data[0]!.text as string[][])[3]![0]).toBe(`no (${z[3]![0]!.toFixed(1)} GB)`);
  });

  it("colours a shortfall red and spare memory blue, and gives long model names room", () => {
    // plotly's RdBu maps the lowest z to blue; reversescale puts red at the negative (does-not-fit) end
    const fig = gpuFitMapFigure(lecture, GPU_CATALOG);
    expect(fig.data[0]!.colorscale).toBe("RdBu");
    expect(fig.data[0]!.reversescale).toBe(true);
    expect(fig.data[0]!.zmid).toBe(0);
    expect(fig.layout.yaxis?.automargin).toBe(true);
  });

  it("stacks each pipeline stage's memory to its total, under the node's 40 GB line (GPT-3 on 1,024 Delta A100s)", () => {
    const node = findNode("delta-a100x4");
    const best = planParallelism(findModel("gpt3-175b"), node, { gpus: 1024, globalBatch: 1536 }).plans[0]!;
    const stages = stageMemories(findModel("gpt3-175b"), best.layout, { globalBatch: 1536 });
    const fig = stageMemoryFigure(stages, { gpu: node.gpu });
    expectWellFormed(fig);
    const bars = fig.data.filter((t) => t.type === "bar");
    stages.forEach((stage, i) => {
      const stacked = bars.reduce((sum, t) => sum + (t.y as number[])[i]!, 0);
      expect(stacked * 1e9).toBeCloseTo(stage.total, -3);
    });
    const capacity = fig.data.find((t) => t.type === "scatter")!;
    expect(capacity.y).toEqual([40, 40]);
    expect(capacity.name).toContain("40 GB");
  });

  it("refuses to plot nothing", () => {
    expect(() => memoryComponentsFigure([])).toThrow(/at least one model/);
    expect(() => gpuFitMapFigure(lecture, [])).toThrow(/0 GPUs/);
    expect(() => stageMemoryFigure([])).toThrow(/at least one pipeline stage/);
  });
});
