/**
 * Files the student edition gets instead of the master's: a README written for
 * students (setup, the labs, checking and submitting; no instructor sections) and a
 * package.json whose `npm test` runs `efflab check` (the master's runs the course's
 * own test suites, which are not shipped).
 */
import { answerMarkerId, cellSourceText, type NotebookJson } from "./notebook-cells";

/** One lab as the student README lists it. */
export interface LabEntry {
  readonly file: string;
  readonly title: string;
  /** "about 45 minutes", from the notebook's "Time:" line; empty when it has none. */
  readonly time: string;
  readonly questions: readonly string[];
}

/** Title, time and graded questions of a notebook. */
export function labEntry(file: string, notebook: NotebookJson): LabEntry {
  const first = notebook.cells.find((c) => c.cell_type === "markdown");
  const text = first === undefined ? "" : cellSourceText(first.source);
  const title = /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? file;
  const time = /\*\*Time\.?\*\*:?\s*([^.\n]+)/.exec(text)?.[1]?.trim() ?? "";
  const questions = notebook.cells.filter((c) => c.cell_type === "code").flatMap((c) => answerMarkerId(cellSourceText(c.source)) ?? []);
  return { file, title, time, questions };
}

/** The student edition's package.json: the master's, with scripts a student can run. */
export function studentPackageJson(masterText: string): string {
  const pkg = JSON.parse(masterText) as { scripts?: Record<string, string> };
  pkg.scripts = {
    build: pkg.scripts?.build ?? "tsc -p tsconfig.build.json",
    postinstall: pkg.scripts?.postinstall ?? "node scripts/postinstall.js",
    start: "node bin/efflab.js start",
    test: "node bin/efflab.js check",
    labs: "node bin/efflab.js run",
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** The student edition's README.md. */
export function studentReadme(labs: readonly LabEntry[]): string {
  const example = `notebooks/${labs.filter((l) => l.questions.length > 0).pop()?.file ?? "02-adam.ipynb"}`;
  const rows = labs.map((l) => `| \`notebooks/${l.file}\` | ${l.title.replace(/\|/g, "\\|")} | ${l.time || "—"} | ${l.questions.length > 0 ? l.questions.map((q) => `\`${q}\``).join(", ") : "—"} |`);
  return `# AI Efficiency Labs — student edition

Jupyter notebooks in TypeScript for the course *AI Efficiency: Systems and Algorithms*: gradient descent and Adam from
scratch, data parallelism and ring all-reduce, memory accounting to the byte, and pipeline schedules. Everything runs
offline, on a CPU.

## Setup

1. **Node.js 20 or newer** (\`node --version\`). On Delta, load a module (\`module avail node\`) or install Node in your home
   folder (e.g. with nvm) — step by step: [docs/delta.md](docs/delta.md).
2. In a terminal, in this folder:
   \`\`\`sh
   npm install     # the library and its tools; registers the kernel "TypeScript (AI Efficiency Labs)" for your user
   npm start       # opens notebooks/ in JupyterLab (or classic Notebook)
   \`\`\`
   On Open OnDemand, start JupyterLab from the portal instead of \`npm start\`, and reload its page after \`npm install\`.
3. Open \`notebooks/00-welcome.ipynb\`, check that the kernel (top right) is **TypeScript (AI Efficiency Labs)**, and run
   the cells with <kbd>Shift</kbd>+<kbd>Enter</kbd> — or *Run → Run All Cells*.

## The labs

| Notebook | Lab | Time | Graded questions |
|---|---|---|---|
${rows.join("\n")}

Each lab ends with a link to the next one. Work through them in order: later labs build on earlier ones.

## Answering

An **answer cell** starts with \`// @answer <id>\`. Replace the line \`throw new Error("Not implemented: <id>");\` with
your code, keep the function's name and signature, and run the cell. The cells below use your functions. Until an
answer is implemented they print one line, e.g. \`needs adam.step (code cell 10) — implement it, then re-run this cell\`,
and skip their work, so *Run All* still reaches the end of the lab. After implementing, re-run that cell.

The library you have leaves this lab's exercises to you: where its own code needs them (\`lab.adam\` trains with Adam,
the pipeline charts need the bubble fraction), it runs **your** answer, by the name your answer cell defines. So those
cells work once your answers do, and show what your answers compute. An answer may not call the library's own version
of its lab's exercises: in the notebook that stops with a message saying so, and the grader scores it 0.

## Checking

- **In the notebook:** the cell after each answer runs \`await check("<id>")\`: a table of the public tests with ✓/✗, what
  went wrong and a hint. \`await checkAll()\` at the end of a lab checks all its questions.
- **In a terminal:** save the notebook in Jupyter, then
  \`\`\`sh
  npm test                                   # every lab: the check() tables, then "Lab 2: 3 of 9 public checks pass"
  npx efflab check ${example}   # one lab
  npx efflab run ${example}     # run the whole notebook headless, as Run All does
  \`\`\`
  \`npm test\` compiles your answer cells exactly as the grader does (each cell on its own, after the notebook's first
  cell) and exits with an error while any public check fails.

The grader also runs **hidden tests** when you submit: passing every public check is necessary, not sufficient.

## Submitting

Submit each lab's \`.ipynb\` file as it is (in JupyterLab: *File → Download*). Keep every answer cell's first line
(\`// @answer <id>\`) unchanged — that is how the grader finds your answers — and keep each answer cell self-contained:
it is compiled on its own. If your course uses GitHub Classroom, commit and push the notebooks instead; each push shows
the public checks in the repository's Actions tab.

## Troubleshooting

- **The kernel is not listed.** Run \`npx efflab kernel doctor\`, then \`npx efflab kernel install\`, and reload the page.
- **"node: not found" or the kernel dies at start.** You switched Node versions: run \`npx efflab kernel install\` again.
- **\`@tensorflow/tfjs-node\` failed to install.** Normal without internet: the labs use the WebAssembly backend.
- **A plot cell says "plotly.js is not loaded in this page".** Run \`lab.reloadPlotly()\` and re-run the cell.
- **A cell stops with a stack trace in your own code.** That is your answer failing: read the first line of the error,
  fix the answer cell, run it, then re-run the cell that failed.

The library the notebooks use is in \`src/\` (one file per idea, with the equations and their sources): read it.
`;
}
