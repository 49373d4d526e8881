/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The two frontends students use, behind one interface, so each browser scenario is
 * written once and run in JupyterLab 4 and in classic Notebook 6.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Page } from "playwright-core";
import { errorOutputs, kernelDisplayName, openNotebook, runAllCells, saveNotebook } from "./classic-notebook";
import type { JupyterApp } from "./jupyter-server";
import {
  labClearOutput,
  labErrors,
  labKernelName,
  labMenu,
  labNotebookJson,
  labPlotCells,
  labPlots,
  labRestartRunAll,
  labRunAll,
  labRunCells,
  labSave,
  openInLab,
  PLOT_CELL,
  type CellPlots,
} from "./jupyterlab";

export type { CellPlots } from "./jupyterlab";

export interface Frontend {
  readonly app: JupyterApp;
  readonly label: string;
  open(page: Page, url: string): Promise<void>;
  kernelName(page: Page): Promise<string>;
  runAll(page: Page): Promise<void>;
  runCells(page: Page, indices: readonly number[]): Promise<void>;
  restartRunAll(page: Page): Promise<void>;
  clearOutput(page: Page, index: number): Promise<void>;
  /** Error outputs and stderr text. */
  errors(page: Page): Promise<string[]>;
  plotCells(page: Page): Promise<number[]>;
  /** For each of `cells`: its plot outputs and the figures drawn (waiting up to 30 s for them). */
  plots(page: Page, cells: readonly number[]): Promise<CellPlots[]>;
  save(page: Page): Promise<void>;
  notebookJson(page: Page): Promise<string>;
}

type JupyterWindow = Window & { Jupyter: any };

/** Classic Notebook: one page-level script per question, as in classic-notebook.ts. */
async function classicPlots(page: Page, cells: readonly number[]): Promise<CellPlots[]> {
  const probe = `(i) => {
    const cell = Jupyter.notebook.get_cell(i);
    const outputs = cell.output_area.outputs.filter((o) => o.data &&
      (o.data["application/vnd.plotly.v1+json"] || /efflab-plot/.test(String(o.data["text/html"] || "")))).length;
    const node = cell.element[0];
    const drawn = [...node.querySelectorAll(".js-plotly-plot")].filter((p) => p.querySelector("svg.main-svg .trace, svg.main-svg .hm, .imagelayer image")).length;
    return { cell: i, outputs, drawn, text: (node.querySelector(".output_wrapper")?.textContent ?? "").slice(0, 300) };
  }`;
  const report: CellPlots[] = [];
  for (const cell of cells) {
    try {
      await page.waitForFunction(`((r) => r.outputs > 0 && r.drawn >= r.outputs)((${probe})(${cell}))`, null, { timeout: 30_000, polling: 200 });
    } catch {
      // reported below with what the cell shows
    }
    report.push((await page.evaluate(`(${probe})(${cell})`)) as CellPlots);
  }
  return report;
}

export const classicNotebook: Frontend = {
  app: "notebook",
  label: "classic Notebook",
  open: openNotebook,
  kernelName: kernelDisplayName,
  runAll: (page) => runAllCells(page),
  async runCells(page, indices) {
    await page.evaluate((c) => (window as unknown as JupyterWindow).Jupyter.notebook.execute_cells(c), [...indices]);
    await page.waitForFunction(
      (c) => c.every((i: number) => typeof (window as unknown as JupyterWindow).Jupyter.notebook.get_cell(i).input_prompt_number === "number"),
      [...indices],
      { timeout: 120_000, polling: 250 },
    );
  },
  async restartRunAll(page) {
    await page.evaluate(() => {
      const w = window as any;
      w.__efflabRestarted = false;
      w.Jupyter.notebook.events.one("kernel_ready.Kernel", () => (w.__efflabRestarted = true));
    });
    await page.click("#kernellink");
    await page.click("#restart_run_all");
    await page.click(".modal-dialog button.btn-danger"); // the confirmation dialog's "Restart and Run All Cells"
    await page.waitForFunction(() => (window as any).__efflabRestarted === true, null, { timeout: 60_000 });
    await page.waitForTimeout(500); // Run All is queued right after the kernel is ready
    await runAllCellsFinished(page);
  },
  async clearOutput(page, index) {
    await page.evaluate((i) => (window as unknown as JupyterWindow).Jupyter.notebook.get_cell(i).clear_output(), index);
  },
  errors: errorOutputs,
  plotCells: (page) =>
    page.evaluate(
      (pattern) =>
        (window as unknown as JupyterWindow).Jupyter.notebook
          .get_cells()
          .map((c: any, i: number) => (c.cell_type === "code" && new RegExp(pattern).test(c.get_text()) ? i : -1))
          .filter((i: number) => i >= 0),
      PLOT_CELL,
    ),
  plots: classicPlots,
  save: saveNotebook,
  notebookJson: (page) => page.evaluate(() => JSON.stringify((window as unknown as JupyterWindow).Jupyter.notebook.toJSON())),
};

/** Wait until no classic Notebook cell is queued or running and every code cell ran. */
async function runAllCellsFinished(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const cells = (window as unknown as JupyterWindow).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code");
      return cells.every((c: any) => typeof c.input_prompt_number === "number");
    },
    null,
    { timeout: 240_000, polling: 500 },
  );
}

export const jupyterLab: Frontend = {
  app: "lab",
  label: "JupyterLab 4",
  open: openInLab,
  kernelName: labKernelName,
  runAll: labRunAll,
  runCells: labRunCells,
  restartRunAll: labRestartRunAll,
  clearOutput: labClearOutput,
  errors: labErrors,
  plotCells: labPlotCells,
  plots: (page, cells) => labPlots(page, cells),
  save: labSave,
  notebookJson: labNotebookJson,
};

export const FRONTENDS: readonly Frontend[] = [jupyterLab, classicNotebook];

export { labMenu };
