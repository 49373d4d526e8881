/// <reference lib="dom" />
/**
 * A runaway training cell, stopped from the UI: Kernel → Interrupt ends the cell
 * and keeps the kernel's variables; Kernel → Restart ends it with a fresh kernel.
 * Either way the next cell runs. Both go through the menus, as a student would.
 */
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium } from "./chromium";
import { openNotebook } from "./classic-notebook";
import { ROOT, startJupyter, type JupyterServer } from "./jupyter-server";

/* eslint-disable @typescript-eslint/no-explicit-any */
let server: JupyterServer;
let browser: Browser;
beforeAll(async () => {
  server = await startJupyter([path.join(ROOT, "test", "fixtures", "notebooks", "long-training.ipynb")]);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const prompt = (page: Page, i: number) => page.evaluate((k) => (window as any).Jupyter.notebook.get_cell(k).input_prompt_number, i);
const outputText = (page: Page, i: number) =>
  page.evaluate((k) => (window as any).Jupyter.notebook.get_cell(k).output_area.element[0].textContent as string, i);
const run = (page: Page, cells: number[]) => page.evaluate((c) => (window as any).Jupyter.notebook.execute_cells(c), cells);

/** Start the endless loop (cell 2) and make sure it is still running after 3 s. */
async function startRunaway(page: Page): Promise<void> {
  await run(page, [2]);
  await page.waitForFunction(() => /step \d+/.test((window as any).Jupyter.notebook.get_cell(2).output_area.element[0].textContent), null, {
    timeout: 60_000,
  });
  await page.waitForTimeout(3000);
  expect(await prompt(page, 2)).toBe("*");
}

/** The last cell prints what the loop has counted so far and 6 · 7. */
async function expectNextCellRuns(page: Page, pattern: RegExp): Promise<string> {
  await run(page, [3]);
  await page.waitForFunction(() => typeof (window as any).Jupyter.notebook.get_cell(3).input_prompt_number === "number", null, {
    timeout: 90_000,
  });
  const text = await outputText(page, 3);
  expect(text).toMatch(pattern);
  return text;
}

it("Kernel → Interrupt stops a training loop, keeps the kernel's state, and the next cell runs", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await openNotebook(page, server.notebookUrl("long-training.ipynb"));
  await run(page, [1]);
  await page.waitForFunction(() => (window as any).Jupyter.notebook.get_cell(1).input_prompt_number === 1, null, { timeout: 90_000 });
  await startRunaway(page);

  await page.click("#kernellink");
  await page.click("#int_kernel");
  await page.waitForFunction(() => typeof (window as any).Jupyter.notebook.get_cell(2).input_prompt_number === "number", null, {
    timeout: 30_000,
  });
  // tslab's own line, then the loop's, which comes at its next checkpoint (a moment after the reply).
  await page.waitForFunction(() => /The loop stopped cleanly/.test((window as any).Jupyter.notebook.get_cell(2).output_area.element[0].textContent), null, {
    timeout: 30_000,
  });
  expect(await outputText(page, 2)).toMatch(/Interrupted asynchronously[\s\S]*Interrupted \(Kernel → Interrupt\)/);
  // After a cell fails, tslab drops requests that arrive within 200 ms (execQueue.reset(200)
  // in tslab/dist/jupyter.js, so that Run All stops at the error); a student's next click is later.
  await page.waitForTimeout(1000);

  // The variables survive an interrupt, and the loop really stopped: its step count stays put.
  const first = await expectNextCellRuns(page, /steps so far: \d+ · 6 · 7 = 42/);
  await page.waitForTimeout(1500);
  const second = await expectNextCellRuns(page, /steps so far: \d+ · 6 · 7 = 42/);
  expect(Number(/steps so far: (\d+)/.exec(second)![1])).toBe(Number(/steps so far: (\d+)/.exec(first)![1]));
  await page.close();
});

it("Kernel → Restart ends a cell that never ends, and the next run works", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await openNotebook(page, server.notebookUrl("long-training.ipynb"));
  await run(page, [1]);
  await page.waitForFunction(() => typeof (window as any).Jupyter.notebook.get_cell(1).input_prompt_number === "number", null, { timeout: 90_000 });
  await startRunaway(page);

  await page.click("#kernellink");
  await page.click("#restart_kernel");
  await page.click(".modal-dialog button.btn-danger"); // the confirmation dialog's "Restart"
  await page.waitForFunction(() => (window as any).Jupyter.notebook.get_cell(2).input_prompt_number !== "*", null, { timeout: 60_000 });
  await page.waitForFunction(() => (window as any).Jupyter.notebook.kernel.is_connected(), null, { timeout: 60_000 });
  // A fresh kernel: the loop's counter is gone, so the last cell must not rely on it.
  await expectNextCellRuns(page, /steps so far: none \(fresh kernel\) · 6 · 7 = 42/);
  await page.close();
});
