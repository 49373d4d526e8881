/**
 * plotly.js for pages we produce, from node_modules, never a CDN.
 *
 * We inline the minified bundle (plotly.js-dist-min, ~4.8 MB: half the size of
 * plotly.js-dist's unminified build, same code) so notebooks, exports and saved
 * plots work with no network, e.g. on a compute node.
 */
import * as fs from "node:fs";
import { inlineScriptText } from "../notebook/display";

let cached: string | undefined;

/** The text of plotly.min.js. */
export function plotlySource(): string {
  cached ??= fs.readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
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
