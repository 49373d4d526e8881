/**
 * plotly.js for pages we produce, from node_modules, never a CDN.
 *
 * We use the minified bundle (plotly.js-dist-min, ~4.8 MB: half the size of
 * plotly.js-dist's unminified build, same code) so notebooks, exports and saved
 * plots work with no network, e.g. on a compute node. It reaches a page in one of
 * two ways:
 * - inlined once in a page we write ourselves (`savePlot`, `efflab export`);
 * - in a notebook, fetched from the Jupyter server, which serves a copy that
 *   `efflab kernel install` (run by `npm install`) places in the per-user Jupyter data
 *   folder next to the kernelspec (see `installServedPlotly` and src/plot/show.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { inlineScriptText } from "./display";

let cached: string | undefined;

/** The file plotly.min.js in node_modules. */
export function plotlyFile(): string {
  return require.resolve("plotly.js-dist-min/plotly.min.js");
}

/** The text of plotly.min.js. */
export function plotlySource(): string {
  cached ??= fs.readFileSync(plotlyFile(), "utf8");
  return cached;
}

/** plotly.js's version, as its bundle states it. */
export function plotlyVersion(): string {
  return /plotly\.js v([0-9.]+)/.exec(plotlySource().slice(0, 200))?.[1] ?? "unknown";
}

/**
 * A `<script>` that defines `window.Plotly`. While it runs, `define` and `module` are
 * hidden: classic Notebook and VS Code load require.js, and a UMD bundle that sees
 * an AMD `define` (or a CommonJS `module`) registers itself there instead of on
 * `window` (DESIGN.md, "The kernel ... traps").
 */
export function plotlyLoaderScript(): string {
  const source = inlineScriptText(plotlySource());
  return (
    "<script>(function(){if(window.Plotly)return;" +
    "var d=window.define,m=window.module;window.define=undefined;window.module=undefined;" +
    "try{\n" +
    source +
    "\n}finally{window.define=d;window.module=m;}})();</script>"
  );
}

/**
 * Where Jupyter servers serve plotly.js from once `installServedPlotly` has run, as
 * paths below the server's base URL (`/` on a laptop, `/node/<host>/<port>/` behind
 * Open OnDemand's proxy). Both servers serve these folders of every Jupyter data
 * directory (per user included) as static files, checked on this machine:
 * - JupyterLab 4 (jupyterlab_server): `<data>/labextensions/<dir>/…` at
 *   `lab/extensions/<dir>/…`. A folder without a package.json is not an extension,
 *   so JupyterLab serves the file and loads nothing else from it.
 * - classic Notebook 6: `<data>/nbextensions/…` at `nbextensions/…`.
 */
export const SERVED_PLOTLY_PATHS = {
  lab: "lab/extensions/ai-efficiency-labs/static/plotly.min.js",
  notebook: "nbextensions/ai-efficiency-labs/plotly.min.js",
} as const;

/** The files, inside a Jupyter data directory, that the two servers serve. */
export function servedPlotlyFiles(dataDir: string): { lab: string; notebook: string } {
  return {
    lab: path.join(dataDir, "labextensions", "ai-efficiency-labs", "static", "plotly.min.js"),
    notebook: path.join(dataDir, "nbextensions", "ai-efficiency-labs", "plotly.min.js"),
  };
}

/**
 * Copy plotly.min.js into `dataDir` for JupyterLab and classic Notebook to serve.
 * Copies, not links: they survive moving or deleting one checkout, and the folders
 * stay readable when a server follows no symlinks. Idempotent. Returns the files.
 */
export function installServedPlotly(dataDir: string): string[] {
  const files = Object.values(servedPlotlyFiles(dataDir));
  for (const file of files) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(plotlyFile(), file);
  }
  return files;
}

/** Remove what `installServedPlotly` wrote. */
export function uninstallServedPlotly(dataDir: string): void {
  for (const file of Object.values(servedPlotlyFiles(dataDir))) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  fs.rmSync(path.join(dataDir, "labextensions", "ai-efficiency-labs"), { recursive: true, force: true });
}
