/**
 * Finding JupyterLab 4, or installing it into a project-local virtual environment.
 *
 * `npm start`, `.ci/run` and the browser tests all go through `ensureJupyterLab`, so a
 * fresh laptop and a fresh CI machine get the same JupyterLab the same way:
 * 1. `$EFFLAB_JUPYTER` (a `jupyter` launcher), when set;
 * 2. the project's own environment, `.venv-jupyter/` in the checkout (git-ignored);
 * 3. a `jupyter` on PATH that has the `lab` app;
 * 4. otherwise, when a Python 3 with `venv` and pip exists: create `.venv-jupyter/` and
 *    `pip install jupyterlab` into it.
 * Step 4 asks pip for the package index configured in `pip config list`. When that
 * configuration names a local index (a `file:` URL, or one on localhost) only as an
 * extra index, pip would still try the public index first and, offline, retry it for
 * minutes; we pass the local one as `--index-url` so pip never does.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { findJupyter, hasJupyterApp } from "./jupyter-tools";

/** Folder of the project-local environment, inside the checkout. */
export const LOCAL_VENV = ".venv-jupyter";

export interface JupyterLabFound {
  /** The `jupyter` launcher. */
  readonly jupyter: string;
  /** Where it came from. */
  readonly source: "EFFLAB_JUPYTER" | "project venv" | "PATH" | "created";
}

/** The launcher inside a virtual environment. */
export function venvJupyter(venv: string): string {
  return path.join(venv, process.platform === "win32" ? "Scripts" : "bin", "jupyter");
}

/** An installed JupyterLab, without installing anything. */
export function findJupyterLab(root: string, env: NodeJS.ProcessEnv = process.env): JupyterLabFound | undefined {
  if (env.EFFLAB_JUPYTER && fs.existsSync(env.EFFLAB_JUPYTER)) return { jupyter: env.EFFLAB_JUPYTER, source: "EFFLAB_JUPYTER" };
  const local = venvJupyter(path.join(root, LOCAL_VENV));
  if (fs.existsSync(local) && hasJupyterApp(local, "lab")) return { jupyter: local, source: "project venv" };
  const onPath = findJupyter(env);
  if (onPath && hasJupyterApp(onPath, "lab")) return { jupyter: onPath, source: "PATH" };
  return undefined;
}

/** `jupyter lab --version`, e.g. "4.6.4", or undefined. */
export function jupyterLabVersion(jupyter: string): string | undefined {
  const result = spawnSync(jupyter, ["lab", "--version"], { encoding: "utf8", timeout: 30_000 });
  return result.status === 0 ? result.stdout.trim().split("\n").pop() : undefined;
}

/** Whether a URL names an index on this machine (so it is reachable offline). */
function isLocalIndex(url: string): boolean {
  return /^file:/.test(url) || /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(url);
}

/**
 * The `--index-url` to give pip, from `pip config list` output: the configured
 * index-url when there is one (pip uses it anyway: nothing to add), else the first
 * local extra index, else none (pip's default, the public index).
 */
export function localIndexUrl(pipConfigList: string): string | undefined {
  const values = (key: string) =>
    pipConfigList
      .split("\n")
      .map((line) => new RegExp(`^[^=]*\\.${key}='(.*)'$`).exec(line.trim())?.[1])
      .filter((v): v is string => v !== undefined)
      .flatMap((v) => v.split(/\s+/).filter(Boolean));
  if (values("index-url").length > 0) return undefined;
  return values("extra-index-url").find(isLocalIndex);
}

/** A Python 3 that can make a virtual environment with pip in it. */
export function findVenvPython(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const candidates = [env.EFFLAB_PYTHON, ...dirs.map((d) => path.join(d, "python3")), "/usr/bin/python3", "/usr/local/bin/python3"];
  for (const python of [...new Set(candidates)]) {
    if (!python || !fs.existsSync(python)) continue;
    const probe = spawnSync(python, ["-c", "import venv, ensurepip"], { stdio: "ignore", timeout: 20_000 });
    if (probe.status === 0) return python;
  }
  return undefined;
}

/** Run a command with its output shown (prefixed), resolving to its exit code. */
function runShown(command: string, args: readonly string[], log: (line: string) => void): Promise<number> {
  log(`$ ${[command, ...args].join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    const take = (d: Buffer) => {
      tail = (tail + d.toString()).slice(-4000);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", (error) => {
      log(error.message);
      resolve(127);
    });
    child.on("close", (code) => {
      if (code !== 0) log(tail.trim());
      resolve(code ?? 1);
    });
  });
}

/**
 * Create `<root>/.venv-jupyter` with JupyterLab in it (about a minute from a local
 * index). Returns the launcher, or throws with what to do.
 */
export async function createJupyterLabVenv(root: string, log: (line: string) => void, python = findVenvPython()): Promise<string> {
  if (!python) {
    throw new Error(
      "JupyterLab is not installed and no Python 3 with venv and pip was found to install it. " +
        "Install Python 3 (Debian/Ubuntu: `sudo apt-get install python3-venv`), or JupyterLab itself (`python3 -m pip install --user jupyterlab`).",
    );
  }
  const venv = path.join(root, LOCAL_VENV);
  log(`JupyterLab was not found: installing it into ${venv} (git-ignored; delete the folder to undo).`);
  if ((await runShown(python, ["-m", "venv", venv], log)) !== 0) throw new Error(`could not create ${venv} with ${python}.`);
  const venvPython = path.join(venv, process.platform === "win32" ? "Scripts" : "bin", "python");
  const config = spawnSync(venvPython, ["-m", "pip", "config", "list"], { encoding: "utf8", timeout: 30_000 });
  const index = localIndexUrl(config.stdout ?? "");
  if (index) log(`Using the local package index ${index} (from \`pip config list\`).`);
  const args = ["-m", "pip", "install", "--disable-pip-version-check", ...(index ? ["--index-url", index] : []), "jupyterlab"];
  if ((await runShown(venvPython, args, log)) !== 0) {
    fs.rmSync(venv, { recursive: true, force: true });
    throw new Error("pip could not install JupyterLab (its output is above); nothing was left behind.");
  }
  const jupyter = venvJupyter(venv);
  log(`Installed JupyterLab ${jupyterLabVersion(jupyter) ?? "(version unknown)"} in ${venv}.`);
  return jupyter;
}

/** JupyterLab to use: an installed one, or a freshly created project environment. */
export async function ensureJupyterLab(root: string, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<JupyterLabFound> {
  const found = findJupyterLab(root, env);
  if (found) return found;
  return { jupyter: await createJupyterLabVenv(root, log, findVenvPython(env)), source: "created" };
}

/** Where a `jupyter` launcher looks for data (kernels, lab extensions), from `jupyter --paths --json`. */
export function jupyterDataPaths(jupyter: string): string[] {
  const result = spawnSync(jupyter, ["--paths", "--json"], { encoding: "utf8", timeout: 30_000 });
  try {
    return (JSON.parse(result.stdout) as { data: string[] }).data;
  } catch {
    return [];
  }
}

/** plotly's JupyterLab renderer (`jupyterlab-plotly`): its version and folder, if installed. */
export function findPlotlyRenderer(dataPaths: readonly string[]): { version: string; dir: string } | undefined {
  for (const dir of dataPaths) {
    const file = path.join(dir, "labextensions", "jupyterlab-plotly", "package.json");
    if (!fs.existsSync(file)) continue;
    const { version } = JSON.parse(fs.readFileSync(file, "utf8")) as { version: string };
    return { version, dir: path.dirname(file) };
  }
  return undefined;
}
