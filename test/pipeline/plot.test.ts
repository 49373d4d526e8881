import { describe, expect, it } from "vitest";
import { gpipeSchedule, interleavedSchedule, oneFOneBSchedule, pipelineBubbleSweep, simulatePipeline, zbH1Schedule } from "../../src/pipeline";
import { pipelineBubbleFigure, pipelineGanttFigure, pipelineMemoryFigure } from "../../src/plot/pipeline";
import type { Axis, Figure, Trace } from "../../src/plot/figure";

const titleText = (axis: Axis | undefined): string =>
  typeof axis?.title === "string" ? axis.title : (axis?.title?.text ?? "");

function expectAxisUnits(figure: Figure): void {
  // every figure titles both axes with a unit in parentheses
  expect(titleText(figure.layout.xaxis)).toMatch(/\(.+\)/);
  expect(titleText(figure.layout.yaxis)).toMatch(/\S/);
}

describe("Gantt chart", () => {
  it("draws GPipe p = 2, m = 2 as two bar traces with each op's start and duration", () => {
    const figure = pipelineGanttFigure(simulatePipeline(gpipeSchedule(2, 2), { forward: 1, backward: 2, weight: 0 }), { timeUnit: "ms" });
    expect(figure.data.map((t) => t.name)).toEqual(["F (forward)", "B (backward, with weights)"]);
    const [forward, backward] = figure.data as [Trace, Trace];
    // same timeline as worked by hand in simulate.test.ts
    expect(forward.y).toEqual(["stage 0", "stage 0", "stage 1", "stage 1"]);
    expect(forward["base"]).toEqual([0, 1, 1, 2]);
    expect(forward.x).toEqual([1, 1, 1, 1]);
    expect(backward["base"]).toEqual([5, 7, 3, 5]);
    expect(backward.x).toEqual([2, 2, 2, 2]);
    expect(backward["text"]).toEqual(["0", "1", "0", "1"]);
    expect(titleText(figure.layout.xaxis)).toBe("time (ms)");
    expectAxisUnits(figure);
  });

  it("uses one trace per op kind and chunk whatever the size, and one bar per op", () => {
    for (const schedule of [oneFOneBSchedule(16, 64), zbH1Schedule(4, 8), interleavedSchedule(4, 8, 2)]) {
      const timeline = simulatePipeline(schedule);
      const figure = pipelineGanttFigure(timeline);
      expect(figure.data.length).toBe((schedule.splitBackward ? 3 : 2) * schedule.chunks);
      const bars = figure.data.reduce((n, t) => n + (t.y?.length ?? 0), 0);
      expect(bars).toBe(timeline.perStage.reduce((n, ops) => n + ops.length, 0));
    }
  });

  it("labels interleaved boxes with the micro-batch and shows the chunk by trace (colour) and hover", () => {
    const figure = pipelineGanttFigure(simulatePipeline(interleavedSchedule(2, 2, 2)));
    const [chunk0, chunk1] = figure.data as [Trace, Trace];
    expect(chunk1.name).toBe("F (forward), chunk 1");
    expect(chunk1["text"]).toEqual(["0", "1", "0", "1"]);
    expect(chunk1["hovertemplate"]).toContain("chunk 1");
    expect((chunk0["marker"] as { color: string }).color).not.toBe((chunk1["marker"] as { color: string }).color);
  });

  it("drops box labels on request to keep big charts small", () => {
    const timeline = simulatePipeline(oneFOneBSchedule(4, 8));
    const labelled = JSON.stringify(pipelineGanttFigure(timeline)).length;
    const bare = JSON.stringify(pipelineGanttFigure(timeline, { labels: false })).length;
    expect(bare).toBeLessThan(labelled);
  });
});

describe("bubble vs micro-batches", () => {
  it("plots simulated and closed-form bubbles that agree for 1F1B", () => {
    const figure = pipelineBubbleFigure(pipelineBubbleSweep({ stages: 4, microbatches: [4, 8, 16], schedules: ["1f1b"] }));
    const [simulated, closed] = figure.data as [Trace, Trace];
    expect(simulated.x).toEqual([4, 8, 16]);
    (simulated.y as number[]).forEach((y, i) => expect(y).toBeCloseTo((closed.y as number[])[i]!, 9));
    expect(closed.y).toEqual([3 / 4, 3 / 8, 3 / 16]);
    expectAxisUnits(figure);
  });

  it("skips m that is not a multiple of p for the interleaved schedule", () => {
    const figure = pipelineBubbleFigure(pipelineBubbleSweep({ stages: 4, microbatches: [4, 6, 8], schedules: ["interleaved"] }));
    expect(figure.data[0]!.x).toEqual([4, 8]);
  });

  it("leaves out the ZB-H1 closed form when F, B and W differ", () => {
    const figure = pipelineBubbleFigure(pipelineBubbleSweep({ stages: 2, microbatches: [2, 4], schedules: ["zb-h1"], costs: { forward: 1, backward: 2, weight: 1 } }));
    expect(figure.data.map((t) => t.name)).toEqual(["zb-h1, simulated"]);
  });
});

describe("activations over time", () => {
  it("draws one step line per stage that peaks at 1F1B's p − s", () => {
    const p = 4;
    const figure = pipelineMemoryFigure(simulatePipeline(oneFOneBSchedule(p, 8)));
    expect(figure.data.length).toBe(p);
    figure.data.forEach((trace, s) => expect(Math.max(...(trace.y as number[]))).toBe(p - s));
    expectAxisUnits(figure);
  });
});
