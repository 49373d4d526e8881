/// <reference lib="dom" />
/**
 * A runaway training cell, stopped from the UI: Kernel → Interrupt ends the cell
 * and keeps the kernel's variables; Kernel → Restart ends it with a fresh kernel.
 * Either way the next cell runs. Both go through the menus, as a student would, in
 * classic Notebook and in JupyterLab 4 (one server each).
 */
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium";
import { openNotebook } from "./classic-notebook";
import { ROOT, startJupyter, type JupyterServer } from "./jupyter-server";
import { labMenu, labRunCells, openInLab, waitLabIdle } from "./jupyterlab";

/* eslint-disable @typescript-eslint/no-explicit-any */
describe("in classic Notebook", () => {
let server: JupyterServer;
let browser: Browser;
beforeAll(async () => {
  server = await startJupyter([path.join(ROOT, "test", "fixtures", "notebooks", "long-training.ipynb")]);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  if (server) expect(await server.stop()).toEqual([]);
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
  // The reply (which sets the prompt) can overtake the printed line on a busy machine.
  await page
    .waitForFunction((p) => new RegExp(p).test((window as any).Jupyter.notebook.get_cell(3).output_area.element[0].textContent), pattern.source, {
      timeout: 10_000,
    })
    .catch(() => undefined);
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
});

describe("in JupyterLab 4", () => {
  let server: JupyterServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startJupyter([path.join(ROOT, "test", "fixtures", "notebooks", "long-training.ipynb")], "lab"),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toEqual([]);
  });

  /** Text of a cell's outputs (streams and plain text), from the model. */
  const outputText = (page: Page, i: number) =>
    page.evaluate(
      (k) =>
        (window as any).jupyterapp.shell.currentWidget.content.model.cells
          .get(k)
          .outputs.toJSON()
          .map((o: any) => (o.output_type === "stream" ? String(o.text) : String(o.data?.["text/plain"] ?? o.evalue ?? "")))
          .join("") as string,
      i,
    );

  /** Start the endless loop (cell 2), without waiting for it, and see it still running after 3 s. */
  async function startRunaway(page: Page): Promise<void> {
    await page.evaluate(() => {
      const app = (window as any).jupyterapp;
      app.shell.currentWidget.content.activeCellIndex = 2;
      void app.commands.execute("notebook:run-cell");
    });
    await page.waitForFunction(
      () => /step \d+/.test(JSON.stringify((window as any).jupyterapp.shell.currentWidget.content.model.cells.get(2).outputs.toJSON())),
      null,
      { timeout: 60_000 },
    );
    await page.waitForTimeout(3000);
    expect(await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel.status)).toBe("busy");
  }

  async function expectNextCellRuns(page: Page, pattern: RegExp): Promise<string> {
    await labRunCells(page, [3]);
    const text = await outputText(page, 3);
    expect(text).toMatch(pattern);
    return text;
  }

  it("Kernel → Interrupt Kernel stops a training loop, keeps the kernel's state, and the next cell runs", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await openInLab(page, server.notebookUrl("long-training.ipynb"));
    await labRunCells(page, [1]);
    await startRunaway(page);
    await labMenu(page, "Kernel", /^Interrupt Kernel$/);
    await page.waitForFunction(() => /The loop stopped cleanly/.test(JSON.stringify((window as any).jupyterapp.shell.currentWidget.content.model.cells.get(2).outputs.toJSON())), null, {
      timeout: 30_000,
    });
    await waitLabIdle(page, []);
    await page.waitForTimeout(1000); // tslab drops requests within 200 ms of a failed cell (see above)
    const first = await expectNextCellRuns(page, /steps so far: \d+ · 6 · 7 = 42/);
    await page.waitForTimeout(1500);
    const second = await expectNextCellRuns(page, /steps so far: \d+ · 6 · 7 = 42/);
    expect(Number(/steps so far: (\d+)/.exec(second)![1])).toBe(Number(/steps so far: (\d+)/.exec(first)![1]));
    await page.close();
  });

  it("Kernel → Restart Kernel ends a cell that never ends, and the next run works", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await openInLab(page, server.notebookUrl("long-training.ipynb"));
    await labRunCells(page, [1]);
    await startRunaway(page);
    await labMenu(page, "Kernel", /^Restart Kernel(…|\.\.\.)?$/, true);
    await page.waitForFunction(
      () => {
        const kernel = (window as any).jupyterapp.shell.currentWidget.sessionContext.session?.kernel;
        return kernel?.status === "idle" && kernel?.connectionStatus === "connected";
      },
      null,
      { timeout: 60_000, polling: 250 },
    );
    await expectNextCellRuns(page, /steps so far: none \(fresh kernel\) · 6 · 7 = 42/);
    await page.close();
  });
});
