/**
 * Finding the Jupyter pieces that live outside npm: a Python 3 with nbclient (to run
 * notebooks headless) and the `jupyter` launcher (for `npm start`).
 *
 * On Debian/Ubuntu: `apt-get install jupyter-notebook python3-nbclient python3-nbconvert`.
 * With pip: `pip install --user notebook nbclient nbconvert`. On Delta, the Open
 * OnDemand JupyterLab app brings its own Jupyter (docs/delta.md).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** How to get Jupyter, in one line, for error messages. */
export const JUPYTER_INSTALL_HINT =
  "install Jupyter: `sudo apt-get install jupyter-notebook python3-nbclient python3-nbconvert` (Debian/Ubuntu) " +
  "or `python3 -m pip install --user notebook nbclient nbconvert`";

/** Directories on PATH, plus the usual places a Python lives when PATH is minimal. */
function candidatePythons(env: NodeJS.ProcessEnv): string[] {
  const fromPath = (env.PATH ?? "").split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, "python3"));
  const list = [env.EFFLAB_PYTHON, "/usr/bin/python3", ...fromPath, "/usr/local/bin/python3"].filter(
    (p): p is string => typeof p === "string" && p.length > 0,
  );
  return [...new Set(list)].filter((p) => fs.existsSync(p));
}

/** A Python 3 interpreter that can `import nbclient`, or undefined. `$EFFLAB_PYTHON` wins. */
export function findNbclientPython(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const python of candidatePythons(env)) {
    const probe = spawnSync(python, ["-c", "import nbclient, nbformat"], { stdio: "ignore", timeout: 20_000 });
    if (probe.status === 0) return python;
  }
  return undefined;
}

/** The `jupyter` launcher next to a Python that has it, or on PATH. */
export function findJupyter(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? "").split(path.delimiter).filter(Boolean);
  for (const dir of [...dirs, "/usr/bin", "/usr/local/bin"]) {
    const candidate = path.join(dir, "jupyter");
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** `jupyter <sub> --version`-style probe: does `jupyter lab` / `jupyter notebook` exist? */
export function hasJupyterApp(jupyter: string, app: "lab" | "notebook"): boolean {
  const probe = spawnSync(jupyter, [app, "--version"], { stdio: "ignore", timeout: 30_000 });
  return probe.status === 0;
}
