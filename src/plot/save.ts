/** `savePlot(fig, "loss.html")`: a standalone, offline page with one interactive figure. */
import * as fs from "node:fs";
import * as path from "node:path";
import { escapeHtml } from "./display";
import type { Figure } from "./figure";
import { plotlyLoaderScript } from "./plotly-bundle";
import { describeFigure, figureHtml, validateFigure } from "./show";

/**
 * Write `fig` as a self-contained HTML page (plotly.js inlined: opens without network).
 * Only `.html` files are written, so a typo cannot overwrite a notebook or source file.
 * @returns the absolute path written
 */
export function savePlot(fig: Figure, file: string): string {
  validateFigure(fig);
  if (path.extname(file).toLowerCase() !== ".html") {
    throw new Error(`savePlot writes HTML pages only: give a file name ending in .html, got "${file}".`);
  }
  const title = escapeHtml(describeFigure(fig));
  const page =
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head>\n<body>\n` +
    plotlyLoaderScript() +
    "\n" +
    figureHtml(fig, { height: 600 }) +
    "\n</body></html>\n";
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, page);
  return target;
}
