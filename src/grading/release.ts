/**
 * `efflab release`: the student edition and the autograder bundle.
 *
 * Output (`--out DIR`):
 *   DIR/student/      the lab as students get it: notebooks with solutions replaced by
 *                     stubs and outputs cleared (solution-markers.ts), cells that use
 *                     answers guarded (answer-guard-transform.ts), a README for
 *                     students and `npm test` = `efflab check` (student-edition-files.ts), the library
 *                     (src, dist, bin, scripts, data, package files) and its public
 *                     questions; no `test/` folder, so no hidden suite.
 *   DIR/autograder/   the Gradescope bundle: setup.sh, run_autograder, and source/ = the
 *                     student edition plus the hidden suites (test/graded/hidden).
 *   DIR/classroom/    .github/workflows/classroom.yml for GitHub Classroom.
 *
 * `releaseLeaks` searches a folder for the text of every solution block and every
 * hidden suite (its file name and test names); the release refuses to finish when
 * the student edition contains any (nbgrader users' complaint: solutions shipped by
 * a forgotten output or an unstripped cell).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { libraryRoot } from "./answer-compiler";
import { hiddenSuitesIn } from "./grading-setup";
import { answerMarkerId, cellSourceText, readNotebookText } from "./notebook-cells";
import { hiddenTestsInModule } from "./question-registry";
import { CLASSROOM_WORKFLOW_YML, GRADESCOPE_RUN_AUTOGRADER, GRADESCOPE_SETUP_SH } from "./release-templates";
import { guardAnswerUses } from "./answer-guard-transform";
import { courseQuestions } from "./questions";
import { studentEditionOf } from "./solution-markers";
import { labEntry, studentPackageJson, studentReadme, type LabEntry } from "./student-edition-files";
import { requireModule, transpileModuleClosure } from "./typescript-require";

/** Options of `buildRelease`. */
export interface ReleaseOptions {
  readonly outDir: string;
  /** The checkout to release. @default the library's folder */
  readonly root?: string;
  /** Master notebooks. @default `<root>/notebooks` */
  readonly notebooksDir?: string;
  /** Hidden suites. @default `<root>/test/graded/hidden` */
  readonly hiddenDir?: string;
}

/** What `buildRelease` wrote. */
export interface ReleaseManifest {
  readonly studentDir: string;
  readonly autograderDir: string;
  readonly classroomDir: string;
  /** Student notebooks written (file names). */
  readonly notebooks: readonly string[];
  /** Hidden suites put in the bundle (paths relative to the root). */
  readonly hiddenFiles: readonly string[];
  /** Secrets searched for in the student edition (none was found). */
  readonly secretsChecked: number;
}

/** A secret found where it must not be. */
export interface ReleaseLeak {
  readonly file: string;
  readonly secret: string;
}

/** Top-level entries of the checkout that make up the student edition (notebooks are rewritten). */
const STUDENT_ENTRIES: readonly string[] = ["package.json", "package-lock.json", "README.md", "LICENSE", "tsconfig.json", "tsconfig.build.json", "bin", "scripts", "src", "dist", "data", "docs"];

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
    const match = source.matchAll(/\/\/\s*BEGIN SOLUTION\s*\n([\s\S]*?)\n\s*\/\/\s*END SOLUTION/g);
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

function copyEntry(from: string, to: string): void {
  if (!fs.existsSync(from)) return;
  fs.cpSync(from, to, { recursive: true, dereference: true, filter: (src) => !src.split(path.sep).includes("node_modules") && !src.includes(`${path.sep}__answers__`) });
}

/** Build the student edition, the Gradescope bundle and the Classroom workflow. */
export function buildRelease(options: ReleaseOptions): ReleaseManifest {
  const root = path.resolve(options.root ?? libraryRoot());
  const outDir = path.resolve(options.outDir);
  if (!path.relative(outDir, root).startsWith("..")) {
    throw new Error(`Expected --out to be a folder outside the checkout's ancestors, got ${outDir} (it would replace ${root}).`);
  }
  const marker = path.join(outDir, ".efflab-release");
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0 && !fs.existsSync(marker)) {
    throw new Error(`Expected --out to be a new or empty folder (or an earlier release), got ${outDir}, which holds other files.`);
  }
  const notebooksDir = options.notebooksDir ?? path.join(root, "notebooks");
  const hiddenDir = options.hiddenDir ?? path.join(root, "test", "graded", "hidden");
  const studentDir = path.join(outDir, "student");
  const autograderDir = path.join(outDir, "autograder");
  const classroomDir = path.join(outDir, "classroom");
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(studentDir, { recursive: true });
  fs.writeFileSync(marker, "Written by efflab release; the next release replaces this folder.\n");

  // 1. The library, as is.
  for (const entry of STUDENT_ENTRIES) copyEntry(path.join(root, entry), path.join(studentDir, entry));

  // 2. Notebooks: stubs instead of solutions, no outputs, cells that use answers guarded (answer-guard-transform.ts).
  const masters = fs.existsSync(notebooksDir) ? fs.readdirSync(notebooksDir).filter((f) => f.endsWith(".ipynb")).sort() : [];
  const secrets: string[] = [];
  const labs: LabEntry[] = [];
  fs.mkdirSync(path.join(studentDir, "notebooks"), { recursive: true });
  for (const name of masters) {
    const text = fs.readFileSync(path.join(notebooksDir, name), "utf8");
    const read = readNotebookText(text);
    if (read.kind === "invalid") throw new Error(`Master notebook ${name}: ${read.reason}`);
    secrets.push(...solutionTexts(text));
    const exportsOf = (id: string) => courseQuestions.find((q) => q.id === id)?.exports;
    const student = guardAnswerUses(studentEditionOf(read.notebook), exportsOf).notebook;
    fs.writeFileSync(path.join(studentDir, "notebooks", name), `${JSON.stringify(student, null, 1)}\n`);
    labs.push(labEntry(name, read.notebook));
  }

  // The student's README (no instructor sections) and package.json (`npm test` = `efflab check`).
  fs.writeFileSync(path.join(studentDir, "README.md"), studentReadme(labs));
  const masterPackage = path.join(root, "package.json");
  if (fs.existsSync(masterPackage)) fs.writeFileSync(path.join(studentDir, "package.json"), studentPackageJson(fs.readFileSync(masterPackage, "utf8")));

  // 3. The Gradescope bundle: student edition + hidden suites (and the .ts files they import).
  const hiddenSuites = hiddenSuitesIn(hiddenDir);
  const closure = Object.keys(transpileModuleClosure(hiddenSuites)).filter((f) => !path.relative(root, f).startsWith(".."));
  const hiddenOnly = closure.filter((f) => !path.relative(root, f).startsWith(`src${path.sep}`));
  secrets.push(...hiddenTexts(hiddenSuites));
  fs.mkdirSync(autograderDir, { recursive: true });
  copyEntry(studentDir, path.join(autograderDir, "source"));
  for (const file of hiddenOnly) {
    const target = path.join(autograderDir, "source", path.relative(root, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  fs.writeFileSync(path.join(autograderDir, "setup.sh"), GRADESCOPE_SETUP_SH, { mode: 0o755 });
  fs.writeFileSync(path.join(autograderDir, "run_autograder"), GRADESCOPE_RUN_AUTOGRADER, { mode: 0o755 });

  // 4. GitHub Classroom workflow.
  fs.mkdirSync(path.join(classroomDir, ".github", "workflows"), { recursive: true });
  fs.writeFileSync(path.join(classroomDir, ".github", "workflows", "classroom.yml"), CLASSROOM_WORKFLOW_YML);

  // 5. Nothing secret in the student edition.
  const leaks = releaseLeaks(studentDir, secrets);
  if (leaks.length > 0) {
    const shown = leaks.slice(0, 5).map((l) => `${path.relative(outDir, l.file)}: "${l.secret.slice(0, 60)}"`);
    throw new Error(`The student edition would leak ${leaks.length} secret(s): ${shown.join("; ")}. Nothing was released; remove them from the library or notebooks.`);
  }
  return { studentDir, autograderDir, classroomDir, notebooks: masters, hiddenFiles: hiddenOnly.map((f) => path.relative(root, f)), secretsChecked: secrets.length };
}
