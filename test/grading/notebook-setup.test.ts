/**
 * Grading equals the notebook: every lab notebook, master and student edition,
 * starts with the same setup cell (NOTEBOOK_SETUP_CELL), and the grader compiles
 * each answer cell after a prelude derived from that cell, so an answer sees the
 * same names (`lab`, `tf`, `check`, `checkAll`) in both places.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { answerModuleText, compileAnswerCells } from "../../src/grading/answer-compiler";
import { cellSourceText, indexAnswerCells, readNotebookText } from "../../src/grading/notebook-cells";
import { ANSWER_PRELUDE, NOTEBOOK_SETUP_CELL } from "../../src/grading/notebook-setup";
import { ROOT } from "./built-grader";
import { cachedRelease } from "./cached-release";

interface Lab {
  readonly name: string;
  readonly setupCell: string | undefined;
  readonly answerCells: number;
}

function labsIn(dir: string): Lab[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((name) => {
      const read = readNotebookText(fs.readFileSync(path.join(dir, name), "utf8"));
      if (read.kind === "invalid") throw new Error(`${name}: ${read.reason}`);
      const first = read.notebook.cells.find((c) => c.cell_type === "code");
      const source = first === undefined ? undefined : cellSourceText(first.source);
      return { name, setupCell: source, answerCells: indexAnswerCells(read.notebook).cells.size };
    });
}

function expectSetupCells(labs: readonly Lab[]): void {
  const graded = labs.filter((l) => l.answerCells > 0);
  expect(graded.length).toBeGreaterThanOrEqual(6);
  for (const lab of graded) expect(`${lab.name}: ${lab.setupCell}`).toBe(`${lab.name}: ${NOTEBOOK_SETUP_CELL}`);
  // The welcome notebook has no answer cells and its own first cell (it shows the environment).
  for (const lab of labs.filter((l) => l.answerCells === 0)) expect(lab.name).toMatch(/^00-/);
}

describe("the setup cell of every lab", () => {
  test("every master notebook with answer cells starts with NOTEBOOK_SETUP_CELL", () => {
    expectSetupCells(labsIn(path.join(ROOT, "notebooks")));
  });

  describe("in the student edition", () => {
    let studentDir: string;
    beforeAll(() => {
      studentDir = cachedRelease().studentDir; // what `efflab release` writes (read only)
    }, 300_000);

    test("every student notebook with answer cells starts with NOTEBOOK_SETUP_CELL", () => {
      expectSetupCells(labsIn(path.join(studentDir, "notebooks")));
    });
  });
});

describe("the grader's prelude is the setup cell", () => {
  test("it is the setup cell's lines without the top-level await (the grader starts the backend itself)", () => {
    const lines = NOTEBOOK_SETUP_CELL.split("\n");
    expect(ANSWER_PRELUDE).toBe(`${lines.filter((l) => !/\bawait\b/.test(l)).join("\n")}\n`);
    expect(ANSWER_PRELUDE).toContain('import * as lab from "ai-efficiency-labs";');
    expect(ANSWER_PRELUDE).toMatch(/const \{ tf, check, checkAll \} = lab;/);
  });

  test("every answer module starts with it", () => {
    expect(answerModuleText({ questionId: "gd.step", source: "// @answer gd.step\nconst x = 1;\n", exports: ["x"] }).startsWith(ANSWER_PRELUDE)).toBe(true);
  });

  test("an answer cell may use every name the setup cell gives it, and call check as the notebook does", () => {
    const source = '// @answer gd.step\nfunction gdStep(w: lab.tf.Tensor): lab.tf.Tensor {\n  void check; void checkAll;\n  return tf.mul(w, 2);\n}\nawait check("gd.step");\nawait lab.checkAll();\n';
    const [result] = compileAnswerCells([{ questionId: "gd.step", source, exports: ["gdStep"] }]);
    expect(result?.kind === "compile-error" ? result.message : result?.kind).toBe("compiled");
  });
});
