/** `efflab check [NOTEBOOK...]`: the public checks of your notebooks, from the terminal. */
import * as fs from "node:fs";
import * as path from "node:path";
import { defineCommand } from "../command";
import { checkNotebook, notebookCheckText, progressLine, publicChecksSetup, type NotebookCheck } from "../../grading/check-notebooks";
import { listNotebooks } from "../../notebook/run-notebooks";

export const checkCommand = defineCommand({
  name: "check",
  summary: "run the public checks of your notebooks' answer cells; exit 1 while any fails",
  description:
    "Compiles the answer cells of each notebook as the grader does and runs the public tests on them: the same\n" +
    "table as `await check(...)` in the notebook, then one line per lab (\"Lab 2: 3 of 8 public checks pass\").\n" +
    "The notebooks are only read: save them in Jupyter first. Hidden tests run when you submit.\n" +
    "Without arguments, checks every notebook in notebooks/. Exit code 0 when every public check passes, else 1.",
  positionals: { name: "NOTEBOOK", description: "notebooks to check (default: notebooks/*.ipynb)" },
  flags: [],
  examples: ["efflab check", "efflab check notebooks/02-adam.ipynb", "efflab check --json"],
  async run(args, io) {
    if (args.positionals.length === 0 && !fs.existsSync(path.resolve("notebooks"))) {
      io.err(`efflab check: no notebooks/ folder in ${process.cwd()}. Run it in the labs' folder, or name notebooks: efflab check notebooks/02-adam.ipynb.`);
      return 2;
    }
    const notebooks = args.positionals.length > 0 ? args.positionals.map((p) => path.resolve(p)) : listNotebooks(path.resolve("notebooks"));
    const absent = notebooks.filter((n) => !fs.existsSync(n));
    if (absent.length > 0) {
      io.err(`efflab check: no such notebook: ${absent.join(", ")}. Give the path of a saved .ipynb file, e.g. notebooks/02-adam.ipynb.`);
      return 2;
    }
    const loaded = publicChecksSetup();
    const checks: NotebookCheck[] = [];
    for (const notebook of notebooks) {
      const result = await checkNotebook(notebook, loaded);
      checks.push(result);
      if (!args.json && result.total > 0) io.out(`── ${result.lab}: ${path.relative(process.cwd(), notebook) || notebook} ──\n\n${notebookCheckText(result)}\n`);
    }
    const graded = checks.filter((c) => c.total > 0);
    const passed = graded.reduce((s, c) => s + c.passed, 0);
    const total = graded.reduce((s, c) => s + c.total, 0);
    if (args.json) {
      io.out(JSON.stringify({ passed, total, notebooks: checks.map((c) => ({ notebook: c.notebook, lab: c.lab, passed: c.passed, total: c.total, notes: c.notes, questions: c.reports })) }, null, 2));
    } else {
      for (const c of graded) io.out(progressLine(c));
      io.out(graded.length === 0 ? "No graded questions in these notebooks." : `${passed} of ${total} public checks pass${passed === total ? "; hidden tests run when you submit" : ""}.`);
    }
    return passed === total ? 0 : 1;
  },
});
