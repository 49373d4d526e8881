/**
 * `efflab start` (`npm start`): open the workbook in JupyterLab 4.
 *
 * JupyterLab comes from `ensureJupyterLab` (src/kernel/jupyterlab.ts): an installed
 * one, or, when none is found and Python is, a project-local `.venv-jupyter/` made on
 * the spot, so `npm install && npm start` is the whole set-up. Classic Notebook is
 * the fallback only when JupyterLab cannot be installed. The kernel is registered
 * (again) before starting, so the JupyterLab found sees it.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import type { CommandSpec } from "../command";
import { ensureJupyterLab } from "../../kernel/jupyterlab";
import { installKernel } from "../../kernel/kernelspec";
import { findJupyter, hasJupyterApp } from "../../kernel/jupyter-tools";
import { WORKBOOK_ROOT } from "../../notebook/run-notebooks";

/** Whether a browser window can be opened here (Linux without a display cannot). */
export function canOpenBrowser(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  if (platform !== "linux") return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY) && !env.SSH_CONNECTION;
}

/** The URL with the token, from the lines Jupyter prints while starting. */
export function serverUrlFrom(log: string): string | undefined {
  return /(https?:\/\/(?:127\.0\.0\.1|localhost)[^\s]*\?token=\w+)/.exec(log)?.[1];
}

export const startCommand: CommandSpec = {
  name: "start",
  summary: "open notebooks/ in JupyterLab (installing it into .venv-jupyter/ if missing)",
  flags: [{ name: "no-browser", type: "boolean", description: "do not open a browser (on a remote machine); print the URL" }],
  supportsJson: false,
  examples: ["npm start", "efflab start --no-browser"],
  async run(args, io) {
    let jupyter: string;
    let app: "lab" | "notebook" = "lab";
    try {
      jupyter = (await ensureJupyterLab(WORKBOOK_ROOT, (line) => io.out(line))).jupyter;
    } catch (error) {
      const classic = findJupyter();
      if (!classic || !hasJupyterApp(classic, "notebook")) {
        io.err((error as Error).message);
        return 1;
      }
      io.out(`${(error as Error).message}\nUsing classic Notebook (${classic}) instead.`);
      jupyter = classic;
      app = "notebook";
    }
    const kernel = installKernel({ root: WORKBOOK_ROOT });
    io.out(`Kernel "${kernel.displayName}" registered in ${kernel.dir}.`);

    const notebooks = path.join(WORKBOOK_ROOT, "notebooks");
    const browser = !args.flags.noBrowser && canOpenBrowser();
    const extra = browser ? [] : ["--no-browser"];
    if (typeof process.getuid === "function" && process.getuid() === 0) {
      io.err("Warning: running as root; starting Jupyter with --allow-root (use a normal account where you can).");
      extra.push("--allow-root");
    }
    io.out(`Starting ${app === "lab" ? "JupyterLab" : "classic Notebook"} (${jupyter}) in ${notebooks}; pick the kernel "${kernel.displayName}". Ctrl+C stops it.`);
    const child = spawn(jupyter, [app, `--notebook-dir=${notebooks}`, ...extra], { stdio: ["inherit", "inherit", "pipe"] });
    // Jupyter logs to stderr: pass it through, and name the URL to open when no browser will.
    let log = "";
    let told = false;
    child.stderr!.on("data", (d: Buffer) => {
      process.stderr.write(d);
      if (browser || told) return;
      log += d.toString();
      const url = serverUrlFrom(log);
      if (url) {
        told = true;
        io.out(`\nOpen this URL in a browser: ${url}\n`);
      }
    });
    const stop = () => child.kill("SIGINT");
    process.once("SIGTERM", stop);
    return await new Promise<number>((resolve) =>
      child.on("close", (code) => {
        process.off("SIGTERM", stop);
        resolve(code ?? 0);
      }),
    );
  },
};
