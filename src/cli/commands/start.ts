/** `efflab start` (`npm start`): open the workbook in JupyterLab, or classic Notebook. */
import { spawn } from "node:child_process";
import * as path from "node:path";
import type { CommandSpec } from "../command";
import { findJupyter, hasJupyterApp, JUPYTER_INSTALL_HINT } from "../../notebook/jupyter-tools";
import { WORKBOOK_ROOT } from "../../notebook/run-notebooks";

export const startCommand: CommandSpec = {
  name: "start",
  summary: "open notebooks/ in JupyterLab (or classic Notebook if JupyterLab is not installed)",
  flags: [{ name: "no-browser", type: "boolean", description: "do not open a browser (on a remote machine)" }],
  supportsJson: false,
  examples: ["npm start", "efflab start --no-browser"],
  async run(args, io) {
    const jupyter = findJupyter();
    if (!jupyter) {
      io.err(`Jupyter was not found on PATH; ${JUPYTER_INSTALL_HINT}.`);
      return 1;
    }
    const app = hasJupyterApp(jupyter, "lab") ? "lab" : "notebook";
    const notebooks = path.join(WORKBOOK_ROOT, "notebooks");
    const extra = args.flags.noBrowser ? ["--no-browser"] : [];
    io.out(`Starting Jupyter ${app === "lab" ? "Lab" : "Notebook"} in ${notebooks} — pick the kernel "TypeScript (AI Efficiency Labs)".`);
    const child = spawn(jupyter, [app, `--notebook-dir=${notebooks}`, ...extra], { stdio: "inherit" });
    return await new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 0)));
  },
};
