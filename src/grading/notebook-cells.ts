/**
 * Reading a submitted notebook and finding its answer cells.
 *
 * A notebook is nbformat 4 JSON (https://nbformat.readthedocs.io/en/latest/format_description.html):
 * `{ nbformat: 4, metadata: { kernelspec, language_info }, cells: [{ cell_type, source, ... }] }`,
 * where `source` is a string or a list of lines. An answer cell is a code cell whose first
 * line is `// @answer <id>`. The marker is a plain comment, so it survives copy-paste and
 * editors that drop cell metadata; it is found wherever the cell was moved to.
 *
 * Everything here is pure: text in, data out. A broken notebook is a value
 * (`{ kind: "invalid" }`), never an exception, because a grader must survive it.
 */

/** One cell as stored in nbformat 4. Only the fields the grader reads are typed. */
export interface NotebookCellJson {
  readonly cell_type: string;
  readonly source: string | readonly string[];
  readonly [field: string]: unknown;
}

/** A notebook as stored in nbformat 4. */
export interface NotebookJson {
  readonly nbformat: number;
  readonly nbformat_minor?: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly cells: readonly NotebookCellJson[];
}

/** The result of reading a notebook's text. */
export type NotebookReadResult =
  | { readonly kind: "notebook"; readonly notebook: NotebookJson }
  | { readonly kind: "invalid"; readonly reason: string };

/** An answer cell as found in a notebook. */
export interface AnswerCell {
  readonly questionId: string;
  /** The whole cell, marker line included (line 1 of the student's cell). */
  readonly source: string;
  /** 0-based index among all cells, for messages ("cell 7"). */
  readonly cellIndex: number;
}

/** Answer cells by question id; duplicates keep the last one and are counted. */
export interface AnswerCellIndex {
  readonly cells: ReadonlyMap<string, AnswerCell>;
  /** Question id -> how many answer cells carried it (only ids seen more than once). */
  readonly duplicates: ReadonlyMap<string, number>;
}

/** The marker line: `// @answer gd.step` (spaces around are tolerated). */
export const ANSWER_MARKER = /^\s*\/\/\s*@answer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+)\s*$/;

/** Languages the course's kernel runs: answer cells are TypeScript (or plain JavaScript). */
const KERNEL_LANGUAGES: readonly string[] = ["typescript", "javascript"];

/** Join a cell's `source` (string or list of lines) into one string. */
export function cellSourceText(source: string | readonly string[]): string {
  return typeof source === "string" ? source : source.join("");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parse and validate a notebook's text. Rejects invalid JSON, nbformat other than 4,
 * and kernels in another language, each with a message that says what to do.
 */
export function readNotebookText(text: string): NotebookReadResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { kind: "invalid", reason: `The file is not valid JSON (${detail}). Re-download the notebook from Jupyter (File > Download) and submit that file.` };
  }
  if (!isRecord(parsed)) {
    return { kind: "invalid", reason: "The file is JSON but not a notebook (expected an object with `cells`)." };
  }
  const nbformat = parsed["nbformat"];
  if (nbformat !== 4) {
    return { kind: "invalid", reason: `Expected a notebook of nbformat 4, got nbformat ${JSON.stringify(nbformat)}. Open it in a current JupyterLab and save it again.` };
  }
  const cells = parsed["cells"];
  if (!Array.isArray(cells) || !cells.every((c) => isRecord(c) && typeof c["cell_type"] === "string" && (typeof c["source"] === "string" || (Array.isArray(c["source"]) && c["source"].every((l) => typeof l === "string"))))) {
    return { kind: "invalid", reason: "The notebook's `cells` are malformed (each cell needs `cell_type` and `source`)." };
  }
  const metadata = isRecord(parsed["metadata"]) ? parsed["metadata"] : {};
  const language = notebookLanguage(metadata);
  if (language !== undefined && !KERNEL_LANGUAGES.includes(language)) {
    return { kind: "invalid", reason: `This notebook runs in the language "${language}", expected TypeScript. Use the course's notebook with the kernel "TypeScript (AI Efficiency Labs)".` };
  }
  return { kind: "notebook", notebook: { ...parsed, nbformat: 4, metadata, cells: cells as NotebookCellJson[] } };
}

/** The notebook's language from `kernelspec.language` or `language_info.name`, lower-case. */
export function notebookLanguage(metadata: Readonly<Record<string, unknown>>): string | undefined {
  const kernelspec = metadata["kernelspec"];
  if (isRecord(kernelspec) && typeof kernelspec["language"] === "string") return kernelspec["language"].toLowerCase();
  const info = metadata["language_info"];
  if (isRecord(info) && typeof info["name"] === "string") return info["name"].toLowerCase();
  return undefined;
}

/** The question id named by a cell's first line, or undefined when it is not an answer cell. */
export function answerMarkerId(source: string): string | undefined {
  const firstLine = source.split("\n", 1)[0] ?? "";
  return ANSWER_MARKER.exec(firstLine)?.[1];
}

/**
 * Index a notebook's answer cells by question id. A cell counts wherever it sits
 * (moved cells are fine); when an id appears twice, the last cell counts.
 */
export function indexAnswerCells(notebook: NotebookJson): AnswerCellIndex {
  const cells = new Map<string, AnswerCell>();
  const seen = new Map<string, number>();
  notebook.cells.forEach((cell, cellIndex) => {
    if (cell.cell_type !== "code") return;
    const source = cellSourceText(cell.source);
    const questionId = answerMarkerId(source);
    if (questionId === undefined) return;
    cells.set(questionId, { questionId, source, cellIndex });
    seen.set(questionId, (seen.get(questionId) ?? 0) + 1);
  });
  const duplicates = new Map([...seen].filter(([, count]) => count > 1));
  return { cells, duplicates };
}

/**
 * Build a minimal nbformat 4 notebook from answer-cell sources (used for mutants
 * written as `.ts` files and in tests).
 */
export function notebookFromCells(sources: readonly string[]): NotebookJson {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "efflab", display_name: "TypeScript (AI Efficiency Labs)", language: "typescript" } },
    cells: sources.map((source) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
  };
}

/**
 * Split a `.ts` file holding several answer cells into cell sources: each
 * `// @answer <id>` line starts a new cell; lines before the first marker are dropped.
 */
export function splitAnswerFile(text: string): string[] {
  const cells: string[][] = [];
  for (const line of text.split("\n")) {
    if (ANSWER_MARKER.test(line)) cells.push([line]);
    else cells[cells.length - 1]?.push(line);
  }
  return cells.map((lines) => lines.join("\n").trimEnd() + "\n");
}
