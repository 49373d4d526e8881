import { describe, expect, it } from "vitest";
import { findModel, findNode, formatPlanTable, planParallelism, PLAN_TABLE_HEADER } from "../../src/memory";
import { formatTextTable, groupDigits } from "../../src/foundation";

describe("formatPlanTable", () => {
  const result = planParallelism(findModel("gpt3-175b"), findNode("a100-80gb"), { gpus: 1024 });

  it("prints the header, a rule and one row per plan up to top, fastest first", () => {
    const lines = formatPlanTable(result, 3).split("\n");
    expect(lines).toHaveLength(2 + 3);
    for (const title of PLAN_TABLE_HEADER) expect(lines[0]).toContain(title);
    expect(lines[1]).toMatch(/^[-\s]+$/);
    // row 1 is the planner's first plan: its degrees and step time appear in order
    const best = result.plans[0]!;
    const cells = lines[2]!.trim().split(/\s{2,}/);
    expect(cells.slice(0, 5)).toEqual(["1", String(best.layout.dataParallel), String(best.layout.tensorParallel), String(best.layout.pipelineParallel), String(best.layout.zeroStage)]);
    expect(cells).toContain(best.time.totalSeconds.toFixed(2));
  });

  it("states memory in GB, the unit of the GPUs' capacities, never a bare number", () => {
    const rows = formatPlanTable(result, 5).split("\n").slice(2);
    for (const row of rows) expect(row.match(/ GB/g)?.length).toBe(2);
  });

  it("says that nothing fits instead of printing an empty table", () => {
    const none = planParallelism(findModel("gpt3-175b"), findNode("v100-16gb"), { gpus: 8, globalBatch: 8 });
    expect(none.plans).toHaveLength(0);
    expect(formatPlanTable(none)).toMatch(/^No layout fits \(\d+ tried\)/);
  });

  it("rejects a top that is not a positive integer, naming the value", () => {
    expect(() => formatPlanTable(result, 0)).toThrow("Expected top to be an integer >= 1, got 0.");
  });

  it("the text-table helpers align numbers right and group digits", () => {
    // worked by hand: widths 5 and 3; "12" is padded on the left to 3
    expect(formatTextTable(["model", "n"], [["a", "12"], ["bb", "345"]])).toBe("model    n\n-----  ---\na       12\nbb     345");
    expect(groupDigits(174615822336)).toBe("174,615,822,336");
  });
});
