import { describe, expect, test } from "vitest";
import { compileAnswerCells } from "../../src/grading/answer-compiler";

// One program for all cases (the TypeScript lib is parsed once per process).
const cells = [
  { questionId: "t.ok", source: "// @answer t.ok\nfunction add(a: number, b: number): number {\n  return a + b;\n}\n", exports: ["add"] },
  { questionId: "t.tensor", source: "// @answer t.tensor\nfunction two(): number {\n  return tf.scalar(2).arraySync() as number;\n}\n", exports: ["two"] },
  // line 3, column 10 (1-based): `a.foo`, worked by hand: "  return a.foo;" -> `a` at index 9
  { questionId: "t.type", source: "// @answer t.type\nfunction f(a: number) {\n  return a.foo;\n}\n", exports: ["f"] },
  { questionId: "t.syntax", source: "// @answer t.syntax\nfunction g(xs: number[]) {\n  for (const x of xs {\n  }\n}\n", exports: ["g"] },
  { questionId: "t.name", source: "// @answer t.name\nfunction average(xs: number[]) {\n  return 0;\n}\n", exports: ["mean"] },
];
const results = new Map(compileAnswerCells(cells).map((r) => [r.questionId, r]));

describe("compiling answer cells like the kernel", () => {
  test("a correct cell compiles to CommonJS exporting the question's names", () => {
    const ok = results.get("t.ok");
    expect(ok?.kind).toBe("compiled");
    if (ok?.kind === "compiled") {
      expect(ok.javascript).toContain("exports.add = add");
      expect(ok.javascript).toContain('require("ai-efficiency-labs")');
    }
  });

  test("cells may use `lab` and `tf` from the notebook's prelude", () => {
    expect(results.get("t.tensor")?.kind).toBe("compiled");
  });

  test("a type error names the student's line and column and quotes the line", () => {
    const r = results.get("t.type");
    expect(r?.kind).toBe("compile-error");
    if (r?.kind === "compile-error") {
      expect(r.message).toContain("line 3, column 12: Property 'foo' does not exist on type 'number'.");
      expect(r.message).toContain("  return a.foo;");
    }
  });

  test("a syntax error costs only its own cell and names its line", () => {
    const r = results.get("t.syntax");
    expect(r?.kind).toBe("compile-error");
    if (r?.kind === "compile-error") expect(r.message).toMatch(/line 3, column \d+: '\)' expected\./);
    expect(results.get("t.ok")?.kind).toBe("compiled");
  });

  test("a cell that does not define the expected name says which name to keep", () => {
    const r = results.get("t.name");
    expect(r?.kind === "compile-error" && r.message).toMatch(/must define `mean`.*Keep the names/);
  });

  test("non-strict like tslab: implicit any parameters compile", () => {
    const [r] = compileAnswerCells([{ questionId: "t.loose", source: "// @answer t.loose\nfunction h(x) { return x * 2; }\n", exports: ["h"] }]);
    expect(r?.kind).toBe("compiled");
  });
});
