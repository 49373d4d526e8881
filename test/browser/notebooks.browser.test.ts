/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Every notebook as a student sees it in JupyterLab 4, where students work, and two
 * representative labs in classic Notebook 6, the secondary frontend (02-adam: check()
 * tables and training curves; 05-pipeline: the most figures, the schedules' Gantt charts;
 * classic Notebook draws every figure through the same HTML fallback): a real
 * Jupyter server, headless Chromium, a fresh page (in JupyterLab a fresh workspace),
 * Run All through the menu, then every plot cell checked for a drawn figure (JupyterLab
 * renders lazily, so each plot cell is scrolled into view) and no error or stderr
 * output. One server per frontend, shared by the notebooks. Screenshots go to
 * .efflab/screenshots/ (git-ignored): `<notebook>-lab.png` and `<notebook>.png`, and each
 * figure on its own (`<notebook>-lab-figure-N.png`) for the README.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KERNEL_DISPLAY_NAME } from "../../src/kernel/kernelspec";
import { launchChromium } from "./chromium";
import { checkTables, screenshotNotebook } from "./classic-notebook";
import { FRONTENDS, type Frontend } from "./frontends";
import { ROOT, startJupyter, type JupyterServer } from "./jupyter-server";
import { labCheckTables } from "./jupyterlab";

const notebooksDir = path.join(ROOT, "notebooks");
const notebooks = fs.readdirSync(notebooksDir).filter((f) => f.endsWith(".ipynb")).sort();
const screenshots = path.join(ROOT, ".efflab", "screenshots");
/** The labs run in classic Notebook too. */
const CLASSIC_LABS = ["02-adam.ipynb", "05-pipeline.ipynb"];

describe.each(FRONTENDS)("notebooks in $label", (frontend: Frontend) => {
  const shown = frontend.app === "lab" ? notebooks : notebooks.filter((n) => CLASSIC_LABS.includes(n));
  let server: JupyterServer;
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(screenshots, { recursive: true });
    [server, browser] = await Promise.all([startJupyter(shown.map((n) => path.join(notebooksDir, n)), frontend.app), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toEqual([]); // no kernel or server outlives the suite
  });

  async function screenshots_(page: Page, name: string, plotCells: readonly number[]): Promise<void> {
    const base = name.replace(/\.ipynb$/, "");
    if (frontend.app === "notebook") {
      await screenshotNotebook(page, path.join(screenshots, `${base}.png`));
      return;
    }
    // JupyterLab: the window with the first plot in view, and each figure on its own.
    let n = 0;
    for (const cell of plotCells) {
      await page.evaluate(async (i) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const content = (window as any).jupyterapp.shell.currentWidget.content;
        content.activeCellIndex = i;
        await content.scrollToItem(i, "center");
      }, cell);
      const figures = page.locator(".jp-Notebook .jp-Cell").nth(cell).locator(".js-plotly-plot");
      for (let k = 0; k < (await figures.count()); k++) {
        await figures.nth(k).screenshot({ path: path.join(screenshots, `${base}-lab-figure-${++n}.png`) });
      }
      if (cell === plotCells[0]) await page.screenshot({ path: path.join(screenshots, `${base}-lab.png`) });
    }
    if (plotCells.length === 0) await page.screenshot({ path: path.join(screenshots, `${base}-lab.png`) });
  }

  it("runs the notebooks it names", () => {
    expect(shown).toEqual(frontend.app === "lab" ? notebooks : CLASSIC_LABS);
    expect(notebooks.length).toBeGreaterThanOrEqual(7);
  });

  it.each(shown)("%s: Run All on our kernel, no error, every plot drawn", async (name) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await frontend.open(page, server.notebookUrl(name));
    expect(await frontend.kernelName(page)).toBe(KERNEL_DISPLAY_NAME);
    await frontend.runAll(page);
    expect(await frontend.errors(page)).toEqual([]);
    const plotCells = await frontend.plotCells(page);
    for (const cell of await frontend.plots(page, plotCells)) {
      expect(cell.outputs, `cell ${cell.cell} shows no plot: ${cell.text}`).toBeGreaterThan(0);
      expect(cell.drawn, `cell ${cell.cell} did not draw: ${cell.text}`).toBe(cell.outputs);
    }
    const tables = frontend.app === "lab" ? await labCheckTables(page) : await checkTables(page);
    for (const table of tables) {
      expect(table.rows).toBeGreaterThan(0);
      expect(table.summary).toMatch(/public tests/);
      expect(table.summary).not.toMatch(/all tests/i);
    }
    await screenshots_(page, name, plotCells);
    await page.close();
  });
});
