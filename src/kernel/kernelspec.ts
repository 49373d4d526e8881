/**
 * The Jupyter kernelspec "TypeScript (AI Efficiency Labs)".
 *
 * A kernelspec is a folder `<jupyter data dir>/kernels/<name>/kernel.json` that tells
 * Jupyter how to start a kernel (https://jupyter-client.readthedocs.io/en/stable/kernels.html).
 * `tslab install` writes `argv: ["tslab", "kernel", ...]`, which only works when
 * `tslab` is on the PATH of the *Jupyter server*. On Open OnDemand that PATH is not
 * the login shell's, so node and tslab are not found. Ours uses absolute paths to
 * the node that ran `npm install` and to this checkout's tslab, installs per user
 * (no root), and has a name of its own so it never clobbers a plain tslab kernel.
 *
 * Next to it, in the same per-user data folder, goes a copy of plotly.js that
 * JupyterLab and classic Notebook serve to the notebook page, so plots draw in every
 * page without network (src/plot/plotly-bundle.ts, `installServedPlotly`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installServedPlotly, uninstallServedPlotly } from "../plot/plotly-bundle";

/** Folder name of the kernelspec (what `jupyter kernelspec list` shows). */
export const KERNEL_NAME = "ai-efficiency-labs";
/** What students pick in JupyterLab's kernel menu. */
export const KERNEL_DISPLAY_NAME = "TypeScript (AI Efficiency Labs)";

export interface KernelSpecFile {
  readonly argv: readonly string[];
  readonly display_name: string;
  readonly language: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface InstalledKernel {
  readonly name: string;
  readonly displayName: string;
  /** The kernelspec folder. */
  readonly dir: string;
  readonly spec: KernelSpecFile;
  /** The copies of plotly.js the Jupyter servers serve (absent when only read). */
  readonly servedPlotly?: readonly string[];
}

export interface KernelInstallOptions {
  /** The workbook checkout (holds node_modules/tslab). */
  readonly root: string;
  /** @default process.execPath (the node running this) */
  readonly node?: string;
  /** @default the per-user Jupyter data dir (see `jupyterDataDir`) */
  readonly dataDir?: string;
}

/**
 * The per-user Jupyter data directory, as jupyter_core computes it
 * (`jupyter --data-dir`): $JUPYTER_DATA_DIR, else on Linux $XDG_DATA_HOME/jupyter or
 * ~/.local/share/jupyter, on macOS ~/Library/Jupyter, on Windows %APPDATA%\jupyter.
 */
export function jupyterDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = env.HOME ?? os.homedir();
  if (platform === "darwin") return path.join(home, "Library", "Jupyter");
  if (platform === "win32") return path.join(env.APPDATA ?? path.join(home, "AppData", "Roaming"), "jupyter");
  return path.join(env.XDG_DATA_HOME || path.join(home, ".local", "share"), "jupyter");
}

/** The kernel.json contents for a checkout. */
export function kernelSpecFor(root: string, node: string = process.execPath): KernelSpecFile {
  const tslab = path.join(root, "node_modules", "tslab", "bin", "tslab");
  return {
    argv: [node, tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    metadata: { workbook: root },
  };
}

/** Write (or overwrite) the kernelspec; running it twice gives the same files. */
export function installKernel(options: KernelInstallOptions): InstalledKernel {
  const tslab = path.join(options.root, "node_modules", "tslab", "bin", "tslab");
  if (!fs.existsSync(tslab)) {
    throw new Error(`tslab is not installed at ${tslab}. Run \`npm install\` in ${options.root}.`);
  }
  const dir = path.join(options.dataDir ?? jupyterDataDir(), "kernels", KERNEL_NAME);
  const spec = kernelSpecFor(options.root, options.node);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  const logo = path.join(options.root, "node_modules", "tslab", "python", "logo-64x64.png");
  if (fs.existsSync(logo)) fs.copyFileSync(logo, path.join(dir, "logo-64x64.png"));
  const servedPlotly = installServedPlotly(options.dataDir ?? jupyterDataDir());
  return { name: KERNEL_NAME, displayName: KERNEL_DISPLAY_NAME, dir, spec, servedPlotly };
}

/** Remove the kernelspec. Returns the folder removed, or undefined if there was none. */
export function uninstallKernel(dataDir: string = jupyterDataDir()): string | undefined {
  const dir = path.join(dataDir, "kernels", KERNEL_NAME);
  uninstallServedPlotly(dataDir);
  if (!fs.existsSync(dir)) return undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  return dir;
}

/** Read the installed kernelspec, or undefined if it is not installed. */
export function readInstalledKernel(dataDir: string = jupyterDataDir()): InstalledKernel | undefined {
  const dir = path.join(dataDir, "kernels", KERNEL_NAME);
  const file = path.join(dir, "kernel.json");
  if (!fs.existsSync(file)) return undefined;
  const spec = JSON.parse(fs.readFileSync(file, "utf8")) as KernelSpecFile;
  return { name: KERNEL_NAME, displayName: spec.display_name, dir, spec };
}
