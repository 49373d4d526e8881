import { describe, expect, it } from "vitest";
import { ringAllReduce } from "../../src/parallel";
import { ringProgressFigure } from "../../src/plot/collectives";

describe("ring progress figure colours", () => {
  it("draws a complete chunk dark: plotly's Blues (dark at the minimum) is reversed on every step's heat map", () => {
    const { trace } = ringAllReduce(Array.from({ length: 3 }, () => new Float32Array(6)));
    const figure = ringProgressFigure(trace);
    expect(figure.data).toHaveLength(4); // 2(n − 1) steps
    for (const step of figure.data) {
      expect(step["colorscale"]).toBe("Blues");
      expect(step["reversescale"]).toBe(true);
      expect([step["zmin"], step["zmax"]]).toEqual([1, 3]); // own contribution only … all n = 3
    }
  });
});
