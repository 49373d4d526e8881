import { describe, expect, it } from "vitest";
import { pipelineBubbleSweep } from "../../src/pipeline";

describe("pipelineBubbleSweep", () => {
  it("GPipe and 1F1B simulate to their closed form (p − 1)/m at uniform costs", () => {
    const sweep = pipelineBubbleSweep({ stages: 4, microbatches: [1, 2, 4, 8, 16], schedules: ["gpipe", "1f1b"] });
    for (const series of sweep.series) {
      expect(series.microbatches).toEqual([1, 2, 4, 8, 16]);
      expect(series.closedForm?.bubbleOverIdeal).toEqual([3, 1.5, 0.75, 0.375, 0.1875]); // (4 − 1)/m
      series.simulated.forEach((b, i) => expect(b).toBeCloseTo(series.closedForm!.bubbleOverIdeal[i]!, 12));
    }
  });

  it("keeps interleaved points only where p divides m, with (p − 1)/(v·m)", () => {
    const [interleaved] = pipelineBubbleSweep({ stages: 4, microbatches: [4, 6, 8], schedules: ["interleaved"], chunks: 2 }).series;
    expect(interleaved!.microbatches).toEqual([4, 8]);
    expect(interleaved!.closedForm?.bubbleOverIdeal).toEqual([3 / 8, 3 / 16]);
  });

  it("gives no closed form where the costs break its assumptions", () => {
    const [zb] = pipelineBubbleSweep({ stages: 2, microbatches: [2, 4], schedules: ["zb-h1"], costs: { forward: 1, backward: 2, weight: 1 } }).series;
    expect(zb!.closedForm).toBeUndefined();
    expect(zb!.simulated).toHaveLength(2);
  });
});
