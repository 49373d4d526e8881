/** `efflab run [NOTEBOOK...]`: execute notebooks headless and fail on any error. */
import * as path from "node:path";
import { defineCommand } from "../command";
import { formatRun, listNotebooks, runNotebook, type NotebookRun } from "../../notebook/run-notebooks";

export const runCommand = defineCommand({
  name: "run",
  summary: "execute notebooks headless on the workbook kernel; fail on any error",
  description:
    "Runs each notebook top to bottom through Jupyter's nbclient, on the kernel \"TypeScript (AI Efficiency Labs)\".\n" +
    "A cell fails on a thrown error, a type error, an aborted execution, stderr output or a timeout\n" +
    "(tag a cell `raises-exception` to allow an error on purpose). Executed copies go to .efflab/executed/;\n" +
    "your notebooks are not modified. Without arguments, runs every notebook in notebooks/.",
  positionals: { name: "NOTEBOOK", description: "notebooks to run (default: notebooks/*.ipynb)" },
  flags: [
    { name: "timeout", type: "integer", description: "seconds one cell may run", default: 600, min: 1, placeholder: "SEC" },
    { name: "out", type: "string", description: "folder for the executed copies", placeholder: "DIR" },
    { name: "kernel", type: "string", description: "kernelspec name", default: "ai-efficiency-labs", placeholder: "NAME" },
  ],
  examples: ["efflab run", "efflab run notebooks/00-welcome.ipynb", "efflab run notebooks/*.ipynb --json"],
  async run(args, io) {
    const notebooks = args.positionals.length > 0 ? args.positionals.map((p) => path.resolve(p)) : listNotebooks();
    const runs: NotebookRun[] = [];
    for (const notebook of notebooks) {
      const result = await runNotebook(notebook, {
        cellTimeout: args.flags.timeout,
        kernel: args.flags.kernel,
        outDir: args.flags.out === undefined ? undefined : path.resolve(args.flags.out),
      });
      runs.push(result);
      if (!args.json) io.out(formatRun(result));
    }
    const failed = runs.filter((r) => !r.ok).length;
    if (args.json) io.out(JSON.stringify({ ok: failed === 0, notebooks: runs }, null, 2));
    else {
      const unchecked = runs.filter((r) => r.ok && r.checks !== undefined && r.checks.passed < r.checks.total).length;
      const checks = unchecked > 0 ? `; ${unchecked} of them with public checks failing (efflab check says which)` : "";
      io.out(`${runs.length - failed} passed, ${failed} failed${checks}`);
    }
    return failed === 0 ? 0 : 1;
  },
});
