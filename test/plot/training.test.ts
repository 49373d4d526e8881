import { describe, expect, it } from "vitest";
import { accuracyCurvesFigure, lossCurvesFigure, momentBiasFigure, trajectoryFigure } from "../../src/plot/training";
import { illConditionedQuadratic, rosenbrock } from "../../src/datasets/synthetic";
import type { Axis, Figure } from "../../src/plot/figure";

function axisTitle(axis: Axis | undefined): string {
  const t = axis?.title;
  return typeof t === "string" ? t : (t?.text ?? "");
}

/** Every figure titles both axes and states a unit in parentheses. */
function expectTitledAxes(figure: Figure): void {
  for (const axis of [figure.layout.xaxis, figure.layout.yaxis]) expect(axisTitle(axis)).toMatch(/\(.+\)/);
  expect(JSON.parse(JSON.stringify(figure))).toEqual(figure); // plain JSON, nothing plotly.js-specific
}

describe("training figures", () => {
  it("loss curves use a log y axis, one trace per run, x counting from 1", () => {
    const fig = lossCurvesFigure([{ name: "Adam", values: [1, 0.1, 0.01] }, { name: "SGD", values: [1, 0.5, 0] }]);
    expectTitledAxes(fig);
    expect(fig.layout.yaxis?.type).toBe("log");
    expect(fig.data.map((d) => d.name)).toEqual(["Adam", "SGD"]);
    expect(fig.data[0]!.x).toEqual([1, 2, 3]);
    expect(fig.data[1]!.y).toEqual([1, 0.5, null]); // 0 cannot be drawn on a log axis
    expect(lossCurvesFigure([{ name: "a", values: [0] }], { logY: false }).data[0]!.y).toEqual([0]);
    expect(() => lossCurvesFigure([])).toThrow(/at least one series/);
  });

  it("loss curves dash a run that lies on an earlier one (within 2% everywhere) and widen the one beneath", () => {
    const line = (fig: Figure, i: number) => fig.data[i]!["line"] as { width: number; dash?: string };
    const base = [4, 2, 1, 0.5];
    const fig = lossCurvesFigure([
      { name: "fp32", values: base },
      { name: "apart", values: [4, 3, 2.5, 2.4] },
      { name: "mixed", values: base.map((v) => v * 1.01) },
    ]);
    expect([line(fig, 0).dash, line(fig, 1).dash, line(fig, 2).dash]).toEqual([undefined, undefined, "dash"]);
    expect(line(fig, 0).width).toBeGreaterThan(line(fig, 2).width);
    expect(line(fig, 1).width).toBe(line(fig, 2).width);
    // 3% apart at one step: two separate runs, both plain
    const apart = lossCurvesFigure([{ name: "a", values: base }, { name: "b", values: [4, 2, 1.03, 0.5] }]);
    expect([line(apart, 0), line(apart, 1)].map((l) => l.dash)).toEqual([undefined, undefined]);
    expect(line(apart, 0).width).toBe(line(apart, 1).width);
  });

  it("accuracy curves are in percent and reject percentages passed as fractions", () => {
    const fig = accuracyCurvesFigure([{ name: "test", values: [0.5, 0.96] }]);
    expectTitledAxes(fig);
    expect(fig.data[0]!.y).toEqual([50, 96]);
    expect(() => accuracyCurvesFigure([{ name: "test", values: [96] }])).toThrow(/outside \[0, 1\]/);
  });

  it("trajectory figures draw contours of the objective, each path, and the minimum", () => {
    const f = illConditionedQuadratic({ condition: 10 });
    const fig = trajectoryFigure(f, [{ name: "GD", points: [[-4, 1], [-3, -0.5], [0, 0]] }], { resolution: 20 });
    expectTitledAxes(fig);
    expect(fig.data.map((d) => d.type)).toEqual(["contour", "scatter", "scatter"]);
    const z = fig.data[0]!["z"] as number[][];
    expect(z.length).toBe(20);
    expect(z[0]!.length).toBe(20);
    // the contour grid spans every visited point
    const xs = fig.data[0]!.x as number[];
    expect(xs[0]!).toBeLessThanOrEqual(-4);
    expect(fig.data[2]!.x).toEqual([0]);
    const r = trajectoryFigure(rosenbrock(), [], { xRange: [-2, 2], yRange: [-1, 3], resolution: 5 });
    expect((r.data[0]!.x as number[])[4]).toBe(2);
  });

  it("the moment-bias figure follows m_t = 1 − β1^t exactly and the corrected moments stay at 1", () => {
    // t = 1: m_1 = 0.1, v_1 = 0.001; t = 2: m_2 = 0.19 (Kingma & Ba 2015, §3: E[m_t] = (1 − β1^t) E[g])
    const fig = momentBiasFigure({ steps: 30 });
    expectTitledAxes(fig);
    const [m, v, mHat, vHat] = fig.data.map((d) => d.y as number[]);
    expect(m![0]).toBeCloseTo(0.1, 12);
    expect(m![1]).toBeCloseTo(0.19, 12);
    expect(v![0]).toBeCloseTo(0.001, 12);
    m!.forEach((x, i) => expect(x).toBeCloseTo(1 - 0.9 ** (i + 1), 12));
    for (const x of [...mHat!, ...vHat!]) expect(x).toBeCloseTo(1, 12);
  });
});
