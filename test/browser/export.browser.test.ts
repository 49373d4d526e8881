/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * `efflab export` for lectures: the page shows every plot and the math with the
 * network disabled (Chromium offline, and every non-file request refused and counted),
 * and so does the slide deck.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { exportNotebookHtml } from "../../src/notebook/export-html";
import { exportNotebookSlides } from "../../src/notebook/export-slides";
import { launchChromium } from "./chromium";
import { ROOT } from "./jupyter-server";

let browser: Browser;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-export-test-"));
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Open an exported file in a fresh offline context (1280×800, a projector's size).
 * Every request that is not for a file: or data: URL is refused and recorded.
 */
async function openOffline(file: string): Promise<{ context: BrowserContext; page: Page; external: string[]; pageErrors: string[] }> {
  const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 800 } });
  const external: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    external.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(`file://${file}`);
  return { context, page, external, pageErrors };
}

it("exports the welcome notebook to one page that draws its plots and math offline", async () => {
  const notebook = path.join(ROOT, "notebooks", "00-welcome.ipynb");
  const before = fs.readFileSync(notebook, "utf8");
  const result = await exportNotebookHtml(notebook, path.join(dir, "welcome.html"));
  expect(result.executed).toBe(true);
  expect(fs.readFileSync(notebook, "utf8")).toBe(before); // the notebook is untouched
  const html = fs.readFileSync(result.out, "utf8");
  expect(/<script[^>]+src=/i.test(html)).toBe(false); // nothing loaded by URL

  const { context, page, external, pageErrors } = await openOffline(result.out);
  const plots = await page.evaluate(() => document.querySelectorAll(".efflab-plot").length);
  expect(plots).toBeGreaterThan(0);
  await page.waitForFunction(
    (n) => [...document.querySelectorAll(".efflab-plot")].filter((d) => d.querySelector("svg.main-svg .trace")).length === n,
    plots,
    { timeout: 30_000 },
  );
  // MathJax 3 typeset the markdown's LaTeX into SVG
  await page.waitForFunction(() => document.querySelectorAll("mjx-container svg").length > 0, null, { timeout: 30_000 });
  expect(external).toEqual([]);
  expect(pageErrors).toEqual([]);
  await page.screenshot({ path: path.join(ROOT, ".efflab", "screenshots", "export-00-welcome.png") });
  await context.close();
});

it("exports the pipeline lab as a slide deck that works offline, each plot drawn full width on its slide", async () => {
  const notebook = path.join(ROOT, "notebooks", "05-pipeline.ipynb");
  const result = await exportNotebookSlides(notebook, path.join(dir, "pipeline-slides.html"));
  const { context, page, external, pageErrors } = await openOffline(result.out);
  await page.waitForFunction(() => (window as any).Reveal?.isReady() === true, null, { timeout: 30_000 });
  expect(await page.evaluate(() => (window as any).Reveal.getHorizontalSlides().length)).toBeGreaterThan(3);

  // The sub-slides that hold plots, as reveal.js indices, and how many plots each holds.
  const plotSlides: { h: number; v: number; plots: number }[] = await page.evaluate(() =>
    [...document.querySelectorAll(".reveal .slides section section")]
      .filter((s) => s.querySelector(".efflab-plot"))
      .map((s) => ({ ...(window as any).Reveal.getIndices(s), plots: s.querySelectorAll(".efflab-plot").length })),
  );
  const plots = await page.evaluate(() => document.querySelectorAll(".efflab-plot").length);
  expect(plots).toBeGreaterThan(0);
  expect(plotSlides.reduce((sum, s) => sum + s.plots, 0)).toBe(plots); // every plot is on a slide
  for (const [i, { h, v }] of plotSlides.entries()) {
    await page.evaluate(([h, v]) => (window as any).Reveal.slide(h, v), [h, v]);
    // Drawn (a trace), and sized to the slide once it is shown: wider than Plotly's 700 px default.
    await page.waitForFunction(
      () =>
        [...(window as any).Reveal.getCurrentSlide().querySelectorAll(".efflab-plot")].every((plot: Element) => {
          const svg = plot.querySelector("svg.main-svg");
          return svg !== null && plot.querySelector(".trace, .hm, .imagelayer image") !== null && svg.getBoundingClientRect().width > 900;
        }),
      null,
      { timeout: 20_000 },
    );
    if (i === 0) await page.waitForTimeout(1000); // let the slide transition (0.8 s) finish
    if (i === 0) await page.screenshot({ path: path.join(ROOT, ".efflab", "screenshots", "slides-05-pipeline.png") });
  }
  await page.waitForFunction(() => document.querySelectorAll("mjx-container svg").length > 0, null, { timeout: 30_000 });
  expect(external).toEqual([]);
  expect(pageErrors).toEqual([]);
  await context.close();
});
