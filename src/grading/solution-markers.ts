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
import { libraryStubMessage } from "../foundation/your-answer";
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

/**
 * A student edition's notebook with every answer cell replaced by the master's answer
 * (markers removed): the notebook as a student who solved everything has it. The release's
 * tests run it in its lab's own edition, where the library runs these answers.
 */
export function answeredEditionOf(edition: NotebookJson, master: NotebookJson): NotebookJson {
  const answers = new Map<string, NotebookCellJson["source"]>();
  for (const cell of referenceEditionOf(master).cells) {
    const id = cell.cell_type === "code" ? answerMarkerId(cellSourceText(cell.source)) : undefined;
    if (id !== undefined) answers.set(id, cell.source);
  }
  const cells = edition.cells.map((cell): NotebookCellJson => {
    const id = cell.cell_type === "code" ? answerMarkerId(cellSourceText(cell.source)) : undefined;
    const answer = id === undefined ? undefined : answers.get(id);
    return answer === undefined ? cell : { ...cell, source: answer };
  });
  return { ...edition, cells };
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
 * export function adamMoments(m: tf.Tensor, ...): { m: tf.Tensor; v: tf.Tensor } {
 *   // BEGIN SOLUTION adam.moments
 *   ...the solution...
 *   // STUDENT EDITION
 *   // return yours.answer<typeof adamMoments>("adamMoments")(m, v, g, beta1, beta2);
 *   // END SOLUTION
 * }
 * ```
 *
 * What the per-lab student edition ships in its place (see foundation/your-answer.ts):
 * - no `STUDENT EDITION` line: a stub that throws the exercise's message;
 * - `// STUDENT EDITION` and commented lines: those lines, uncommented, after
 *   `const yours = yourAnswerIn(...)`, so the library runs the student's own answer;
 * - `// STUDENT EDITION KEEPS THIS BODY`: the body itself, which only assembles answers
 *   (`AdamOptimizer.update` calls `adamUpdate`), once the exercise's answer is defined.
 */
export interface LibrarySolutionBlock {
  readonly questionId: string;
  /** Line index (0-based) of the `BEGIN` line; the `END` line is `end`. */
  readonly begin: number;
  readonly end: number;
  /** The `BEGIN` line's indentation, which the stub keeps. */
  readonly indent: string;
  /** The solution's lines (between `BEGIN` and `STUDENT EDITION` or `END`). */
  readonly body: readonly string[];
  /** What the edition ships instead. */
  readonly edition: EditionBody;
}

/** See `LibrarySolutionBlock`. */
export type EditionBody =
  | { readonly kind: "stub" }
  | { readonly kind: "keep" }
  /** The lines after `// STUDENT EDITION`, uncommented. */
  | { readonly kind: "bridge"; readonly lines: readonly string[] };

/** The lines of a block the edition does not ship: the solution's lines, except those the edition's body has too. */
export function removedLines(block: LibrarySolutionBlock): readonly string[] {
  if (block.edition.kind === "keep") return [];
  if (block.edition.kind === "stub") return block.body;
  const shipped = new Set(block.edition.lines.map((line) => line.trim()));
  return block.body.filter((line) => !shipped.has(line.trim()));
}

export { libraryStubMessage };

/** The statement that replaces a library solution block. */
export function libraryStub(questionId: string, lab: number): string {
  return `throw new Error(${JSON.stringify(libraryStubMessage(questionId, lab))});`;
}

const EDITION = /^\s*\/\/\s*STUDENT EDITION\s*$/;
const EDITION_KEEPS = /^\s*\/\/\s*STUDENT EDITION KEEPS THIS BODY\s*$/;
const COMMENTED = /^(\s*)\/\/ ?(.*)$/;

/** The solution and the edition's section of a block's inner lines (see `LibrarySolutionBlock`). */
function splitEditionSection(inner: readonly string[], where: string): { body: string[]; edition: EditionBody } {
  const at = inner.findIndex((line) => EDITION.test(line) || EDITION_KEEPS.test(line));
  if (at < 0) return { body: [...inner], edition: { kind: "stub" } };
  const body = inner.slice(0, at);
  const section = inner.slice(at + 1);
  if (EDITION_KEEPS.test(inner[at]!)) {
    if (section.length > 0) throw new Error(`${where}: "// STUDENT EDITION KEEPS THIS BODY" is the block's last line before "// END SOLUTION".`);
    return { body, edition: { kind: "keep" } };
  }
  const lines = section.map((line) => {
    const commented = COMMENTED.exec(line);
    if (commented === null) throw new Error(`${where}: after "// STUDENT EDITION", every line is commented out ("// return yours.answer(...)(...);"); found: ${line.trim()}`);
    return `${commented[1] ?? ""}${commented[2] ?? ""}`;
  });
  if (lines.length === 0) throw new Error(`${where}: "// STUDENT EDITION" is followed by no line; write the edition's body as comments, or use "// STUDENT EDITION KEEPS THIS BODY".`);
  return { body, edition: { kind: "bridge", lines } };
}

/** The solution blocks of one library file. Throws, naming `file` and the line, on a marker without id or unbalanced markers. */
export function librarySolutionBlocks(source: string, file: string): LibrarySolutionBlock[] {
  const blocks: LibrarySolutionBlock[] = [];
  const all = source.split("\n");
  let open: { questionId: string; begin: number; indent: string } | undefined;
  all.forEach((line, index) => {
    const begin = BEGIN.exec(line);
    const where = `${file}:${index + 1}`;
    if (begin) {
      if (open !== undefined) throw new Error(`${where}: nested "// BEGIN SOLUTION"; close the block of line ${open.begin + 1} with "// END SOLUTION".`);
      if (begin[2] === undefined) throw new Error(`${where}: a library solution names its question, e.g. "// BEGIN SOLUTION adam.step".`);
      open = { questionId: begin[2], begin: index, indent: begin[1] ?? "" };
    } else if (END.test(line)) {
      if (open === undefined) throw new Error(`${where}: "// END SOLUTION" without a matching "// BEGIN SOLUTION <question id>".`);
      blocks.push({ ...open, end: index, ...splitEditionSection(all.slice(open.begin + 1, index), `${file}:${open.begin + 1}`) });
      open = undefined;
    }
  });
  if (open !== undefined) throw new Error(`${file}:${open.begin + 1}: "// BEGIN SOLUTION ${open.questionId}" is never closed; add "// END SOLUTION".`);
  return blocks;
}

/** How the edition ships one block: the exercise's lab, the names its answer defines, and the library function's name. */
export interface EditionOfBlock {
  readonly lab: number;
  /** The exercise's answer names (`Question.exports`): a kept body runs once they are all defined. */
  readonly exports: readonly string[];
  /** The library function the block is the body of (`adamUpdate`, `AdamOptimizer.update`), for messages. */
  readonly libraryName: string;
}

/** `import { yourAnswerIn } from "…/foundation/your-answer";` as seen from `file` (relative to `src/`). */
function yourAnswerImport(file: string): string {
  const depth = file.split("/").length - 1;
  const from = depth === 0 ? "./foundation/your-answer" : `${"../".repeat(depth)}foundation/your-answer`;
  return `import { yourAnswerIn } from "${from}";`;
}

/** The line after the module's last import (0 when it has none). */
function afterImports(lines: readonly string[]): number {
  let last = -1;
  lines.forEach((line, i) => {
    if (/^import\s/.test(line)) last = i;
  });
  if (last < 0) return 0;
  while (last < lines.length && !/;\s*$/.test(lines[last]!)) last++;
  return last + 1;
}

/** The lines that replace one block in the edition. */
function editionLines(block: LibrarySolutionBlock, of: EditionOfBlock): string[] {
  const i = block.indent;
  const opening = `yourAnswerIn(${JSON.stringify(block.questionId)}, ${of.lab}, ${JSON.stringify(of.libraryName)})`;
  switch (block.edition.kind) {
    case "stub":
      return [`${i}${libraryStub(block.questionId, of.lab)}`];
    case "keep":
      return [`${i}${opening}.require(${JSON.stringify(of.exports)}); // this edition: the same body, run on your answers`, ...block.body];
    case "bridge":
      return [`${i}const yours = ${opening}; // this edition runs your own answer to ${block.questionId}`, ...block.edition.lines];
  }
}

/**
 * A library file as the student edition ships it: each block `edition` returns
 * something for becomes what its `STUDENT EDITION` section says (a stub by default); the
 * other blocks keep their body, without the marker lines.
 */
export function stripLibrarySolutions(source: string, file: string, edition: (block: LibrarySolutionBlock) => EditionOfBlock | undefined): string {
  const blocks = librarySolutionBlocks(source, file);
  if (blocks.length === 0) return source;
  const lines = source.split("\n");
  const out: string[] = [];
  let next = 0;
  let needsImport = false;
  for (const block of blocks) {
    out.push(...lines.slice(next, block.begin));
    const of = edition(block);
    if (of !== undefined && block.edition.kind !== "stub") needsImport = true;
    out.push(...(of === undefined ? block.body : editionLines(block, of)));
    next = block.end + 1;
  }
  out.push(...lines.slice(next));
  if (needsImport) out.splice(afterImports(lines), 0, yourAnswerImport(file));
  return out.join("\n");
}
