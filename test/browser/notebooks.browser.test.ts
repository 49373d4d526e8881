/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Every notebook as a student sees it: a real Jupyter server (classic Notebook),
 * headless Chromium, Cell → Run All through the page. Screenshots go to
 * .efflab/screenshots/ (git-ignored).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KERNEL_DISPLAY_NAME } from "../../src/kernel/kernelspec";
import { launchChromium } from "./chromium";
import {
  checkTables,
  drawnPlots,
  errorOutputs,
  kernelDisplayName,
  openNotebook,
  plotCellCount,
  runAllCells,
  saveNotebook,
  screenshotNotebook,
} from "./classic-notebook";
import { ROOT, startJupyter, type JupyterServer } from "./jupyter-server";

const notebooksDir = path.join(ROOT, "notebooks");
const notebooks = fs.readdirSync(notebooksDir).filter((f) => f.endsWith(".ipynb")).sort();
const screenshots = path.join(ROOT, ".efflab", "screenshots");

let server: JupyterServer;
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  server = await startJupyter(notebooks.map((n) => path.join(notebooksDir, n)));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(): Promise<Page> {
  return browser.newPage({ viewport: { width: 1200, height: 900 } });
}

describe.each(notebooks)("%s in classic Notebook", (name) => {
  it("runs every cell on our kernel with no error, and draws every plot", async () => {
    const page = await newPage();
    await openNotebook(page, server.notebookUrl(name));
    expect(await kernelDisplayName(page)).toBe(KERNEL_DISPLAY_NAME);
    await runAllCells(page);
    expect(await errorOutputs(page)).toEqual([]);
    // plotly draws asynchronously after the output arrives
    const expected = await plotCellCount(page);
    await page.waitForFunction(
      (n) => [...document.querySelectorAll(".efflab-plot")].filter((d) => d.querySelector("svg.main-svg")).length >= n,
      expected,
      { timeout: 30_000 },
    );
    const plots = await drawnPlots(page);
    expect(plots.length).toBeGreaterThanOrEqual(expected);
    for (const plot of plots) {
      expect(plot.svgs, `a plot was not drawn: ${plot.text}`).toBeGreaterThan(0);
      expect(plot.traces, `a plot has no trace: ${plot.text}`).toBeGreaterThan(0);
    }
    for (const table of await checkTables(page)) {
      expect(table.rows).toBeGreaterThan(0);
      expect(table.summary).toMatch(/public tests/);
      expect(table.summary).not.toMatch(/all tests/i);
    }
    await screenshotNotebook(page, path.join(screenshots, name.replace(/\.ipynb$/, ".png")));
    // each figure on its own, for documentation (docs/ takes a few of these)
    const figures = page.locator(".efflab-plot");
    for (let i = 0; i < (await figures.count()); i++) {
      await figures.nth(i).screenshot({ path: path.join(screenshots, `${name.replace(/\.ipynb$/, "")}-figure-${i + 1}.png`) });
    }

    // Reopen: the saved notebook redraws its plots without running anything,
    // because plotly.js travels in the first plot's output.
    await saveNotebook(page);
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll(".efflab-plot").length > 0 || !/showPlot/.test(document.body.textContent ?? ""), null, {
      timeout: 60_000,
    });
    if (expected > 0) {
      await page.waitForFunction(
        (n) => [...document.querySelectorAll(".efflab-plot")].filter((d) => d.querySelector("svg.main-svg")).length >= n,
        expected,
        { timeout: 30_000 },
      );
    }
    await page.close();
  });
});
