/**
 * `efflab export NOTEBOOK --slides OUT`: a lab as a reveal.js slide deck in one
 * HTML file, for walking through it in a lecture with no network.
 *
 * nbconvert's `slides` exporter cuts the deck where cells say so in
 * `metadata.slideshow.slide_type` (Jupyter's "Slideshow" cell toolbar). Our labs
 * carry no such metadata, so `planSlides` derives a plan from their structure: a
 * new slide at each `#`/`##` heading, a sub-slide (↓) at each `###` heading and at
 * each cell that draws a plot. A notebook whose author set any slide type is
 * exported with the author's plan, unchanged.
 *
 * The stock reveal template loads jQuery, require.js and reveal.js from a CDN. Our
 * template (data/nbconvert/efflab-slides) leaves those out; here reveal.js and its
 * CSS are inlined from node_modules/reveal.js, MathJax 3 as for the HTML export.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inlineScriptText } from "../plot/display";
import { makeSelfContained, nbconvert, prepareExport, writeExport, type ExportOptions, type ExportResult } from "./export-html";

/** nbconvert's slide types: a new slide, a sub-slide below it, or part of the current one ("-"). */
export type SlideType = "slide" | "subslide" | "fragment" | "skip" | "notes" | "-";

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata?: { slideshow?: { slide_type?: string }; [key: string]: unknown };
  outputs?: { data?: Record<string, unknown> }[];
}

interface Notebook {
  cells: Cell[];
  [key: string]: unknown;
}

const text = (source: string | string[]): string => (Array.isArray(source) ? source.join("") : source);

/** The level of the first Markdown heading in a cell's first line (0 if none). */
function headingLevel(cell: Cell): number {
  if (cell.cell_type !== "markdown") return 0;
  const first = text(cell.source).trimStart().split("\n", 1)[0] ?? "";
  const match = /^(#{1,6})\s/.exec(first);
  return match ? match[1]!.length : 0;
}

/** Whether a code cell's outputs include one of our plots (src/plot/show.ts). */
function drawsPlot(cell: Cell): boolean {
  return (cell.outputs ?? []).some((o) => {
    const html = o.data?.["text/html"];
    return html !== undefined && /class="efflab-plot"/.test(text(html as string | string[]));
  });
}

/** Whether the notebook's author already chose where slides begin. */
export function hasSlidePlan(cells: readonly Cell[]): boolean {
  return cells.some((c) => typeof c.metadata?.slideshow?.slide_type === "string");
}

/**
 * Where each cell goes in the deck: `#`/`##` headings open slides, `###` headings
 * and plot cells open sub-slides (a plot gets the screen with the code that drew it),
 * everything else continues the current one. The first cell always opens a slide.
 */
export function planSlides(cells: readonly Cell[]): SlideType[] {
  return cells.map((cell, i) => {
    const level = headingLevel(cell);
    if (i === 0 || level === 1 || level === 2) return "slide";
    if (level === 3 || (cell.cell_type === "code" && drawsPlot(cell))) return "subslide";
    return "-";
  });
}

/** A copy of the notebook with the plan written into each cell's metadata. */
export function withSlidePlan(notebook: Notebook): Notebook {
  if (hasSlidePlan(notebook.cells)) return notebook;
  const plan = planSlides(notebook.cells);
  return {
    ...notebook,
    cells: notebook.cells.map((cell, i) => ({
      ...cell,
      metadata: { ...(cell.metadata ?? {}), slideshow: { slide_type: plan[i]! } },
    })),
  };
}

/** The URL prefix our template's reveal links carry until their files are inlined. */
const REVEAL_PREFIX = "efflab-reveal";
const TEMPLATE_DIR = path.resolve(__dirname, "..", "..", "data", "nbconvert");

/** A reveal.js file from node_modules, for inlining. */
function revealFile(relative: string): string {
  const root = path.dirname(require.resolve("reveal.js/package.json"));
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep)) throw new Error(`not a reveal.js file: ${relative}`);
  return fs.readFileSync(file, "utf8");
}

/**
 * The deck's start-up: reveal.js at a lecture-hall size, and plots resized when
 * their slide appears (a plot on a slide that was hidden at load time is drawn at
 * Plotly's default 700 px, not the slide's width).
 */
const SLIDES_INIT = `
Reveal.initialize({ controls: true, progress: true, hash: true, slideNumber: "c/t", transition: "slide",
  width: 1280, height: 860, margin: 0.04, center: false });
function efflabResizePlots(slide) {
  if (!window.Plotly || !slide) return;
  slide.querySelectorAll(".efflab-plot").forEach(function (el) { if (el.data) window.Plotly.Plots.resize(el); });
}
Reveal.on("ready", function (event) { efflabResizePlots(event.currentSlide); });
Reveal.on("slidechanged", function (event) { efflabResizePlots(event.currentSlide); });
`;

/** Long slides scroll instead of running off the bottom; text reads left-aligned like the notebook. */
const SLIDES_CSS = `
.reveal .slides section { height: 100%; overflow-y: auto; text-align: left; }
.reveal .slides section.stack { overflow-y: visible; }
`;

/** Inline reveal.js's CSS and script into nbconvert's slides page, and MathJax 3. */
export function inlineReveal(page: string): string {
  const withCss = page.replace(
    new RegExp(`<link\\b[^>]*href="${REVEAL_PREFIX}/([^"]+)"[^>]*>`, "g"),
    // Theme CSS @imports its web fonts by relative URL: drop them (the deck uses the system sans-serif).
    (_tag, file: string) => `<style>${revealFile(file).replace(/@import\s+url\([^)]*\);?/g, "")}</style>`,
  );
  const selfContained = makeSelfContained(withCss);
  const deck = selfContained
    .replace('<script data-efflab-inline="reveal.js"></script>', () => `<script>${inlineScriptText(revealFile("dist/reveal.js"))}</script>`)
    .replace('<script data-efflab-inline="slides-init"></script>', () => `<style>${SLIDES_CSS}</style>\n<script>${SLIDES_INIT}</script>`);
  if (deck.includes(REVEAL_PREFIX) || deck.includes("data-efflab-inline")) {
    throw new Error("nbconvert's slides page did not have the expected shape (a reveal.js link or marker was left); is nbconvert 6 or 7 installed?");
  }
  return deck;
}

/**
 * Export `notebook` as a self-contained reveal.js deck at `out` (must end in .html).
 * The notebook itself is never modified.
 */
export async function exportNotebookSlides(notebook: string, out: string, options: ExportOptions = {}): Promise<ExportResult> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-slides-"));
  try {
    const { source, executed, python } = await prepareExport(notebook, out, scratch, options);
    // Same file name as the notebook, so that the deck's title is the notebook's name.
    fs.mkdirSync(path.join(scratch, "deck"));
    const planned = path.join(scratch, "deck", path.basename(notebook));
    const json = JSON.parse(fs.readFileSync(source, "utf8")) as Notebook;
    fs.writeFileSync(planned, JSON.stringify(withSlidePlan(json)));
    const page = await nbconvert(python, [
      "--to",
      "slides",
      `--TemplateExporter.extra_template_basedirs=${TEMPLATE_DIR}`,
      "--template",
      "efflab-slides",
      `--SlidesExporter.reveal_url_prefix=${REVEAL_PREFIX}`,
      planned,
    ]);
    return writeExport(out, inlineReveal(page), executed);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
