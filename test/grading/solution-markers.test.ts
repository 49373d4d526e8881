import { describe, expect, test } from "vitest";
import { notebookFromCells } from "../../src/grading/notebook-cells";
import { stripSolutionBlocks, studentEditionOf } from "../../src/grading/solution-markers";

describe("student edition", () => {
  test("a solution block becomes the stub, indented like the marker, other lines kept", () => {
    const master = "// @answer gd.step\nfunction gdStep(w, g, lr) {\n  // BEGIN SOLUTION\n  return w - lr * g;\n  // END SOLUTION\n}\n";
    expect(stripSolutionBlocks(master, "gd.step")).toBe('// @answer gd.step\nfunction gdStep(w, g, lr) {\n  throw new Error("Not implemented: gd.step");\n}\n');
  });

  test("several blocks in one cell each become a stub", () => {
    const master = "// @answer a.b\n// BEGIN SOLUTION\nconst x = 1;\n// END SOLUTION\nconst keep = 2;\n// BEGIN SOLUTION\nconst y = 3;\n// END SOLUTION\n";
    const out = stripSolutionBlocks(master, "a.b");
    expect(out.match(/Not implemented: a\.b/g)).toHaveLength(2);
    expect(out).toContain("const keep = 2;");
    expect(out).not.toMatch(/const [xy] =/);
  });

  test("unbalanced markers are refused with the question id", () => {
    expect(() => stripSolutionBlocks("// BEGIN SOLUTION\nx\n", "a.b")).toThrow(/a\.b.*never closed/);
    expect(() => stripSolutionBlocks("x\n// END SOLUTION\n", "a.b")).toThrow(/without a matching/);
    expect(() => stripSolutionBlocks("// BEGIN SOLUTION\n// BEGIN SOLUTION\n", "a.b")).toThrow(/nested/);
  });

  test("outputs and execution counts are cleared in every code cell", () => {
    const nb = notebookFromCells(["// @answer a.b\n// BEGIN SOLUTION\nsecret();\n// END SOLUTION\n", "console.log(1)"]);
    const withOutputs = { ...nb, cells: nb.cells.map((c) => ({ ...c, outputs: [{ output_type: "stream", name: "stdout", text: ["secret()"] }], execution_count: 7 })) };
    const student = studentEditionOf(withOutputs);
    for (const cell of student.cells) {
      expect(cell["outputs"]).toEqual([]);
      expect(cell["execution_count"]).toBeNull();
    }
    expect(JSON.stringify(student)).not.toContain("secret()");
  });

  test("a solution block outside an answer cell is refused", () => {
    expect(() => studentEditionOf(notebookFromCells(["// BEGIN SOLUTION\nx\n// END SOLUTION\n"]))).toThrow(/no "\/\/ @answer <id>" first line/);
  });
});
