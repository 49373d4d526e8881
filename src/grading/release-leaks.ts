/**
 * The release's leak search: the texts that must never reach a student edition, and
 * the search for them in every file of a folder.
 *
 * Secrets are the solution blocks of the master notebooks, the hidden suites (file
 * names, long test names and code lines), and the distinctive lines of every library
 * body the edition stubs (student-library.ts). A secret found anywhere, notebooks,
 * `src/`, `dist/` (`.js`, `.d.ts`, source maps), data or docs, stops the release
 * (nbgrader users' complaint: solutions shipped by a forgotten output or an unstripped
 * cell). That no stubbed reference can still be *called* is proved separately, by
 * calling each one (stub-probe.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { answerMarkerId, cellSourceText, readNotebookText } from "./notebook-cells";
import { hiddenTestsInModule } from "./question-registry";
import { requireModule } from "./typescript-require";

/** A secret found where it must not be. */
export interface ReleaseLeak {
  readonly file: string;
  readonly secret: string;
}

function squash(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Solution blocks of a notebook (between the markers), whitespace-normalised. */
export function solutionTexts(masterText: string): string[] {
  const read = readNotebookText(masterText);
  if (read.kind === "invalid") return [];
  const blocks: string[] = [];
  for (const cell of read.notebook.cells) {
    const source = cellSourceText(cell.source);
    if (answerMarkerId(source) === undefined) continue;
    const match = source.matchAll(/\/\/\s*BEGIN SOLUTION(?:[ \t]+\S+)?[ \t]*\n([\s\S]*?)\n\s*\/\/\s*END SOLUTION/g);
    for (const m of match) if (squash(m[1] ?? "") !== "") blocks.push(squash(m[1] ?? ""));
  }
  return blocks;
}

/**
 * Texts that identify hidden tests: each suite's file name, its long test names (six
 * words or more: short ones such as "fp32 momentum" also label examples in the
 * notebooks), and its long code lines (50 characters or more, comments and imports
 * aside), which a copied suite or a pasted expected value would carry.
 */
export function hiddenTexts(hiddenFiles: readonly string[]): string[] {
  const texts = hiddenFiles.map((f) => path.basename(f));
  for (const file of hiddenFiles) {
    for (const suite of hiddenTestsInModule(requireModule(file))) {
      texts.push(...suite.tests.map((t) => squash(t.name)).filter((name) => name.split(" ").length >= 6));
    }
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      const code = squash(line);
      if (code.length >= 50 && !/^(\/\/|\/?\*|import\b|export \{)/.test(code)) texts.push(code);
    }
  }
  return [...new Set(texts)];
}

function walk(dir: string, visit: (file: string) => void): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, visit);
    else if (entry.isFile()) visit(full);
  }
}

/** Every file under `dir` containing one of `secrets` (compared whitespace-normalised). */
export function releaseLeaks(dir: string, secrets: readonly string[]): ReleaseLeak[] {
  const leaks: ReleaseLeak[] = [];
  walk(dir, (file) => {
    const text = fs.readFileSync(file);
    if (text.includes(0)) return; // binary (wasm, images)
    const raw = text.toString("utf8");
    const squashed = squash(raw);
    let unescaped = squashed;
    try {
      // Notebook and JSON files store code with escapes; compare decoded strings too.
      if (file.endsWith(".ipynb") || file.endsWith(".json")) unescaped = squash(JSON.stringify(JSON.parse(raw), null, 0).replace(/\\n/g, "\n"));
    } catch {
      unescaped = squashed;
    }
    for (const secret of secrets) {
      if (squashed.includes(secret) || unescaped.includes(secret) || path.basename(file) === secret) leaks.push({ file, secret });
    }
  });
  return leaks;
}

