/**
 * `efflab release`: the student edition of one lab and its autograder bundles.
 *
 * Courses release labs one at a time. The release of lab NN (`--lab NN`; without it,
 * the last lab) writes, under `--out DIR`:
 *   DIR/student/      the lab as students get it: notebooks 00..NN with solutions replaced
 *                     by stubs and outputs cleared (solution-markers.ts), cells that use
 *                     answers guarded (answer-guard-transform.ts), no later notebook; a
 *                     README for students and `npm test` = `efflab check`
 *                     (student-edition-files.ts); the library with the reference solutions
 *                     of lab NN and later labs stubbed in `src/` and `dist/` compiled from
 *                     that `src/` (student-library.ts); no `test/` folder, so no hidden suite.
 *   DIR/autograder/   the Gradescope bundle of lab NN: setup.sh, run_autograder (grading
 *                     lab NN's questions only), and source/ = the student edition with lab
 *                     NN's references working (the grader needs them) and lab NN's hidden
 *                     suites; later labs' references stay stubbed there too.
 *   DIR/classroom/    .github/workflows/classroom.yml for GitHub Classroom (lab NN's notebook).
 *
 * The release refuses to finish, naming what it found, when the student edition holds
 * the text of a solution block, of a hidden suite or of a removed library body
 * (release-leaks.ts), or when a stubbed reference can still be called: each is called
 * in a child process and must throw "Not implemented in the student edition: this is
 * exercise <id> of lab <NN>" (stub-probe.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { libraryRoot } from "./answer-compiler";
import { guardAnswerUses } from "./answer-guard-transform";
import { stubDependents } from "./library-dependents";
import { hiddenSuitesIn } from "./grading-setup";
import { questionLabNumber } from "./library-solutions";
import { answerMarkerId, cellSourceText, readNotebookText, type NotebookJson } from "./notebook-cells";
import type { Question } from "./question";
import { hiddenTestsInModule, labOfQuestion } from "./question-registry";
import { courseQuestions } from "./questions";
import { hiddenTexts, releaseLeaks, solutionTexts, type ReleaseLeak } from "./release-leaks";
import { bodyCopies } from "./removed-bodies";
import { classroomWorkflow, gradescopeRunAutograder, GRADESCOPE_SETUP_SH } from "./release-templates";
import { studentEditionOf } from "./solution-markers";
import { labEntry, studentPackageJson, studentReadme, type LabEntry } from "./student-edition-files";
import { libraryCompileCache, writeStudentLibrary, type LibraryCompileCache, type StubbedReference } from "./student-library";
import { runStubProbe, stubProblems } from "./stub-probe";
import { recordExpectationsInChild } from "./expectation-recorder";
import { RECORDING_FILE } from "./recorded-expectations";
import { requireModule, transpileModuleClosure } from "./typescript-require";

export { hiddenTexts, releaseLeaks, solutionTexts, type ReleaseLeak };

/** Options of `buildRelease`. */
export interface ReleaseOptions {
  readonly outDir: string;
  /** The checkout to release. @default the library's folder */
  readonly root?: string;
  /** Master notebooks. @default `<root>/notebooks` */
  readonly notebooksDir?: string;
  /** Hidden suites. @default `<root>/test/graded/hidden` */
  readonly hiddenDir?: string;
  /** The lab to release (its notebook's two digits). @default the last lab */
  readonly lab?: number;
  /** The questions, with their `references`. @default the course's */
  readonly questions?: readonly Question[];
  /** Parsed declarations shared by the releases of several labs (a test's speed-up). */
  readonly compileCache?: LibraryCompileCache;
}

/** What `buildRelease` wrote. */
export interface ReleaseManifest {
  /** The lab released. */
  readonly lab: number;
  readonly studentDir: string;
  readonly autograderDir: string;
  readonly classroomDir: string;
  /** Student notebooks written (file names). */
  readonly notebooks: readonly string[];
  /** Hidden suites put in the bundle (paths relative to the root). */
  readonly hiddenFiles: readonly string[];
  /** Secrets searched for in the student edition (none was found). */
  readonly secretsChecked: number;
  /** References stubbed in the student edition: this lab's and later labs'. */
  readonly stubbed: readonly StubbedReference[];
  /** References of earlier labs, working in the student edition. */
  readonly kept: readonly string[];
  /** Calls of stubbed exports made in a child process (each threw its message). */
  readonly stubCalls: number;
  /**
   * Code cells of the shipped notebooks, answer cells aside, that name a stubbed reference
   * which cannot run the student's answer (an earlier notebook calling a later lab's solution,
   * or a solution without a `STUDENT EDITION` section): in the student edition they print a
   * "skipped" line until the lab whose edition ships that solution.
   */
  readonly cellsCallingStubs: readonly string[];
  /** Public tests whose expected values ship as recorded data (their references are stubbed). */
  readonly recordedTests: number;
}

/** Code cells of `notebook` (answer cells aside) naming one of `stubbed` as `lab.<name>`. */
export function cellsCallingStubs(file: string, notebook: NotebookJson, stubbed: ReadonlySet<string>): string[] {
  const code = notebook.cells.filter((c) => c.cell_type === "code").map((c) => cellSourceText(c.source));
  return code.flatMap((source, i) => {
    if (answerMarkerId(source) !== undefined) return [];
    const names = [...new Set([...source.matchAll(/\blab\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!))].filter((n) => stubbed.has(n));
    return names.length === 0 ? [] : [`${file}, code cell ${i + 1}: ${names.map((n) => `lab.${n}`).join(", ")}`];
  });
}

/** Top-level entries of the checkout that make up the student edition (notebooks are rewritten, dist/ is compiled). */
const STUDENT_ENTRIES: readonly string[] = ["package.json", "package-lock.json", "README.md", "LICENSE", "tsconfig.json", "tsconfig.build.json", "bin", "scripts", "src", "data", "docs"];

/** A notebook's lab: its two leading digits (`02-adam.ipynb` → 2). */
export function notebookLabNumber(file: string): number | undefined {
  return questionLabNumber({ notebook: file });
}

function copyEntry(from: string, to: string): void {
  if (!fs.existsSync(from)) return;
  fs.cpSync(from, to, { recursive: true, dereference: true, filter: (src) => !src.split(path.sep).includes("node_modules") && !src.includes(`${path.sep}__answers__`) });
}

/** The question-id prefixes of a lab's questions (`adam`), for `efflab grade --lab`. */
function labPrefixes(questions: readonly Question[], lab: number): string[] {
  return [...new Set(questions.filter((q) => questionLabNumber(q) === lab).map((q) => labOfQuestion(q.id)))];
}

/** Hidden suites of `lab`: those testing a question of that lab or a question the course does not number. */
function hiddenSuitesOfLab(files: readonly string[], questions: readonly Question[], lab: number): string[] {
  const labOf = new Map(questions.map((q) => [q.id, questionLabNumber(q)]));
  return files.filter((file) => hiddenTestsInModule(requireModule(file)).some((suite) => labOf.get(suite.questionId) === undefined || labOf.get(suite.questionId) === lab));
}

/** Build the student edition of one lab, its Gradescope bundle and its Classroom workflow. */
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
  const questions = options.questions ?? courseQuestions;
  const notebooksDir = options.notebooksDir ?? path.join(root, "notebooks");
  const hiddenDir = options.hiddenDir ?? path.join(root, "test", "graded", "hidden");
  const masters = fs.existsSync(notebooksDir) ? fs.readdirSync(notebooksDir).filter((f) => f.endsWith(".ipynb")).sort() : [];
  const labs = [...new Set([...masters.map(notebookLabNumber), ...questions.map(questionLabNumber)].filter((l): l is number => l !== undefined))].sort((a, b) => a - b);
  const lab = options.lab ?? labs[labs.length - 1] ?? 0;
  if (options.lab !== undefined && !masters.some((f) => notebookLabNumber(f) === lab)) {
    const known = masters.filter((f) => notebookLabNumber(f) !== undefined).join(", ") || "none";
    throw new Error(`Expected --lab to name a lab with a master notebook (NN-name.ipynb in ${notebooksDir}), got ${lab}; the notebooks are: ${known}.`);
  }
  const shipped = masters.filter((f) => (notebookLabNumber(f) ?? 0) <= lab);
  const studentDir = path.join(outDir, "student");
  const autograderDir = path.join(outDir, "autograder");
  const classroomDir = path.join(outDir, "classroom");
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(studentDir, { recursive: true });
  fs.writeFileSync(marker, "Written by efflab release; the next release replaces this folder.\n");

  // 1. The library: this lab's and later labs' references stubbed in src/, dist/ compiled from it.
  for (const entry of STUDENT_ENTRIES) copyEntry(path.join(root, entry), path.join(studentDir, entry));
  const cache = options.compileCache ?? libraryCompileCache();
  const library = writeStudentLibrary(root, studentDir, questions, lab, cache);

  // 2. Notebooks 00..NN: stubs instead of solutions, no outputs, cells that use answers guarded.
  //    Every master's solutions are secrets, shipped or not.
  const secrets: string[] = [];
  const entries: LabEntry[] = [];
  const callingStubs: string[] = [];
  // This lab's references that run the student's answers work once the answers are written: no warning for them.
  const stubbedNames = new Set(library.stubbed.filter((r) => !(r.lab === lab && r.runsAnswer)).map((r) => r.name));
  fs.mkdirSync(path.join(studentDir, "notebooks"), { recursive: true });
  for (const name of masters) {
    const text = fs.readFileSync(path.join(notebooksDir, name), "utf8");
    const read = readNotebookText(text);
    if (read.kind === "invalid") throw new Error(`Master notebook ${name}: ${read.reason}`);
    secrets.push(...solutionTexts(text));
    if (!shipped.includes(name)) continue;
    const exportsOf = (id: string) => questions.find((q) => q.id === id)?.exports;
    const student = guardAnswerUses(studentEditionOf(read.notebook), exportsOf, stubDependents(path.join(studentDir, "src"), library.stubbed)).notebook;
    fs.writeFileSync(path.join(studentDir, "notebooks", name), `${JSON.stringify(student, null, 1)}\n`);
    entries.push(labEntry(name, read.notebook));
    callingStubs.push(...cellsCallingStubs(name, read.notebook, stubbedNames));
  }

  // The student's README (no instructor sections) and package.json (`npm test` = `efflab check`).
  fs.writeFileSync(path.join(studentDir, "README.md"), studentReadme(entries));
  const masterPackage = path.join(root, "package.json");
  if (fs.existsSync(masterPackage)) fs.writeFileSync(path.join(studentDir, "package.json"), studentPackageJson(fs.readFileSync(masterPackage, "utf8")));

  // 3. The Gradescope bundle: the edition with this lab's references working, and this lab's hidden suites.
  const allHidden = hiddenSuitesIn(hiddenDir);
  const hiddenSuites = hiddenSuitesOfLab(allHidden, questions, lab);
  const closure = Object.keys(transpileModuleClosure(hiddenSuites)).filter((f) => !path.relative(root, f).startsWith(".."));
  const hiddenOnly = closure.filter((f) => !path.relative(root, f).startsWith(`src${path.sep}`));
  secrets.push(...hiddenTexts(allHidden));
  fs.mkdirSync(autograderDir, { recursive: true });
  const source = path.join(autograderDir, "source");
  copyEntry(studentDir, source);
  fs.rmSync(path.join(source, "src"), { recursive: true, force: true });
  copyEntry(path.join(root, "src"), path.join(source, "src"));
  const graderLibrary = writeStudentLibrary(root, source, questions, lab + 1, cache);
  for (const file of hiddenOnly) {
    const target = path.join(source, path.relative(root, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  const prefixes = labPrefixes(questions, lab);
  const labFlag = prefixes.length === 1 ? `--lab ${prefixes[0]!}` : "";
  fs.writeFileSync(path.join(autograderDir, "setup.sh"), GRADESCOPE_SETUP_SH, { mode: 0o755 });
  fs.writeFileSync(path.join(autograderDir, "run_autograder"), gradescopeRunAutograder(labFlag, path.relative(root, hiddenDir).split(path.sep).join("/")), { mode: 0o755 });

  // 4. GitHub Classroom workflow: this lab's notebook.
  const labNotebook = shipped.filter((f) => notebookLabNumber(f) === lab);
  fs.mkdirSync(path.join(classroomDir, ".github", "workflows"), { recursive: true });
  fs.writeFileSync(path.join(classroomDir, ".github", "workflows", "classroom.yml"), classroomWorkflow(labNotebook.length === 1 ? `notebooks/${labNotebook[0]!}` : "notebooks/*.ipynb", labFlag));

  // 4b. The expected values of the shipped questions whose references are stubbed, as data
  //     (recorded-expectations.ts): their public tests run against the master's answers.
  const stubbedQuestions = [...new Set(library.stubbed.map((r) => r.questionId))].filter((id) => {
    const q = questions.find((x) => x.id === id);
    return q !== undefined && shipped.includes(q.notebook);
  });
  let recordedTests = 0;
  // The recorder runs the course's registered questions (a custom question list has no recorder).
  if (questions === courseQuestions && stubbedQuestions.length > 0 && fs.existsSync(path.join(studentDir, "dist", "grading"))) {
    const notebooks = shipped.filter((f) => questions.some((q) => q.notebook === f && stubbedQuestions.includes(q.id))).map((f) => path.join(notebooksDir, f));
    const recording = recordExpectationsInChild({ notebooks, questionIds: stubbedQuestions }, path.join(root, "node_modules"));
    if (recording.failures.length > 0) throw new Error(`The master's answers fail public tests while their expected values are recorded: ${recording.failures.slice(0, 5).join("; ")}. Nothing was released.`);
    fs.writeFileSync(path.join(studentDir, "dist", "grading", RECORDING_FILE), `${JSON.stringify(recording.recorded)}\n`);
    recordedTests = new Set(Object.keys(recording.recorded).map((k) => k.slice(0, k.lastIndexOf(" | #")))).size;
  }

  // 5. Nothing secret in the student edition, nothing of later labs in the bundle, and no stub callable.
  const leaks = [
    ...releaseLeaks(studentDir, [...secrets, ...library.removedLines]),
    ...bodyCopies(studentDir, library.removedBodies),
    ...releaseLeaks(source, graderLibrary.removedLines),
    ...bodyCopies(source, graderLibrary.removedBodies),
  ];
  if (leaks.length > 0) {
    const shown = leaks.slice(0, 5).map((l) => `${path.relative(outDir, l.file)}: "${l.secret.slice(0, 120)}"`);
    throw new Error(`The student edition would leak ${leaks.length} secret(s): ${shown.join("; ")}. Nothing was released; remove them from the library or notebooks.`);
  }
  const entry = path.join(studentDir, "dist", "index.js");
  let stubCalls = 0;
  if (fs.existsSync(entry) && library.stubbed.length + library.kept.length > 0) {
    const request = { library: entry, stubbed: library.stubbed, kept: library.kept };
    const calls = runStubProbe(request, path.join(root, "node_modules"));
    const problems = stubProblems(request, calls);
    if (problems.length > 0) throw new Error(`The student edition's library still answers graded questions: ${problems.slice(0, 5).join(" ")} Nothing was released.`);
    stubCalls = calls.filter((c) => library.stubbed.some((s) => s.name === c.name)).length;
  }
  return {
    lab,
    studentDir,
    autograderDir,
    classroomDir,
    notebooks: shipped,
    hiddenFiles: hiddenOnly.map((f) => path.relative(root, f)),
    secretsChecked: secrets.length + library.removedLines.length,
    stubbed: library.stubbed,
    kept: library.kept,
    stubCalls,
    cellsCallingStubs: callingStubs,
    recordedTests,
  };
}
