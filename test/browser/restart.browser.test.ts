/// <reference lib="dom" />
/**
 * A runaway training cell, stopped from the UI with Kernel → Restart: the notebook
 * keeps working. (Kernel → Interrupt is not tested: tslab 1.0.22 under Jupyter does
 * not deliver SIGINT to JavaScript listeners on this platform, so it cannot stop a cell.)
 */
import * as path from "node:path";
import type { Browser } from "playwright-core";
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

it("restarts the kernel under a cell that never ends, and the next run works", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await openNotebook(page, server.notebookUrl("long-training.ipynb"));
  const prompt = (i: number) => page.evaluate((k) => (window as any).Jupyter.notebook.get_cell(k).input_prompt_number, i);
  await page.evaluate(() => (window as any).Jupyter.notebook.execute_cells([1, 2]));
  await page.waitForFunction(() => (window as any).Jupyter.notebook.get_cell(1).input_prompt_number === 1, null, { timeout: 90_000 });
  await page.waitForTimeout(3000);
  expect(await prompt(2)).toBe("*"); // the loop is still running

  // Kernel → Restart (the menu item calls this after its confirmation dialog)
  await page.evaluate(() => (window as any).Jupyter.notebook.kernel.restart());
  await page.waitForFunction(() => (window as any).Jupyter.notebook.kernel.is_connected(), null, { timeout: 60_000 });
  await page.waitForFunction(() => (window as any).Jupyter.notebook.get_cell(2).input_prompt_number !== "*", null, { timeout: 60_000 });
  await page.evaluate(() => (window as any).Jupyter.notebook.execute_cells([3]));
  await page.waitForFunction(() => /after restart: 42/.test((window as any).Jupyter.notebook.get_cell(3).output_area.element[0].textContent), null, {
    timeout: 90_000,
  });
  await page.close();
});
