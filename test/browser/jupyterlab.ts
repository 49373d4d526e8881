/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Driving JupyterLab 4's page the way a student's clicks would (its menus), and
 * reading what it did from the notebook's model (`window.jupyterapp`, exposed by the
 * server flag `--LabApp.expose_app_in_browser`). JupyterLab renders long notebooks
 * lazily, so checks of drawn plots scroll each plot cell into view first.
 */
import type { Page } from "playwright-core";

/* eslint-disable @typescript-eslint/no-explicit-any */
type LabWindow = Window & { jupyterapp: any };

/** Cells that show plots: they call showPlot or a show…Figure helper. */
export const PLOT_CELL = /showPlot\(|show[A-Z]\w*Figure\(/.source;

/** Open a notebook (in a fresh workspace: see JupyterServer.notebookUrl) and wait for an idle kernel. */
export async function openInLab(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const widget = (window as unknown as LabWindow).jupyterapp?.shell?.currentWidget;
      const kernel = widget?.sessionContext?.session?.kernel;
      return widget?.content?.model && kernel?.connectionStatus === "connected" && kernel?.status === "idle";
    },
    null,
    { timeout: 90_000, polling: 250 },
  );
}

/** The kernel's display name, as the notebook toolbar shows it. */
export function labKernelName(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as LabWindow).jupyterapp.shell.currentWidget.sessionContext.kernelDisplayName as string);
}

/** Click a main-menu item, e.g. ("Run", "Run All Cells"), and accept its dialog if one opens. */
export async function labMenu(page: Page, menu: string, item: RegExp, acceptDialog = false): Promise<void> {
  await page.locator(".lm-MenuBar-itemLabel", { hasText: new RegExp(`^${menu}$`) }).click();
  await page.locator(".lm-Menu-content .lm-Menu-itemLabel", { hasText: item }).first().click();
  if (acceptDialog) await page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click();
}

/**
 * Start recording which cells run: each code cell model reports a new execution count
 * when its execution finishes. Call before the click that runs them.
 */
export async function labStartRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as any;
    const model = w.jupyterapp.shell.currentWidget.content.model;
    w.__efflabRan = new Set<string>();
    w.__efflabIdle = false;
    w.__efflabWatched ??= new WeakSet();
    for (const cell of model.cells) {
      if (cell.type !== "code" || w.__efflabWatched.has(cell)) continue;
      w.__efflabWatched.add(cell);
      cell.stateChanged.connect((m: any, change: any) => {
        if (change.name === "executionCount" && typeof change.newValue === "number") w.__efflabRan.add(m.id);
      });
    }
  });
}

/**
 * Wait until the cells at `indices` (default: every code cell) ran since
 * `labStartRecording`, or one failed (which stops Run All), and the kernel is idle.
 */
export async function waitLabIdle(page: Page, indices?: readonly number[], timeoutMs = 240_000): Promise<void> {
  await page.waitForFunction(
    (only) => {
      const w = window as any;
      const widget = w.jupyterapp.shell.currentWidget;
      const cells = [...widget.content.model.cells].filter((c: any, i: number) => c.type === "code" && (only === null || only.includes(i)));
      const outputs = cells.flatMap((c: any) => c.outputs.toJSON());
      const failed = outputs.some((o: any) => o.output_type === "error");
      const done = widget.sessionContext.session?.kernel?.status === "idle" && (failed || cells.every((c: any) => w.__efflabRan.has(c.id)));
      // idle twice in a row, half a second apart
      const settled = done && w.__efflabIdle === true;
      w.__efflabIdle = done;
      return settled;
    },
    indices ? [...indices] : null,
    { timeout: timeoutMs, polling: 500 },
  );
}

/** Cell → Run All through the menu, then wait until everything ran. */
export async function labRunAll(page: Page): Promise<void> {
  await labStartRecording(page);
  await labMenu(page, "Run", /^Run All Cells$/);
  await waitLabIdle(page);
}

/** Kernel → Restart Kernel and Run All Cells…, confirmed, then wait until everything ran. */
export async function labRestartRunAll(page: Page): Promise<void> {
  await labStartRecording(page);
  await labMenu(page, "Kernel", /^Restart Kernel and Run All Cells/, true);
  await waitLabIdle(page);
}

/** Error outputs and stderr text of every cell, from the model (lazy rendering cannot hide them). */
export function labErrors(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const widget = (window as unknown as LabWindow).jupyterapp.shell.currentWidget;
    return [...widget.content.model.cells]
      .flatMap((c: any) => (c.type === "code" ? c.outputs.toJSON() : []))
      .filter((o: any) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"))
      .map((o: any) => (o.output_type === "error" ? `${o.ename}: ${o.evalue}` : String(o.text)).slice(0, 500));
  });
}

/** Run the cells at these indices (as Shift+Enter on each would), then wait. */
export async function labRunCells(page: Page, indices: readonly number[]): Promise<void> {
  await labStartRecording(page);
  for (const index of indices) {
    await page.evaluate(async (i) => {
      const app = (window as unknown as LabWindow).jupyterapp;
      app.shell.currentWidget.content.activeCellIndex = i;
      await app.commands.execute("notebook:run-cell");
    }, index);
  }
  await waitLabIdle(page, indices);
}

/** Clear one cell's output (Edit → Clear Output on that cell). */
export async function labClearOutput(page: Page, index: number): Promise<void> {
  await page.evaluate(async (i) => {
    const app = (window as unknown as LabWindow).jupyterapp;
    app.shell.currentWidget.content.activeCellIndex = i;
    await app.commands.execute("notebook:clear-cell-output");
  }, index);
}

/** Indices of the code cells that show plots. */
export function labPlotCells(page: Page): Promise<number[]> {
  return page.evaluate((pattern) => {
    const widget = (window as unknown as LabWindow).jupyterapp.shell.currentWidget;
    return [...widget.content.model.cells]
      .map((c: any, i: number) => (c.type === "code" && new RegExp(pattern).test(c.sharedModel.getSource()) ? i : -1))
      .filter((i: number) => i >= 0);
  }, PLOT_CELL);
}

export interface CellPlots {
  readonly cell: number;
  /** Plot outputs in the model (each figure is one output). */
  readonly outputs: number;
  /** Figures plotly drew in the page: an SVG with at least one trace. */
  readonly drawn: number;
  /** What the cell's output shows, for failure messages. */
  readonly text: string;
}

/**
 * Scroll each cell in `cells` into view (JupyterLab renders lazily) and report its
 * plot outputs and the figures drawn, after waiting up to `timeoutMs` for them.
 */
export async function labPlots(page: Page, cells: readonly number[], timeoutMs = 30_000): Promise<CellPlots[]> {
  const report: CellPlots[] = [];
  // One function, sent to the page as text: the page cannot see this module's closures.
  const probe = `(i) => {
    const widget = window.jupyterapp.shell.currentWidget;
    const outputs = widget.content.model.cells.get(i).outputs.toJSON().filter((o) => o.data &&
      (o.data["application/vnd.plotly.v1+json"] || /efflab-plot/.test(String(o.data["text/html"] || "")))).length;
    const node = widget.content.widgets[i].node;
    const drawn = [...node.querySelectorAll(".js-plotly-plot")].filter((p) => p.querySelector("svg.main-svg .trace, svg.main-svg .hm, .imagelayer image")).length;
    const text = (node.querySelector(".jp-Cell-outputWrapper")?.textContent ?? "").slice(0, 300);
    return { cell: i, outputs, drawn, text };
  }`;
  for (const cell of cells) {
    await page.evaluate(async (i) => {
      const content = (window as unknown as LabWindow).jupyterapp.shell.currentWidget.content;
      content.activeCellIndex = i;
      await content.scrollToItem(i, "start");
    }, cell);
    try {
      await page.waitForFunction(`((r) => r.outputs > 0 && r.drawn >= r.outputs)((${probe})(${cell}))`, null, { timeout: timeoutMs, polling: 200 });
    } catch {
      // reported below with what the cell shows
    }
    report.push((await page.evaluate(`(${probe})(${cell})`)) as CellPlots);
  }
  return report;
}

/** File → Save Notebook, and wait until the model is clean. */
export async function labSave(page: Page): Promise<void> {
  await labMenu(page, "File", /^Save Notebook$/);
  await page.waitForFunction(() => (window as unknown as LabWindow).jupyterapp.shell.currentWidget.context.model.dirty === false, null, {
    timeout: 30_000,
  });
}

/** The notebook as JSON text (what a save would write). */
export function labNotebookJson(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify((window as unknown as LabWindow).jupyterapp.shell.currentWidget.content.model.toJSON()));
}

/** The check() tables in the outputs (from the model: lazy rendering cannot hide them). */
export function labCheckTables(page: Page): Promise<{ rows: number; summary: string }[]> {
  return page.evaluate(() => {
    const widget = (window as unknown as LabWindow).jupyterapp.shell.currentWidget;
    return [...widget.content.model.cells]
      .flatMap((c: any) => (c.type === "code" ? c.outputs.toJSON() : []))
      .map((o: any) => String(o.data?.["text/html"] ?? ""))
      .filter((html: string) => /public tests/.test(html))
      .map((html: string) => {
        const doc = new DOMParser().parseFromString(html, "text/html");
        return { rows: doc.querySelectorAll("tbody tr").length, summary: doc.querySelector("p")?.textContent ?? "" };
      });
  });
}
