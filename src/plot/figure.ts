/**
 * A plotly figure as plain data: what the kernel builds and the browser draws.
 *
 * plotly.js itself cannot run inside the kernel (it needs a browser), so every
 * figure builder in `src/plot/` returns this JSON, and `showPlot` / `savePlot`
 * hand it to plotly.js in the notebook page or in a standalone HTML file.
 * Field names follow plotly's figure reference (https://plotly.com/javascript/reference/).
 */

/** One trace (a line, a bar series, a heat map, ...). Plotly's own keys. */
export interface Trace {
  readonly type?: string;
  readonly name?: string;
  readonly x?: readonly unknown[];
  readonly y?: readonly unknown[];
  readonly [key: string]: unknown;
}

export interface Axis {
  readonly title?: { readonly text: string } | string;
  readonly type?: "linear" | "log" | "category" | "date";
  readonly [key: string]: unknown;
}

export interface Layout {
  readonly title?: { readonly text: string } | string;
  readonly xaxis?: Axis;
  readonly yaxis?: Axis;
  readonly [key: string]: unknown;
}

/** A complete figure: traces plus layout. Every figure we build titles its axes with units. */
export interface Figure {
  readonly data: readonly Trace[];
  readonly layout: Layout;
}
