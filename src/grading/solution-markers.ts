/**
 * From master notebook to student edition.
 *
 * A master answer cell holds its solution between `// BEGIN SOLUTION` and
 * `// END SOLUTION` (the same idea as nbgrader's `### BEGIN SOLUTION` and otter's
 * `# BEGIN SOLUTION`, written as TypeScript comments). The student edition replaces
 * each marked block with one line, `throw new Error("Not implemented: <id>");`,
 * indented like the `BEGIN` line, and keeps every other line of the cell (the
 * signature, the doc comment), so the cell still compiles and `check()` reports
 * "not implemented" instead of a syntax error. Outputs and execution counts are
 * cleared, so no solution survives in a printed result either.
 */
import { answerMarkerId, cellSourceText, type NotebookCellJson, type NotebookJson } from "./notebook-cells";

const BEGIN = /^(\s*)\/\/\s*BEGIN SOLUTION(?:\s+(\S+))?\s*$/;
const END = /^\s*\/\/\s*END SOLUTION\s*$/;

/** The stub statement a student sees in place of a solution. */
export function notImplementedStub(questionId: string): string {
  return `throw new Error("Not implemented: ${questionId}");`;
}

/**
 * Replace every `BEGIN SOLUTION … END SOLUTION` block of one cell by the stub.
 * Throws when markers are unbalanced, naming the cell's question, so a broken
 * master never ships a half-stripped solution.
 */
export function stripSolutionBlocks(source: string, questionId: string): string {
  const out: string[] = [];
  let inside = false;
  for (const line of source.split("\n")) {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (inside) throw new Error(`Answer cell ${questionId}: nested "// BEGIN SOLUTION"; close the first block with "// END SOLUTION".`);
      if (begin[2] !== undefined && begin[2] !== questionId) throw new Error(`Answer cell ${questionId}: "// BEGIN SOLUTION ${begin[2]}" names another question; write "// BEGIN SOLUTION" or "// BEGIN SOLUTION ${questionId}".`);
      inside = true;
      out.push(`${begin[1] ?? ""}${notImplementedStub(questionId)}`);
    } else if (END.test(line)) {
      if (!inside) throw new Error(`Answer cell ${questionId}: "// END SOLUTION" without a matching "// BEGIN SOLUTION".`);
      inside = false;
    } else if (!inside) {
      out.push(line);
    }
  }
  if (inside) throw new Error(`Answer cell ${questionId}: "// BEGIN SOLUTION" is never closed; add "// END SOLUTION".`);
  return out.join("\n");
}

/** True when a cell's source contains a solution block. */
export function hasSolutionBlock(source: string): boolean {
  return source.split("\n").some((line) => BEGIN.test(line));
}

/** Split a string into nbformat's list-of-lines form (each line keeps its "\n"). */
export function toSourceLines(text: string): string[] {
  const lines = text.split("\n");
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line)).filter((line) => line !== "");
}

/**
 * The student edition of a master notebook: solutions replaced by stubs in answer
 * cells, solution blocks outside answer cells refused, outputs cleared.
 */
export function studentEditionOf(master: NotebookJson): NotebookJson {
  const cells = master.cells.map((cell, index): NotebookCellJson => {
    const source = cellSourceText(cell.source);
    if (cell.cell_type !== "code") return { ...cell, source: toSourceLines(source) };
    const questionId = answerMarkerId(source);
    if (questionId === undefined && hasSolutionBlock(source)) {
      throw new Error(`Cell ${index} has a "// BEGIN SOLUTION" block but no "// @answer <id>" first line; mark it as an answer cell.`);
    }
    const stripped = questionId === undefined ? source : stripSolutionBlocks(source, questionId);
    return { ...cell, source: toSourceLines(stripped), outputs: [], execution_count: null };
  });
  return { ...master, cells };
}

/**
 * The reference edition of a master notebook: the solution kept, the marker lines
 * removed, as a student who solved everything would submit it (the grader's
 * sensitivity check: it must score full marks).
 */
export function referenceEditionOf(master: NotebookJson): NotebookJson {
  const cells = master.cells.map((cell): NotebookCellJson => {
    if (cell.cell_type !== "code") return cell;
    const lines = cellSourceText(cell.source).split("\n");
    return { ...cell, source: toSourceLines(lines.filter((line) => !BEGIN.test(line) && !END.test(line)).join("\n")) };
  });
  return { ...master, cells };
}

// ---------------------------------------------------------------------------------------
// The library's reference solutions
// ---------------------------------------------------------------------------------------

/**
 * A solution block in the library's source. The library marks the body of each graded
 * question's reference (and of every class or helper computing the same thing) like an
 * answer cell, naming the question, since one file may hold the answers of several:
 *
 * ```ts
 * export function adamStep(w: tf.Tensor, ...): AdamStepResult {
 *   // BEGIN SOLUTION adam.step
 *   ...
 *   // END SOLUTION
 * }
 * ```
 */
export interface LibrarySolutionBlock {
  readonly questionId: string;
  /** Line index (0-based) of the `BEGIN` line; the `END` line is `end`. */
  readonly begin: number;
  readonly end: number;
  /** The `BEGIN` line's indentation, which the stub keeps. */
  readonly indent: string;
  /** The lines between the markers: what the student edition removes. */
  readonly body: readonly string[];
}

/** The stub's message: `Not implemented in the student edition: this is exercise adam.step of lab 02`. */
export function libraryStubMessage(questionId: string, lab: number): string {
  return `Not implemented in the student edition: this is exercise ${questionId} of lab ${String(lab).padStart(2, "0")}`;
}

/** The statement that replaces a library solution block. */
export function libraryStub(questionId: string, lab: number): string {
  return `throw new Error(${JSON.stringify(libraryStubMessage(questionId, lab))});`;
}

/** The solution blocks of one library file. Throws, naming `file` and the line, on a marker without id or unbalanced markers. */
export function librarySolutionBlocks(source: string, file: string): LibrarySolutionBlock[] {
  const blocks: LibrarySolutionBlock[] = [];
  let open: { questionId: string; begin: number; indent: string } | undefined;
  source.split("\n").forEach((line, index) => {
    const begin = BEGIN.exec(line);
    const where = `${file}:${index + 1}`;
    if (begin) {
      if (open !== undefined) throw new Error(`${where}: nested "// BEGIN SOLUTION"; close the block of line ${open.begin + 1} with "// END SOLUTION".`);
      if (begin[2] === undefined) throw new Error(`${where}: a library solution names its question, e.g. "// BEGIN SOLUTION adam.step".`);
      open = { questionId: begin[2], begin: index, indent: begin[1] ?? "" };
    } else if (END.test(line)) {
      if (open === undefined) throw new Error(`${where}: "// END SOLUTION" without a matching "// BEGIN SOLUTION <question id>".`);
      blocks.push({ ...open, end: index, body: source.split("\n").slice(open.begin + 1, index) });
      open = undefined;
    }
  });
  if (open !== undefined) throw new Error(`${file}:${open.begin + 1}: "// BEGIN SOLUTION ${open.questionId}" is never closed; add "// END SOLUTION".`);
  return blocks;
}

/**
 * A library file as the student edition ships it: the blocks of the questions
 * `stubbedLab` returns a lab number for become `libraryStub(id, lab)`; the other blocks
 * keep their body, without the marker lines.
 */
export function stripLibrarySolutions(source: string, file: string, stubbedLab: (questionId: string) => number | undefined): string {
  const blocks = librarySolutionBlocks(source, file);
  if (blocks.length === 0) return source;
  const lines = source.split("\n");
  const out: string[] = [];
  let next = 0;
  for (const block of blocks) {
    out.push(...lines.slice(next, block.begin));
    const lab = stubbedLab(block.questionId);
    out.push(...(lab === undefined ? block.body : [`${block.indent}${libraryStub(block.questionId, lab)}`]));
    next = block.end + 1;
  }
  out.push(...lines.slice(next));
  return out.join("\n");
}
