/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Driving classic Jupyter Notebook's page the way a student's clicks would, through
 * its own front-end API (`Jupyter.notebook`), and reading what the page shows.
 */
import type { Page } from "playwright-core";

/* eslint-disable @typescript-eslint/no-explicit-any */
type JupyterWindow = Window & { Jupyter: any };

/** Open a notebook and wait until its kernel is connected. */
export async function openNotebook(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as JupyterWindow).Jupyter?.notebook?.kernel?.is_connected?.() === true, null, {
    timeout: 90_000,
  });
}

/** The display name of the kernel shown in the toolbar. */
export function kernelDisplayName(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector(".kernel_indicator_name")?.textContent ?? "");
}

/** Cell → Run All, then wait until no cell is queued or running. */
export async function runAllCells(page: Page, timeoutMs = 240_000): Promise<void> {
  await page.evaluate(() => (window as unknown as JupyterWindow).Jupyter.notebook.execute_all_cells());
  await page.waitForFunction(
    () => {
      const cells = (window as unknown as JupyterWindow).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code");
      const running = cells.some((c: any) => c.input_prompt_number === "*");
      const errored = document.querySelector(".output_error, .output_stderr") !== null;
      const allRan = cells.every((c: any) => typeof c.input_prompt_number === "number");
      return !running && (allRan || errored);
    },
    null,
    { timeout: timeoutMs, polling: 500 },
  );
}

/** Text of every error or stderr output shown. */
export function errorOutputs(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll(".output_error, .output_stderr")].map((e) => e.textContent ?? ""));
}

/** For each plot output: how many drawn plotly SVGs and traces it holds. */
export function drawnPlots(page: Page): Promise<{ svgs: number; traces: number; text: string }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll(".efflab-plot")].map((div) => ({
      svgs: div.querySelectorAll("svg.main-svg").length,
      traces: div.querySelectorAll(".trace, .hm, .imagelayer image").length,
      text: (div.textContent ?? "").slice(0, 200),
    })),
  );
}

/** Number of plot outputs the notebook's cells should produce (cells calling showPlot). */
export function plotCellCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (window as unknown as JupyterWindow).Jupyter.notebook
        .get_cells()
        .filter((c: any) => c.cell_type === "code" && /showPlot\(|show[A-Z]\w*Figure\(/.test(c.get_text())).length,
  );
}

/** The check() tables shown: each with its rows and summary line. */
export function checkTables(page: Page): Promise<{ rows: number; summary: string }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll(".output_html")]
      .filter((o) => /public tests/.test(o.textContent ?? ""))
      .map((o) => ({ rows: o.querySelectorAll("tbody tr").length, summary: o.querySelector("p")?.textContent ?? "" })),
  );
}

/** Save the notebook (File → Save) and wait for the server to confirm. */
export async function saveNotebook(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const nb = (window as unknown as JupyterWindow).Jupyter.notebook;
        nb.events.one("notebook_saved.Notebook", () => resolve());
        nb.events.one("notebook_save_failed.Notebook", () => reject(new Error("save failed")));
        nb.save_notebook();
      }),
  );
}

/** Screenshot of the whole notebook (the page scrolls inside #site, so grow the viewport). */
export async function screenshotNotebook(page: Page, file: string): Promise<void> {
  const height = await page.evaluate(() => (document.querySelector("#notebook-container")?.scrollHeight ?? 2000) + 200);
  const viewport = page.viewportSize() ?? { width: 1200, height: 900 };
  await page.setViewportSize({ width: viewport.width, height: Math.min(height, 30_000) });
  await page.waitForTimeout(500);
  await page.screenshot({ path: file, fullPage: true });
  await page.setViewportSize(viewport);
}
