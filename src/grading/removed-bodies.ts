/**
 * What the leak search looks for once the student edition has stubbed the library's
 * reference solutions: the removed bodies, as TypeScript and as compiled JavaScript.
 *
 * Two checks, both over every file of the edition (`src/`, `dist/` with its `.d.ts` and
 * source maps, notebooks, data, docs):
 * - **distinctive lines**: a line of a removed body (24 characters or more, whitespace
 *   normalised) that occurs nowhere in the library outside the marked bodies must not
 *   occur in the edition. (Lines such as `const n = buffers.length;` also occur in
 *   unmarked code and prove nothing.)
 * - **copies**: a file holding most of one removed body's uncommon lines (at least
 *   three, and 60 %) holds a copy of it, even where each line also occurs once elsewhere
 *   (in the copy). A line is uncommon when at most one file of the library outside the
 *   marked bodies has it: boilerplate that several files share (`checkPipelineSize(...)`,
 *   `for (let s = 0; s < stages; s++) {`) does not make a copy.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import type { MarkedDeclaration } from "./library-solutions";
import { typescriptFiles } from "./library-solutions";
import type { ReleaseLeak } from "./release-leaks";
import { librarySolutionBlocks, removedLines, stripLibrarySolutions } from "./solution-markers";

/** One removed body's lines, as the edition could carry them. */
export interface RemovedBody {
  /** `optim/adam.ts:228 adamStep (adam.step)`. */
  readonly where: string;
  /** Lines of 24 characters or more, whitespace-normalised, as written in `src/`. */
  readonly source: readonly string[];
  /** The same lines as the compiler emits them into `dist/`. */
  readonly compiled: readonly string[];
}

/** The library outside its marked bodies: one whitespace-normalised text per file, source and compiled. */
export type UnmarkedLibrary = readonly string[];

const squash = (text: string): string => text.replace(/\s+/g, " ").trim();

/** Lines of a body that can identify it: 24 characters or more once whitespace is normalised. */
export function distinctiveLines(body: readonly string[]): string[] {
  return body.map(squash).filter((line) => line.length >= 24);
}

function transpile(source: string, file: string): string {
  return ts.transpileModule(source, { fileName: file, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } }).outputText;
}

/** The bodies of `blocks` (of files in `srcDir`), in source and compiled form. */
export function removedBodies(srcDir: string, blocks: readonly MarkedDeclaration[]): RemovedBody[] {
  const bodies: RemovedBody[] = [];
  for (const file of new Set(blocks.map((b) => b.file))) {
    const source = fs.readFileSync(path.join(srcDir, file), "utf8");
    const all = librarySolutionBlocks(source, file);
    // The compiler keeps comments, so the compiled file has the same blocks in the same order.
    const compiled = librarySolutionBlocks(transpile(source, file), file);
    for (const block of blocks.filter((b) => b.file === file)) {
      const index = all.findIndex((b) => b.begin === block.begin);
      const js = compiled.length === all.length && compiled[index] !== undefined ? removedLines(compiled[index]) : [];
      bodies.push({ where: `${file}:${block.begin + 1} ${block.name} (${block.questionId})`, source: distinctiveLines(removedLines(block)), compiled: distinctiveLines(js) });
    }
  }
  return bodies;
}

/** The library outside its marked bodies (see `UnmarkedLibrary`), with what the edition ships in their place. */
export function unmarkedLibrary(srcDir: string): UnmarkedLibrary {
  return typescriptFiles(srcDir).map((file) => {
    const source = fs.readFileSync(path.join(srcDir, file), "utf8");
    const unmarked = source.includes("BEGIN SOLUTION") ? stripLibrarySolutions(source, file, () => ({ lab: 0, exports: [], libraryName: "" })) : source;
    return `${squash(unmarked)}\n${squash(transpile(unmarked, file))}`;
  });
}

const filesWith = (line: string, unmarked: UnmarkedLibrary): number => unmarked.filter((text) => text.includes(line)).length;

/** The lines of `bodies` that occur nowhere in `unmarked`: the secrets the leak search looks for. */
export function distinctiveSecrets(bodies: readonly RemovedBody[], unmarked: UnmarkedLibrary): string[] {
  return [...new Set(bodies.flatMap((b) => [...b.source, ...b.compiled]))].filter((line) => filesWith(line, unmarked) === 0);
}

/** `bodies` keeping only their uncommon lines (in at most one file of `unmarked`), for `bodyCopies`. */
export function uncommonLines(bodies: readonly RemovedBody[], unmarked: UnmarkedLibrary): RemovedBody[] {
  const uncommon = (lines: readonly string[]): string[] => lines.filter((line) => filesWith(line, unmarked) <= 1);
  return bodies.map((b) => ({ where: b.where, source: uncommon(b.source), compiled: uncommon(b.compiled) }));
}

/** Files under `dir` holding a copy of a removed body (most of its lines), one leak per file and body. */
export function bodyCopies(dir: string, bodies: readonly RemovedBody[]): ReleaseLeak[] {
  const leaks: ReleaseLeak[] = [];
  const visit = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      if (!entry.isFile()) continue;
      const bytes = fs.readFileSync(full);
      if (bytes.includes(0)) continue;
      const text = squash(bytes.toString("utf8"));
      for (const body of bodies) {
        for (const lines of [body.source, body.compiled]) {
          const found = lines.filter((line) => text.includes(line)).length;
          if (lines.length >= 3 && found >= Math.max(3, 0.6 * lines.length)) {
            leaks.push({ file: full, secret: `a copy of the body of ${body.where} (${found} of its ${lines.length} lines)` });
            break;
          }
        }
      }
    }
  };
  visit(dir);
  return leaks;
}
