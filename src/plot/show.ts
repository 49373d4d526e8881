/**
 * Showing a figure in a notebook: `showPlot(fig)`.
 *
 * The kernel cannot run plotly.js, so it sends HTML: a `<div>` and a script that
 * calls `Plotly.newPlot` with the figure's JSON. plotly.js itself is sent once per
 * kernel session, inlined in the first plot's output (see plotly-bundle.ts); later
 * plots wait for `window.Plotly`. Saved, trusted notebooks redraw on reopening because
 * the first plot's output carries the library. If plotly.js never arrives (e.g. the
 * first plot's output was cleared), the cell says so and how to fix it, instead of
 * staying blank. The text/plain part describes the figure for `efflab run` logs.
 */
import { randomBytes } from "node:crypto";
import { displayBundle } from "../notebook/display";
import type { Figure } from "./figure";
import { plotlyLoaderScript } from "./plotly-bundle";

export interface ShowPlotOptions {
  /** Height in pixels. @default 420 */
  readonly height?: number;
}

let plotlySent = false;

/** Send plotly.js with the next figure again (after clearing outputs, say). */
export function reloadPlotly(): void {
  plotlySent = false;
}

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

/** The HTML that draws `fig` (without plotly.js itself). */
export function figureHtml(fig: Figure, options: ShowPlotOptions = {}): string {
  const id = `efflab-plot-${randomBytes(6).toString("hex")}`;
  const height = options.height ?? 420;
  const help =
    "plotly.js is not loaded in this page, so this figure cannot be drawn. " +
    "Run the notebook's cells again from the top (Kernel → Restart and Run All), " +
    "or run <code>lab.reloadPlotly()</code> and then this cell.";
  return (
    `<div id="${id}" class="efflab-plot" style="width:100%;height:${height}px"></div>` +
    `<script>(function(){var fig=${scriptJson(fig)},tries=0;` +
    `function fail(text){var el=document.getElementById("${id}");if(el){el.style.height="auto";` +
    `el.innerHTML='<div style="padding:8px;border:1px solid #c00;color:#900;font-family:sans-serif">'+text+'</div>';}}` +
    `function draw(){var el=document.getElementById("${id}");if(!el)return;` +
    `if(window.Plotly){window.Plotly.newPlot(el,fig.data,fig.layout,{responsive:true,displaylogo:false})` +
    `.catch(function(e){fail("This figure could not be drawn: "+String(e&&e.message||e));});return;}` +
    `if(++tries>150){fail(${scriptJson(help)});return;}setTimeout(draw,100);}` +
    `draw();})();</script>`
  );
}

/**
 * Show a figure in the notebook (or describe it on stdout outside a kernel).
 * @example
 *   showPlot(lossCurveFigure(history));
 */
export function showPlot(fig: Figure, options: ShowPlotOptions = {}): void {
  validateFigure(fig);
  const loader = plotlySent ? "" : plotlyLoaderScript();
  displayBundle({ "text/html": loader + figureHtml(fig, options), "text/plain": describeFigure(fig) });
  plotlySent = true;
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
