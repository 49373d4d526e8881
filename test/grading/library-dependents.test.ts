/**
 * Cells of a per-lab edition that call a stubbed library export, or a library function
 * built on one, are guarded like cells that use an answer (library-dependents.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { answerGuard, notImplementedId } from "../../src/grading/answer-guard";
import { guardAnswerUses } from "../../src/grading/answer-guard-transform";
import { stubDependents } from "../../src/grading/library-dependents";
import { cellSourceText, type NotebookJson } from "../../src/grading/notebook-cells";
import { libraryStubMessage } from "../../src/grading/solution-markers";
import type { Question } from "../../src/grading/question";

function toyLibrary(): string {
  const src = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-dependents-"));
  fs.mkdirSync(path.join(src, "optim"));
  fs.mkdirSync(path.join(src, "grading"));
  fs.writeFileSync(path.join(src, "optim", "step.ts"), "export function step(w: number): number {\n  throw new Error('stub');\n}\n");
  fs.writeFileSync(path.join(src, "optim", "train.ts"), "import { step } from './step';\nexport function train(w: number): number {\n  return step(w);\n}\nexport const loop = (w: number) => train(w);\nexport function unrelated(): number {\n  return 1;\n}\n");
  fs.writeFileSync(path.join(src, "grading", "check.ts"), "export function check(): void {\n  step(1);\n}\n");
  return src;
}

const code = (source: string) => ({ cell_type: "code", metadata: {}, source: [source], outputs: [], execution_count: null });

describe("stubDependents", () => {
  test("finds the stubbed export and every declaration that calls it, through other declarations; not the course tooling", () => {
    const needs = stubDependents(toyLibrary(), [{ name: "step", questionId: "toy.step" }]);
    expect(Object.fromEntries([...needs].map(([name, ids]) => [name, [...ids]]))).toEqual({ step: ["toy.step"], train: ["toy.step"], loop: ["toy.step"] });
  });
});

describe("guardAnswerUses with the library's stubbed exports", () => {
  const notebook = {
    cells: [code("const a = lab.train(1);\nconsole.log(a);"), code("// @answer toy.step\nfunction step(w: number): number {\n  throw new Error(\"Not implemented: toy.step\");\n}"), code("console.log(lab.unrelated());"), code("console.log(a + 1);")],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  } as unknown as NotebookJson;
  const needs = new Map([["train", new Set(["toy.step"])]]);

  test("a cell calling one is guarded as needing its question, named by its answer cell even when that comes later; later readers follow", () => {
    const { notebook: out, guarded } = guardAnswerUses(notebook, () => ["step"], needs);
    expect(guarded).toEqual([
      { codeCell: 1, needs: { "toy.step": 2 }, after: [] },
      { codeCell: 4, needs: { "toy.step": 2 }, after: [1] },
    ]);
    expect(cellSourceText(out.cells[0]!.source)).toContain("const a = ifAnswered(() => (lab.train(1)));");
    expect(cellSourceText(out.cells[2]!.source)).toBe("console.log(lab.unrelated());");
  });

  test("without the map (the full edition's library works), no cell is guarded", () => {
    expect(guardAnswerUses(notebook, () => ["step"]).guarded).toEqual([]);
  });
});

describe("the guard and the library stub's message", () => {
  test("the edition's library stub is read as the question it stands for, and the cell prints the needs line", () => {
    const message = libraryStubMessage("toy.step", 2);
    expect(notImplementedId(new Error(message))).toBe("toy.step");
    const lines: string[] = [];
    const questions = [{ id: "toy.step", exports: ["step"] }] as unknown as Question[];
    const guard = answerGuard({ "toy.step": 7 }, { questions, definitions: {}, print: (l) => lines.push(l) });
    const value = guard(() => {
      throw new Error(message);
    }, "skipped");
    expect(value).toBe("skipped");
    expect(lines).toEqual(["needs toy.step (code cell 7) — implement it, then re-run this cell"]);
    expect(() => answerGuard({}, { questions, definitions: {}, print: () => undefined })(() => {
      throw new Error("Not implemented in the student edition, sorry");
    })).toThrow("sorry");
  });
});
