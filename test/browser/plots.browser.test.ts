/// <reference lib="dom" />
/**
 * Plots that never need a manual reload, in JupyterLab 4 and classic Notebook: every
 * way a student meets a page that did not run the first plot (a reload, a second tab,
 * a cleared output, a notebook reopened after its kernel stopped, a restart, an
 * export) still draws every figure, offline, and a saved notebook does not grow by
 * megabytes per plot. The scenarios follow one student through one three-plot
 * notebook, in order (one kernel start per frontend keeps the suite fast), and each
 * asserts what its page shows.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KERNEL_DISPLAY_NAME } from "../../src/kernel/kernelspec";
import { exportNotebookHtml } from "../../src/notebook/export-html";
import { launchChromium } from "./chromium";
import { FRONTENDS, type Frontend } from "./frontends";
import { ROOT, startJupyter, type JupyterServer } from "./jupyter-server";

const fixture = path.join(ROOT, "test", "fixtures", "notebooks", "three-plots.ipynb");
const committedBytes = fs.statSync(fixture).size;
/** A figure's JSON is a few kilobytes; plotly.js itself is 4.8 MB and must never be in an output. */
const MAX_GROWTH_PER_PLOT = 200_000;

describe.each(FRONTENDS)("plots in $label", (frontend: Frontend) => {
  const name = "three-plots.ipynb";
  let server: JupyterServer;
  let browser: Browser;
  let context: BrowserContext;
  let first: Page;
  let second: Page;
  const url = (): string => server.notebookUrl(name);

  beforeAll(async () => {
    [server, browser] = await Promise.all([startJupyter([fixture], frontend.app), launchChromium()]);
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    // Kernels shut down through the server, then the server; nothing may outlive it.
    if (server) expect(await server.stop()).toEqual([]);
  });

  async function expectPlotsDrawn(p: Page, cells?: readonly number[]): Promise<void> {
    const plotCells = cells ?? (await frontend.plotCells(p));
    expect(plotCells.length).toBeGreaterThan(0);
    for (const cell of await frontend.plots(p, plotCells)) {
      expect(cell.outputs, `cell ${cell.cell} has no plot output: ${cell.text}`).toBe(1);
      expect(cell.drawn, `cell ${cell.cell} did not draw its plot: ${cell.text}`).toBe(1);
    }
    expect(await frontend.errors(p)).toEqual([]);
  }

  async function expectLean(p: Page): Promise<void> {
    const growth = (await frontend.notebookJson(p)).length - committedBytes;
    expect(growth / 3, "bytes added to the notebook per plot").toBeLessThan(MAX_GROWTH_PER_PLOT);
  }

  it("a fresh kernel: Run All draws every plot, and the notebook stays small", async () => {
    first = await context.newPage();
    await frontend.open(first, url());
    expect(await frontend.kernelName(first)).toBe(KERNEL_DISPLAY_NAME);
    await frontend.runAll(first);
    expect(await frontend.plotCells(first)).toHaveLength(3);
    await expectPlotsDrawn(first);
    await expectLean(first);
  });

  it("a page reload with the kernel still running, then running the cells again, draws every plot", async () => {
    await frontend.open(first, url()); // a new page on the same live kernel
    await frontend.runAll(first);
    await expectPlotsDrawn(first);
  });

  it("a second tab on the same kernel draws every plot it runs", async () => {
    second = await context.newPage();
    await frontend.open(second, url());
    const sessions = (await server.api("GET", "/api/sessions")) as { path: string }[];
    expect(sessions.filter((s) => s.path.endsWith(name))).toHaveLength(1); // one kernel behind both tabs
    await frontend.runAll(second);
    await expectPlotsDrawn(second);
    await first.close();
  });

  it("the first plot's output cleared, later plots run, saved and reopened: every remaining plot is drawn", async () => {
    const [firstPlot, ...later] = await frontend.plotCells(second);
    await frontend.clearOutput(second, firstPlot!);
    await frontend.runCells(second, later);
    await expectPlotsDrawn(second, later);
    await frontend.save(second);
    await frontend.open(second, url());
    await expectPlotsDrawn(second, later);
  });

  it("saved with outputs, kernel shut down, notebook reopened: every plot is drawn without running anything", async () => {
    await frontend.runAll(second);
    await frontend.save(second);
    await server.shutdownKernels();
    const saved = fs.statSync(path.join(server.dir, name)).size;
    expect((saved - committedBytes) / 3, "bytes added to the saved file per plot").toBeLessThan(MAX_GROWTH_PER_PLOT);
    await frontend.open(second, url());
    await expectPlotsDrawn(second);
  });

  it("the exported HTML of the saved notebook draws every plot offline", async () => {
    const out = path.join(server.dir, "exported.html");
    const result = await exportNotebookHtml(path.join(server.dir, name), out);
    expect(result.executed).toBe(false); // exported as saved, outputs and all
    const offline = await browser.newContext({ offline: true });
    const external: string[] = [];
    await offline.route("**/*", (route) => {
      const requested = route.request().url();
      if (requested.startsWith("file:") || requested.startsWith("data:")) return route.continue();
      external.push(requested);
      return route.abort();
    });
    const view = await offline.newPage();
    await view.goto(`file://${out}`);
    const drawn = () =>
      view.evaluate(() => [...document.querySelectorAll(".efflab-plot")].filter((d) => d.querySelector("svg.main-svg .trace, svg.main-svg .hm")).length);
    await view.waitForFunction(() => document.querySelectorAll(".efflab-plot svg.main-svg").length >= 3, null, { timeout: 20_000 }).catch(() => undefined);
    expect(await drawn()).toBe(3);
    expect(external).toEqual([]);
    await offline.close();
  });

  it("Kernel → Restart Kernel and Run All Cells draws every plot, and the notebook stays small", async () => {
    await frontend.restartRunAll(second);
    await expectPlotsDrawn(second);
    await expectLean(second);
    await second.close();
  });
});
