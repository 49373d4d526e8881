/**
 * The student edition's library for one lab: `src/` with the reference solutions of
 * that lab and later labs stubbed (library-solutions.ts), and `dist/` compiled from that
 * stripped `src/`, never copied from the master's `dist/`, so no `.js`, `.d.ts`, source
 * map or comment can carry a removed body.
 *
 * The compiler runs in-process on the edition's own `tsconfig.build.json`; packages
 * resolve from the master checkout's `node_modules` (the edition has none yet). Parsed
 * declaration files of `node_modules` are kept in a `LibraryCompileCache`, so building
 * the editions of several labs parses them once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import type { Question } from "./question";
import { librarySolutions, questionLabNumber, referenceMarkingProblems, type MarkedDeclaration } from "./library-solutions";
import { distinctiveSecrets, removedBodies, uncommonLines, unmarkedLibrary, type RemovedBody, type UnmarkedLibrary } from "./removed-bodies";
import { libraryStubMessage, stripLibrarySolutions, type EditionOfBlock, type LibrarySolutionBlock } from "./solution-markers";

/** One reference the edition stubs, as the stub-call check expects it. */
export interface StubbedReference {
  /** The library export, e.g. `adamStep`. */
  readonly name: string;
  readonly questionId: string;
  readonly lab: number;
  /** What every call of it must throw while the exercise's answer is not defined. */
  readonly message: string;
  /** Every body of it in the edition runs the student's answer (a `STUDENT EDITION` section), instead of only throwing. */
  readonly runsAnswer: boolean;
}

/** How a student calls the declaration a block belongs to: `adamUpdate`, `new AdamOptimizer`, `AdamOptimizer.update`. */
function libraryNameOf(declaration: MarkedDeclaration): string {
  if (declaration.member === undefined) return declaration.name;
  return declaration.member === "constructor" ? `new ${declaration.name}` : `${declaration.name}.${declaration.member}`;
}

/** What `writeStudentLibrary` did. */
export interface StudentLibrary {
  /** References of this lab and later labs: stubbed. */
  readonly stubbed: readonly StubbedReference[];
  /** References of earlier labs: kept working. */
  readonly kept: readonly string[];
  /** The removed bodies' uncommon lines, for the search for copies (removed-bodies.ts). */
  readonly removedBodies: readonly RemovedBody[];
  /** Lines of removed bodies that occur nowhere else in the library, as TypeScript and compiled JavaScript. */
  readonly removedLines: readonly string[];
  /** Files of `src/` that were changed. */
  readonly strippedFiles: readonly string[];
}

/**
 * What compilations of several editions share: parsed declaration files (`node_modules`,
 * the standard library), and the first edition's `src/` and compiled `dist/`. A later
 * edition whose `src/` differs only in some files' text compiles (type-checks and emits)
 * those files in a program of its own `src/`; every other file's output is the first
 * edition's, compiled from the same text.
 */
export interface LibraryCompileCache {
  readonly sourceFiles: Map<string, ts.SourceFile>;
  /** The master library outside its marked bodies, by `src/` folder (removed-bodies.ts). */
  readonly unmarked: Map<string, UnmarkedLibrary>;
  base?: { readonly sources: ReadonlyMap<string, string>; readonly outputs: ReadonlyMap<string, Buffer> };
}

/** A new, empty cache. */
export function libraryCompileCache(): LibraryCompileCache {
  return { sourceFiles: new Map(), unmarked: new Map() };
}

/** Every file under `dir`, relative, with `/` separators. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
}

/** `src/` of a project as relative path -> text. */
function sourcesOf(projectDir: string): Map<string, string> {
  const dir = path.join(projectDir, "src");
  return new Map(filesUnder(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
}

/** The source a compiled file comes from: `optim/adam.js`, `.js.map` and `.d.ts` -> `optim/adam.ts`. */
const sourceOfOutput = (output: string): string => output.replace(/(\.d\.ts|\.js\.map|\.js)$/, ".ts");

function throwOnErrors(diagnostics: readonly ts.Diagnostic[], projectDir: string): void {
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length === 0) return;
  const text = ts.formatDiagnostics(errors.slice(0, 5), { getCanonicalFileName: (f) => f, getCurrentDirectory: () => projectDir, getNewLine: () => "\n" });
  throw new Error(`The student edition's library does not compile (${errors.length} error(s)); a stub must leave the declarations valid:\n${text}`);
}

/**
 * Compile `projectDir/src` to `projectDir/dist` with `projectDir/tsconfig.build.json`;
 * packages resolve from `root/node_modules`. With a `cache` that holds an earlier
 * edition, only the files whose text differs are compiled (see `LibraryCompileCache`).
 */
export function compileLibrary(root: string, projectDir: string, cache: LibraryCompileCache = libraryCompileCache()): void {
  const configFile = path.join(projectDir, "tsconfig.build.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); } });
  if (parsed === undefined) throw new Error(`Cannot read ${configFile}.`);
  const options: ts.CompilerOptions = { ...parsed.options, typeRoots: [path.join(root, "node_modules", "@types")] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const inProject = (file: string): boolean => !path.relative(projectDir, file).startsWith("..");
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (inProject(fileName)) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const cached = cache.sourceFiles.get(fileName);
    if (cached !== undefined) return cached;
    const file = getSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (file !== undefined) cache.sourceFiles.set(fileName, file);
    return file;
  };
  // The edition has no node_modules: resolve a package as the same import in the master checkout would.
  const resolutions = ts.createModuleResolutionCache(root, (f) => f, options);
  host.resolveModuleNames = (names, containingFile) =>
    names.map((name) => {
      const here = ts.resolveModuleName(name, containingFile, options, host, resolutions).resolvedModule;
      if (here !== undefined || !inProject(containingFile)) return here;
      return ts.resolveModuleName(name, path.join(root, path.relative(projectDir, containingFile)), options, host, resolutions).resolvedModule;
    });
  const program = ts.createProgram({ rootNames: parsed.fileNames, options, host });
  const sources = sourcesOf(projectDir);
  const distDir = path.join(projectDir, "dist");
  const base = cache.base;
  const sameFiles = base !== undefined && base.sources.size === sources.size && [...sources.keys()].every((f) => base.sources.has(f));
  if (base === undefined || !sameFiles) {
    const emitted = program.emit();
    throwOnErrors([...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics], projectDir);
    cache.base ??= { sources, outputs: new Map(filesUnder(distDir).map((f) => [f, fs.readFileSync(path.join(distDir, f))])) };
    return;
  }
  const changed = [...sources.keys()].filter((f) => f.endsWith(".ts") && sources.get(f) !== base.sources.get(f));
  for (const [output, bytes] of base.outputs) {
    if (changed.includes(sourceOfOutput(output))) continue;
    fs.mkdirSync(path.dirname(path.join(distDir, output)), { recursive: true });
    fs.writeFileSync(path.join(distDir, output), bytes);
  }
  for (const file of changed) {
    const sourceFile = program.getSourceFile(path.join(projectDir, "src", file));
    if (sourceFile === undefined) throw new Error(`The compiler did not load src/${file}.`);
    const emitted = program.emit(sourceFile);
    throwOnErrors([...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile), ...emitted.diagnostics], projectDir);
  }
}

/**
 * Write the edition's library into `studentDir` (which holds a copy of the master's
 * `src/`, `package.json` and tsconfig files): strip the solutions of `questions` of lab
 * `lab` and later from `src/`, then compile `dist/` (when the checkout has a
 * `tsconfig.build.json`). Throws, writing no `dist/`, when the
 * markers and the questions' references disagree.
 */
export function writeStudentLibrary(root: string, studentDir: string, questions: readonly Question[], lab: number, cache: LibraryCompileCache = libraryCompileCache()): StudentLibrary {
  const srcDir = path.join(root, "src");
  const solutions = librarySolutions(srcDir);
  const problems = referenceMarkingProblems(questions, solutions);
  if (problems.length > 0) throw new Error(`The library's solution markers and the questions' references disagree:\n  ${problems.join("\n  ")}`);
  const labOf = new Map(questions.map((q) => [q.id, questionLabNumber(q)]));
  const stubbedLab = (id: string): number | undefined => {
    const l = labOf.get(id);
    return l !== undefined && l >= lab ? l : undefined;
  };
  const stubbedBlocks = solutions.blocks.filter((b) => stubbedLab(b.questionId) !== undefined);
  const markedFiles = [...new Set(solutions.blocks.map((b) => b.file))];
  const exportsOf = new Map(questions.map((q) => [q.id, q.exports]));
  for (const file of markedFiles) {
    const declared = solutions.blocks.filter((b) => b.file === file);
    const edition = (block: LibrarySolutionBlock): EditionOfBlock | undefined => {
      const l = stubbedLab(block.questionId);
      const declaration = declared.find((b) => b.begin === block.begin);
      if (l === undefined || declaration === undefined) return undefined;
      return { lab: l, exports: exportsOf.get(block.questionId) ?? [], libraryName: libraryNameOf(declaration) };
    };
    fs.writeFileSync(path.join(studentDir, "src", file), stripLibrarySolutions(fs.readFileSync(path.join(srcDir, file), "utf8"), file, edition));
  }
  fs.rmSync(path.join(studentDir, "dist"), { recursive: true, force: true });
  if (fs.existsSync(path.join(studentDir, "tsconfig.build.json"))) compileLibrary(root, studentDir, cache);
  const stubbed: StubbedReference[] = [];
  const kept: string[] = [];
  for (const name of new Set(questions.flatMap((q) => q.references ?? []))) {
    const questionId = solutions.blocks.find((b) => b.name === name && b.exported)?.questionId;
    const l = questionId === undefined ? undefined : stubbedLab(questionId);
    const runsAnswer = solutions.blocks.filter((b) => b.name === name).every((b) => b.edition.kind !== "stub");
    if (questionId !== undefined && l !== undefined) stubbed.push({ name, questionId, lab: l, message: libraryStubMessage(questionId, l), runsAnswer });
    else kept.push(name);
  }
  const bodies = removedBodies(srcDir, stubbedBlocks);
  if (!cache.unmarked.has(srcDir)) cache.unmarked.set(srcDir, unmarkedLibrary(srcDir));
  const unmarked = cache.unmarked.get(srcDir)!;
  const strippedFiles = [...new Set(stubbedBlocks.map((b) => `src/${b.file}`))];
  return { stubbed, kept, removedBodies: uncommonLines(bodies, unmarked), removedLines: distinctiveSecrets(bodies, unmarked), strippedFiles };
}
