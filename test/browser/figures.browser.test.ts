/// <reference lib="dom" />
/**
 * Every figure the notebooks draw through the library (test/plot/notebook-figures.ts), drawn by
 * plotly.js from node_modules in headless Chromium: one screenshot per figure in
 * .efflab/browser/figures/, and a check that each one drew (traces in the SVG, its axis titles
 * and tick labels on the page, no tick label that is a bare minor-tick digit on a log axis).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { plotlySource } from "../../src/plot/plotly-bundle";
import type { Axis, Figure } from "../../src/plot/figure";
import { notebookFigures, type NotebookFigure } from "../plot/notebook-figures";
import { launchChromium } from "./chromium";
import { ROOT } from "./jupyter-server";

const OUT = path.join(ROOT, ".efflab", "browser", "figures");

let browser: Browser;
let page: Page;
let figures: NotebookFigure[];
beforeAll(async () => {
  figures = await notebookFigures();
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1000, height: 720 } });
  await page.setContent("<!DOCTYPE html><html><body style='margin:0'><div id='plot'></div></body></html>");
  await page.addScriptTag({ content: plotlySource() });
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

const titleOf = (axis: unknown): string => {
  const title = (axis as Axis | undefined)?.title;
  return typeof title === "string" ? title : (title?.text ?? "");
};

/** A file name from a figure's id and title: "05-6-interleaved-p-4-m-8.png". */
function fileName(id: string, figure: Figure): string {
  const title = typeof figure.layout.title === "string" ? figure.layout.title : (figure.layout.title?.text ?? "");
  return `${id}-${title.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 50)}.png`;
}

it("draws every notebook figure, with its axis titles and full-valued tick labels", async () => {
  expect(figures.length).toBeGreaterThan(30);
  for (const { id, figure, height } of figures) {
    const drawn = await page.evaluate(
      async ({ figure, height }) => {
        const el = document.getElementById("plot")!;
        const Plotly = (window as unknown as { Plotly: any }).Plotly; // eslint-disable-line @typescript-eslint/no-explicit-any
        Plotly.purge(el);
        el.style.width = "900px";
        el.style.height = `${height}px`;
        await Plotly.newPlot(el, figure.data, figure.layout, { displaylogo: false, staticPlot: true });
        const texts = (selector: string) => [...el.querySelectorAll(selector)].map((n) => n.textContent ?? "");
        return {
          // every trace type leaves shapes in the SVG: lines (path), bars (path), heat maps (image)
          marks: el.querySelectorAll(".overplot .trace path, .overplot image").length,
          xTitles: texts(".g-xtitle, [class^='g-x'][class$='title']"),
          yTitles: texts(".g-ytitle, [class^='g-y'][class$='title']"),
          ticks: texts(".xaxislayer-above text, .yaxislayer-above text"),
        };
      },
      { figure, height: height ?? 420 },
    );
    await page.locator("#plot").screenshot({ path: path.join(OUT, fileName(id, figure)) });
    expect(drawn.marks, `${id}: marks drawn`).toBeGreaterThan(0);
    const xTitle = titleOf(figure.layout.xaxis) || titleOf(figure.layout["xaxis" + String(figure.data.length)]);
    const yTitle = titleOf(figure.layout.yaxis);
    expect(drawn.xTitles.join(" | "), `${id}: x title`).toContain(xTitle.slice(0, 12));
    expect(drawn.yTitles.join(" | "), `${id}: y title`).toContain(yTitle.slice(0, 12));
    expect(drawn.ticks.length, `${id}: tick labels`).toBeGreaterThan(0);
    for (const tick of drawn.ticks) {
      // plotly's SI letters on plain numbers ("100μ", "1B") never reach the page
      expect(tick, `${id}: tick "${tick}"`).not.toMatch(/^[\d.,−-]+[pnμµmkMGTB]$/);
    }
  }
  expect(fs.readdirSync(OUT).length).toBe(figures.length);
}, 120_000);
