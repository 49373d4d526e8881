/**
 * Showing a figure in a notebook: `showPlot(fig)`.
 *
 * The kernel cannot run plotly.js, so it sends the figure's JSON and lets the page
 * draw it. Pages come and go while a kernel lives on (a reload, a second tab, Open
 * OnDemand's proxy reconnecting, a notebook reopened from disk), so every output
 * must be able to draw itself on its own, with no network. Each figure is therefore
 * one display bundle with three representations, and the frontend shows the richest
 * it can render (Jupyter messaging spec, "display_data"):
 * - `application/vnd.plotly.v1+json`: the figure itself. JupyterLab with plotly's
 *   renderer extension (`jupyterlab-plotly`, shipped by the Python `plotly` package)
 *   and VS Code draw it natively, from a reload or a reopened file alike.
 * - `text/html`: a `<div>` and a small script that draws the figure with
 *   `window.Plotly`. When the page has no plotly.js yet, the script fetches it once
 *   from the Jupyter server itself: `efflab kernel install` copies plotly.min.js into
 *   the per-user Jupyter data folder, next to the kernelspec, where JupyterLab 4
 *   serves it under `lab/extensions/` and classic Notebook 6 under `nbextensions/`
 *   (plotly-bundle.ts). This is what classic Notebook and a JupyterLab without
 *   jupyterlab-plotly show. We chose a served file over the alternatives: inlining
 *   plotly.js in an output reaches only the page that ran it and adds 4.8 MB to the
 *   notebook; a JupyterLab renderer extension would need a build we cannot ship in
 *   npm's node_modules and does nothing for classic Notebook. `efflab export` and
 *   `savePlot` inline plotly.js once in the page they write.
 * - `text/plain`: one line for `efflab run` logs and terminals.
 * Each output carries only its figure (kilobytes), so saved notebooks stay small.
 */
import { randomBytes } from "node:crypto";
import { displayBundle } from "./display";
import type { Figure } from "./figure";
import { SERVED_PLOTLY_PATHS } from "./plotly-bundle";

/** The MIME type of plotly figures (plotly's renderers for JupyterLab and VS Code). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

export interface ShowPlotOptions {
  /** Height in pixels. @default 420 */
  readonly height?: number;
}

/**
 * Kept so notebooks that call it still run. Every plot now loads plotly.js itself
 * when its page lacks it, so there is nothing to reload.
 * @deprecated not needed any more
 */
export function reloadPlotly(): void {}

/** One line describing a figure, for logs and text-only frontends. */
export function describeFigure(fig: Figure): string {
  const title = typeof fig.layout.title === "string" ? fig.layout.title : fig.layout.title?.text;
  const kinds = [...new Set(fig.data.map((t) => t.type ?? "scatter"))].join(", ");
  return `[plot${title ? `: ${title}` : ""} — ${fig.data.length} trace(s) (${kinds}); shown interactively in JupyterLab]`;
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/**
 * The page-side loader, shared by every plot of a page: resolves to `window.Plotly`,
 * fetching plotly.js from the Jupyter server on first use. The URL starts at the
 * server's base URL, which JupyterLab states in `#jupyter-config-data` and classic
 * Notebook in `<body data-base-url>`. The source runs with `define`, `module` and
 * `exports` hidden, so the UMD bundle sets `window.Plotly` even where require.js is
 * loaded (classic Notebook). A failed load is forgotten, so a later plot tries again.
 */
const PAGE_LOADER =
  `function loadPlotly(){if(window.Plotly)return Promise.resolve(window.Plotly);if(window.efflabPlotly)return window.efflabPlotly;` +
  `var c=document.getElementById("jupyter-config-data"),base=document.body.getAttribute("data-base-url")||"/";` +
  `if(c){try{base=JSON.parse(c.textContent).baseUrl||base;}catch(e){}}` +
  `var paths=c?[${scriptJson(SERVED_PLOTLY_PATHS.lab)},${scriptJson(SERVED_PLOTLY_PATHS.notebook)}]:[${scriptJson(SERVED_PLOTLY_PATHS.notebook)},${scriptJson(SERVED_PLOTLY_PATHS.lab)}];` +
  `var urls=paths.map(function(p){return base.replace(/\\/?$/,"/")+p;});` +
  `var p=urls.reduce(function(prev,url){return prev.catch(function(){return fetch(url,{credentials:"same-origin"}).then(function(r){` +
  `if(!r.ok)throw new Error(url+" answered HTTP "+r.status);return r.text();});});},Promise.reject(new Error("none tried")))` +
  `.then(function(src){if(!window.Plotly)new Function("define","module","exports",src).call(window);` +
  `if(!window.Plotly)throw new Error("plotly.js did not define window.Plotly");return window.Plotly;},` +
  `function(e){throw new Error("tried "+urls.join(" and ")+" ("+e.message+")");});` +
  `window.efflabPlotly=p;p.catch(function(){window.efflabPlotly=undefined;});return p;}`;

/** The HTML that draws `fig`, loading plotly.js from the Jupyter server if the page lacks it. */
export function figureHtml(fig: Figure, options: ShowPlotOptions = {}): string {
  const id = `efflab-plot-${randomBytes(6).toString("hex")}`;
  const height = options.height ?? 420;
  const help =
    "This figure cannot be drawn: plotly.js is not in this page and the Jupyter server does not serve it. " +
    "In a terminal, in the workbook folder, run <code>npx efflab kernel install</code> (it places plotly.js " +
    "next to the kernel for JupyterLab and Notebook), then reload this page. Details: ";
  return (
    `<div id="${id}" class="efflab-plot" style="width:100%;height:${height}px"></div>` +
    `<script>(function(){var fig=${scriptJson(fig)},tries=0;${PAGE_LOADER}` +
    `function fail(text){var el=document.getElementById("${id}");if(el){el.style.height="auto";` +
    `el.innerHTML='<div style="padding:8px;border:1px solid #c00;color:#900;font-family:sans-serif">'+text+'</div>';}}` +
    // The output may not be in the document yet (JupyterLab attaches it after running
    // its scripts, and lazily for cells out of view): wait for it, up to a minute.
    `function draw(P){var el=document.getElementById("${id}");if(!el){if(++tries<600)setTimeout(function(){draw(P);},100);return;}` +
    `P.newPlot(el,fig.data,fig.layout,{responsive:true,displaylogo:false})` +
    `.catch(function(e){fail("This figure could not be drawn: "+String(e&&e.message||e));});}` +
    `loadPlotly().then(draw,function(e){fail(${scriptJson(help)}+String(e&&e.message||e));});})();</script>`
  );
}

/**
 * Show a figure in the notebook (or describe it on stdout outside a kernel).
 * @example
 *   showPlot(lossCurveFigure(history));
 */
export function showPlot(fig: Figure, options: ShowPlotOptions = {}): void {
  validateFigure(fig);
  const height = options.height ?? 420;
  displayBundle({
    [PLOTLY_MIME]: { data: fig.data, layout: { height, ...fig.layout } },
    "text/html": figureHtml(fig, options),
    "text/plain": describeFigure(fig),
  });
}

/** Catch figures that plotly would draw blank, with a message that says why. */
export function validateFigure(fig: Figure): void {
  if (!fig || !Array.isArray(fig.data) || typeof fig.layout !== "object" || fig.layout === null) {
    throw new Error("Expected a figure { data: Trace[], layout: {...} } (see src/plot/figure.ts).");
  }
  fig.data.forEach((trace, i) => {
    // x and y pair up point by point only in scatter (the default type) and bar traces;
    // a heat map's x and y label its columns and rows.
    const paired = trace.type === undefined || trace.type === "scatter" || trace.type === "scattergl" || trace.type === "bar";
    if (paired && trace.x !== undefined && trace.y !== undefined && Array.isArray(trace.x) && Array.isArray(trace.y)) {
      if (trace.x.length !== trace.y.length) {
        throw new Error(`Trace ${i}${trace.name ? ` ("${trace.name}")` : ""} has ${trace.x.length} x values but ${trace.y.length} y values.`);
      }
    }
  });
}
