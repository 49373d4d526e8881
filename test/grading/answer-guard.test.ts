import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { answerGuard, isStub, needsLine, notImplementedId } from "../../src/grading/answer-guard";
import { guardAnswerUses, guardCellSource } from "../../src/grading/answer-guard-transform";
import { cellSourceText, notebookFromCells, type NotebookJson } from "../../src/grading/notebook-cells";
import { courseQuestions } from "../../src/grading/questions";
import { studentEditionOf } from "../../src/grading/solution-markers";
import type { Question } from "../../src/grading/question";

const questions = [{ id: "toy.add", exports: ["add"] }, { id: "toy.mean", exports: ["mean"] }] as unknown as Question[];
// eslint-disable-next-line @typescript-eslint/no-unused-vars
function stubAdd(a: number, b: number): number {
  throw new Error("Not implemented: toy.add");
}
const realAdd = (a: number, b: number): number => a + b;

describe("answerGuard (runtime)", () => {
  test("a stub is recognised by the error its code throws; an implementation is not", () => {
    expect(isStub(stubAdd, "toy.add")).toBe(true);
    expect(isStub(realAdd, "toy.add")).toBe(false);
    expect(isStub(stubAdd, "toy.mean")).toBe(false);
    expect(notImplementedId(new Error("Not implemented: adam.step"))).toBe("adam.step");
    expect(notImplementedId(new TypeError("x is undefined"))).toBeUndefined();
  });

  test("while an answer is a stub, the cell prints one line and runs none of its statements", () => {
    const lines: string[] = [];
    const guard = answerGuard({ "toy.add": 3 }, { questions, definitions: { add: stubAdd }, print: (l) => lines.push(l), cell: 40 });
    let ran = 0;
    const x = guard(() => ++ran);
    const [a, b] = guard(() => [1, 2], []);
    guard(() => {
      ran += 1;
    });
    expect(ran).toBe(0);
    expect(x).toBeUndefined();
    expect([a, b]).toEqual([undefined, undefined]);
    expect(guard.blocked).toBe(true);
    expect(lines).toEqual(["needs toy.add (code cell 3) — implement it, then re-run this cell"]);
  });

  test("once the answer is implemented the guard is transparent", async () => {
    const lines: string[] = [];
    const guard = answerGuard({ "toy.add": 3 }, { questions, definitions: { add: realAdd }, print: (l) => lines.push(l) });
    expect(guard(() => realAdd(2, 3))).toBe(5);
    expect(await guard(async () => realAdd(1, 1))).toBe(2);
    expect(lines).toEqual([]);
    expect(guard.blocked).toBe(false);
  });

  test("a stub met while running (sync or async) blocks the rest of the cell with the same one line", async () => {
    const lines: string[] = [];
    const guard = answerGuard({ "toy.add": 3 }, { questions, definitions: {}, print: (l) => lines.push(l) });
    expect(guard(() => 1)).toBe(1);
    expect(await guard(async () => stubAdd(1, 2), [])).toEqual([]);
    expect(guard(() => 2)).toBeUndefined();
    expect(lines).toEqual(["needs toy.add (code cell 3) — implement it, then re-run this cell"]);
  });

  test("the per-lab edition's library stub: 'needs' while the answer is missing, and a different line once it is written", () => {
    const libraryStub = (): never => {
      throw new Error("Not implemented in the student edition: this is exercise toy.add of lab 04");
    };
    const missing: string[] = [];
    answerGuard({ "toy.add": 3 }, { questions, definitions: {}, print: (l) => missing.push(l) })(() => libraryStub());
    expect(missing).toEqual(["needs toy.add (code cell 3) — implement it, then re-run this cell"]);
    const written: string[] = [];
    const guard = answerGuard({ "toy.add": 3 }, { questions, definitions: { add: realAdd }, print: (l) => written.push(l) });
    expect(guard(() => libraryStub())).toBeUndefined();
    expect(guard.blocked).toBe(true);
    expect(written).toEqual([
      'skipped: this cell needs the library\'s own toy.add for more than your answer (code cell 3) computes, and this edition does not ship it; check your answer with check("toy.add")',
    ]);
  });

  test("any other error is the student's to see: it is not swallowed", async () => {
    const guard = answerGuard({ "toy.add": 3 }, { questions, definitions: { add: realAdd }, print: () => undefined });
    expect(() => guard(() => JSON.parse("{"))).toThrow(SyntaxError);
    await expect(guard(async () => Promise.reject(new RangeError("bad")))).rejects.toThrow("bad");
  });

  test("a cell reading variables of a skipped cell says which cell to re-run", () => {
    const lines: string[] = [];
    const print = (l: string) => lines.push(l);
    answerGuard({ "toy.add": 3 }, { questions, definitions: { add: stubAdd }, print, cell: 41 });
    const later = answerGuard({ "toy.add": 3 }, { questions, definitions: { add: realAdd }, print, cell: 42, after: [41] });
    expect(later.blocked).toBe(true);
    expect(lines[1]).toBe("needs code cell 41, which was skipped — re-run it (its answers are ready now), then this cell");
    answerGuard({ "toy.add": 3 }, { questions, definitions: { add: realAdd }, print, cell: 41 }); // re-run: not skipped now
    expect(answerGuard({ "toy.add": 3 }, { questions, definitions: { add: realAdd }, print, cell: 42, after: [41] }).blocked).toBe(false);
  });
});

/** Run a rewritten cell the way tslab does (transpiled, wrapped in an async function) with a given `lab`. */
async function runCell(source: string, lab: unknown, scope: Record<string, unknown>): Promise<Record<string, unknown>> {
  const names = Object.keys(scope);
  const js = ts.transpileModule(`${source}\n;return { ${["ifAnswered", ...declaredNames(source)].join(", ")} };`, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None },
    reportDiagnostics: true,
  });
  expect(js.diagnostics ?? []).toEqual([]);
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<Record<string, unknown>>;
  return new AsyncFunction("lab", ...names, js.outputText)(lab, ...names.map((n) => scope[n]));
}

function declaredNames(source: string): string[] {
  const file = ts.createSourceFile("c.ts", source, ts.ScriptTarget.ES2022, true);
  return file.statements.flatMap((s) => {
    if (ts.isFunctionDeclaration(s) && s.name) return [s.name.text];
    if (ts.isVariableStatement(s)) return s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : d.name.elements.flatMap((e) => (ts.isBindingElement(e) && ts.isIdentifier(e.name) ? [e.name.text] : []))));
    return [];
  }).filter((n) => n !== "ifAnswered");
}

const CELL = `function twice(x: number): number {
  return add(x, x);
}
const m = 8;
const total = add(1, 2);
const [lo, hi] = [add(0, 1), 5];
const rows: number[] = [];
for (let i = 0; i < 3; i++) rows.push(add(i, total));
await Promise.resolve();
console.log(\`rows \${rows.join(",")}\`);
rows.length`;

describe("guardCellSource (the release's rewrite)", () => {
  test("declarations stay at the top level; values and statements run through the guard", () => {
    const out = guardCellSource(CELL, { "toy.add": 3 }, 5, []);
    expect(out).toMatch(/^\/\/ Student edition: this cell uses your answers/);
    expect(out).toContain('const ifAnswered = lab.answerGuard({ "toy.add": 3 }, { cell: 5 });');
    expect(out).toContain("function twice(x: number): number {\n  return add(x, x);\n}");
    expect(out).toContain("const m = 8;");
    expect(out).toContain("const total = ifAnswered(() => (add(1, 2)));");
    expect(out).toContain("const [lo, hi] = ifAnswered(() => ([add(0, 1), 5]), []);");
    expect(out).toContain("const rows: number[] = ifAnswered(() => ([]));");
    expect(out).toContain("await ifAnswered(async () => {\n  for (let i = 0; i < 3; i++) rows.push(add(i, total));\n  await Promise.resolve();");
    expect(out.trimEnd().endsWith("ifAnswered(() => (rows.length))")).toBe(true);
  });

  test("with a stub the rewritten cell runs without an error, prints one line and keeps its declarations", async () => {
    const lines: string[] = [];
    const lab = { answerGuard: (needs: Record<string, number>, o: object) => answerGuard(needs, { ...o, questions, definitions: { add: stubAdd }, print: (l) => lines.push(l) }) };
    const scope = await runCell(guardCellSource(CELL, { "toy.add": 3 }, 5, []), lab, { add: stubAdd, console: { log: (l: string) => lines.push(`log: ${l}`) } });
    expect(lines).toEqual(["needs toy.add (code cell 3) — implement it, then re-run this cell"]);
    expect(typeof scope["twice"]).toBe("function");
    expect(scope["m"]).toBe(8);
    expect(scope["total"]).toBeUndefined();
  });

  test("with the answer implemented the rewritten cell does what the master cell does", async () => {
    const lines: string[] = [];
    const lab = { answerGuard: (needs: Record<string, number>, o: object) => answerGuard(needs, { ...o, questions, definitions: { add: realAdd }, print: (l) => lines.push(l) }) };
    const scope = await runCell(guardCellSource(CELL, { "toy.add": 3 }, 6, []), lab, { add: realAdd, console: { log: (l: string) => lines.push(l) } });
    expect(lines).toEqual(["rows 3,4,5"]);
    expect([scope["total"], scope["lo"], scope["hi"], (scope["twice"] as (x: number) => number)(4)]).toEqual([3, 1, 5, 8]);
  });
});

test("a block holding a multi-line template literal is not indented (the string would change)", () => {
  const out = guardCellSource("console.log(`a\nb ${add(1, 2)}`);\nfor (const x of [1]) console.log(x);", { "toy.add": 3 }, 5, []);
  expect(out).toContain("ifAnswered(() => {\nconsole.log(`a\nb ${add(1, 2)}`);\nfor (const x of [1]) console.log(x);\n});");
});

describe("guardAnswerUses on the course's notebooks", () => {
  const notebooksDir = path.join(__dirname, "..", "..", "notebooks");
  const exportsOf = (id: string) => courseQuestions.find((q) => q.id === id)?.exports;
  for (const file of fs.readdirSync(notebooksDir).filter((f) => /^0[1-9].*\.ipynb$/.test(f))) {
    test(`${file}: every cell that calls an answer is guarded, answer and check cells are not`, () => {
      const master = JSON.parse(fs.readFileSync(path.join(notebooksDir, file), "utf8")) as NotebookJson;
      const { notebook, guarded } = guardAnswerUses(studentEditionOf(master), exportsOf);
      const answerNames = courseQuestions.filter((q) => q.notebook === file).flatMap((q) => q.exports);
      expect(answerNames.length).toBeGreaterThan(0);
      let codeCell = 0;
      const callers: number[] = [];
      for (const cell of notebook.cells) {
        if (cell.cell_type !== "code") continue;
        codeCell += 1;
        const source = cellSourceText(cell.source);
        if (source.startsWith("// @answer") || /^await check/.test(source)) {
          expect(source).not.toContain("lab.answerGuard");
          continue;
        }
        if (answerNames.some((n) => new RegExp(`(?<![.\\w])${n}\\(|[(,] *${n}[,)]`).test(source))) callers.push(codeCell);
      }
      expect(callers.length).toBeGreaterThan(0);
      expect(guarded.map((g) => g.codeCell)).toEqual(expect.arrayContaining(callers));
    });
  }
});

describe("a guarded cell's leading constants that need no answer", () => {
  const exportsOf = (id: string) => (id === "toy.add" ? ["add"] : undefined);
  const cells = [
    "// @answer toy.add\nfunction add(a: number, b: number): number {\n  throw new Error(\"Not implemented: toy.add\");\n}",
    "const models = lab.LECTURE_MODEL_NAMES.map((n) => n.toUpperCase());\nconst early = twice(2);\nconst sums = models.map((m) => add(m.length, 1));\nconst later = models.length;\nconsole.log(sums, later);\nfunction twice(x: number): number { return 2 * x; }",
    "console.log(models.length, early);",
    "console.log(later);",
    "const viaHelper = helper();\nfunction helper(): number { return add(1, 2); }\nconsole.log(viaHelper);",
  ];

  test("stay unwrapped and untainted, so later cells that read only them are not guarded; anything after the first wrapped statement is", () => {
    const { notebook, guarded } = guardAnswerUses(notebookFromCells(cells), exportsOf);
    expect(guarded.map((g) => g.codeCell)).toEqual([2, 4, 5]);
    const second = cellSourceText(notebook.cells[1]!.source);
    expect(second).toContain("const models = lab.LECTURE_MODEL_NAMES.map((n) => n.toUpperCase());");
    expect(second).toContain("const early = twice(2);");
    expect(second).toContain("const sums = ifAnswered(() => (models.map((m) => add(m.length, 1))));");
    // `later` reads no answer, but it comes after a wrapped statement: it is wrapped and tainted.
    expect(second).toContain("const later = ifAnswered(() => (models.length));");
    expect(guarded.find((g) => g.codeCell === 4)!.after).toEqual([2]);
  });

  test("a constant that calls a function of the same cell that needs an answer (declared below it) is wrapped", () => {
    const fifth = cellSourceText(guardAnswerUses(notebookFromCells(cells), exportsOf).notebook.cells[4]!.source);
    expect(fifth).toContain("const viaHelper = ifAnswered(() => (helper()));");
  });
});

describe("the notice of a cell placed above its answer", () => {
  test("says the answer is further down, so a first Run All of a finished lab does not ask to implement what is done", () => {
    expect(needsLine("dp.step", 15, 3)).toBe("needs dp.step (code cell 15, further down) — implement and run it, then re-run this cell");
    expect(needsLine("dp.step", 15, 17)).toBe("needs dp.step (code cell 15) — implement it, then re-run this cell");
    expect(needsLine("dp.step", 0, 3)).toBe("needs dp.step — implement it, then re-run this cell");
    const lines: string[] = [];
    const guard = answerGuard({ "toy.add": 3 }, { questions, definitions: {}, print: (l) => lines.push(l), cell: 2 });
    guard(() => {
      throw new Error("Not implemented: toy.add");
    });
    expect(lines).toEqual(["needs toy.add (code cell 3, further down) — implement and run it, then re-run this cell"]);
  });
});

describe("a leading constant the cell's skipped statements may fill", () => {
  test("is tainted: a later cell reading it waits for the cell (notebook 03's simulations, filled by a loop over the answer)", () => {
    const exportsOf = (id: string) => (id === "toy.add" ? ["add"] : undefined);
    const cells = [
      "// @answer toy.add\nfunction add(a: number, b: number): number {\n  throw new Error(\"Not implemented: toy.add\");\n}",
      "const runs = [1, 2, 3];\nconst sums: number[] = [];\nconst byName = new Map<string, number>();\nconst shown = lab.formatTextTable([\"n\"], runs.map((r) => [String(r)]));\nfor (const r of runs) sums.push(add(r, 1));\nbyName.set(\"one\", add(1, 1));\nconsole.log(shown, runs.length);",
      "console.log(sums.length);",
      "console.log(byName.size);",
      "console.log(runs.length, shown);",
    ];
    const { guarded } = guardAnswerUses(notebookFromCells(cells), exportsOf);
    expect(guarded.map((g) => [g.codeCell, g.after])).toEqual([
      [2, []],
      [3, [2]],
      [4, [2]],
    ]);
  });
});
