import { describe, expect, test } from "vitest";
import { answerMarkerId, indexAnswerCells, notebookFromCells, readNotebookText, splitAnswerFile } from "../../src/grading/notebook-cells";

describe("reading notebooks", () => {
  test("a well-formed nbformat 4 TypeScript notebook is accepted", () => {
    const text = JSON.stringify(notebookFromCells(["// @answer toy.add\nfunction add() {}\n"]));
    expect(readNotebookText(text).kind).toBe("notebook");
  });

  test("invalid JSON is rejected with advice, not thrown", () => {
    const read = readNotebookText('{"nbformat": 4, "cells": [');
    expect(read.kind).toBe("invalid");
    if (read.kind === "invalid") expect(read.reason).toMatch(/not valid JSON.*Re-download/);
  });

  test("nbformat 3 is rejected naming the version found", () => {
    const read = readNotebookText(JSON.stringify({ nbformat: 3, metadata: {}, worksheets: [] }));
    expect(read.kind === "invalid" && read.reason).toMatch(/nbformat 4, got nbformat 3/);
  });

  test("a notebook of another kernel language is rejected naming the language", () => {
    const nb = { ...notebookFromCells([]), metadata: { kernelspec: { name: "python3", language: "python" } } };
    const read = readNotebookText(JSON.stringify(nb));
    expect(read.kind === "invalid" && read.reason).toMatch(/"python", expected TypeScript/);
  });

  test("cell sources stored as lists of lines are joined", () => {
    const nb = { ...notebookFromCells([]), cells: [{ cell_type: "code", source: ["// @answer gd.step\n", "const x = 1;\n"], metadata: {}, outputs: [] }] };
    const read = readNotebookText(JSON.stringify(nb));
    if (read.kind !== "notebook") throw new Error("expected a notebook");
    expect(indexAnswerCells(read.notebook).cells.get("gd.step")?.source).toBe("// @answer gd.step\nconst x = 1;\n");
  });
});

describe("answer markers", () => {
  test("the marker must be the first line and name <lab>.<name>", () => {
    expect(answerMarkerId("// @answer adam.step\nx")).toBe("adam.step");
    expect(answerMarkerId("  //   @answer   gd.sgd_epoch  \n")).toBe("gd.sgd_epoch");
    expect(answerMarkerId("const a = 1;\n// @answer adam.step")).toBeUndefined();
    expect(answerMarkerId("// @answer adam")).toBeUndefined(); // no question part
    expect(answerMarkerId("// @answers adam.step")).toBeUndefined();
  });

  test("markdown cells are never answer cells", () => {
    const nb = { ...notebookFromCells([]), cells: [{ cell_type: "markdown", source: "// @answer toy.add\n" }] };
    expect(indexAnswerCells(nb).cells.size).toBe(0);
  });

  test("when an id appears twice the last cell counts and the duplicate is reported", () => {
    const nb = notebookFromCells(["// @answer toy.add\nfirst", "// @answer toy.mean\nm", "// @answer toy.add\nsecond"]);
    const index = indexAnswerCells(nb);
    expect(index.cells.get("toy.add")?.source).toBe("// @answer toy.add\nsecond");
    expect(index.cells.get("toy.add")?.cellIndex).toBe(2);
    expect([...index.duplicates]).toEqual([["toy.add", 2]]);
  });

  test("cells are found wherever they were moved, for any number of cells", () => {
    for (let n = 1; n <= 12; n++) {
      const ids = Array.from({ length: n }, (_, i) => `lab.q${i}`);
      const shuffled = [...ids].reverse().map((id) => `// @answer ${id}\n`);
      const index = indexAnswerCells(notebookFromCells(["const a = 1;\n", ...shuffled]));
      expect([...index.cells.keys()].sort()).toEqual([...ids].sort());
      expect(index.duplicates.size).toBe(0);
    }
  });

  test("a .ts answer file splits into one cell per marker", () => {
    const cells = splitAnswerFile("// header dropped\n// @answer a.b\nconst x = 1;\n// @answer a.c\nconst y = 2;\n");
    expect(cells).toEqual(["// @answer a.b\nconst x = 1;\n", "// @answer a.c\nconst y = 2;\n"]);
  });
});
