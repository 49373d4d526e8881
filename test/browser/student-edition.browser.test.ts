/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The released student edition in the browser, with every answer still a stub.
 *
 * JupyterLab 4 (where students work): for each lab NN, notebook NN of the per-lab edition
 * `efflab release --lab NN` (the library's references of lab NN and later stubbed), Run All
 * through the menu, reaches its last cell with no error; each cell that needs an answer
 * prints one line instead of a stack trace; every plot cell that does not need an answer
 * draws its figure, including plots below the first stub.
 * With every answer written (labs 2, 4 and 5, whose figures the library draws with that lab's
 * solutions): every cell runs and every figure is drawn, because the edition's library runs the
 * student's own functions in place of the solutions it does not ship.
 * Classic Notebook 6: the same for lab 2 of the full edition, with its check() tables at 0 passed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotebookJson } from "../../src/grading/notebook-cells";
import { answeredEditionOf } from "../../src/grading/solution-markers";
import { courseQuestions } from "../../src/grading/questions";
import { cachedRelease, copyRelease } from "../grading/cached-release";
import { launchChromium } from "./chromium";
import { checkTables, drawnPlots, errorOutputs, openNotebook, runAllCells, screenshotNotebook } from "./classic-notebook";
import { jupyterLab } from "./frontends";
import { ROOT, startJupyter, type JupyterServer } from "./jupyter-server";

const screenshots = path.join(ROOT, ".efflab", "screenshots");
const NEEDS_LINE = /^needs [a-z]+\.\w+ \(code cell \d+(\) — implement it|, further down\) — implement and run it), then re-run this cell$/;

const LABS = [1, 2, 3, 4, 5, 6] as const;
let studentNotebooks: string;
let labs: string[];
/** Per lab NN: notebook NN of the edition of lab NN, and that edition's node_modules. */
const perLab = new Map<number, { notebook: string; nodeModules: string }>();
/** Labs whose figures the library draws with that lab's solutions: their notebook is also run with every answer written. */
const ANSWERED: readonly number[] = [2, 4, 5];
/** Per lab in ANSWERED: notebook NN of the edition of lab NN with the master's answers in its answer cells. */
const answeredNotebooks = new Map<number, string>();

/**
 * The edition's node_modules: the checkout's packages, and "ai-efficiency-labs" resolving to
 * the edition itself (its stubbed library), as `npm install` in the edition would give.
 */
function linkEditionModules(studentDir: string): string {
  const modules = path.join(studentDir, "node_modules");
  fs.mkdirSync(modules, { recursive: true });
  for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (entry !== "ai-efficiency-labs") fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry));
  }
  fs.symlinkSync("..", path.join(modules, "ai-efficiency-labs"));
  return modules;
}

beforeAll(() => {
  fs.mkdirSync(screenshots, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-student-browser-"));
  // Each edition is built once per state of the checkout, shared with the unit tests (cached-release.ts).
  const release = cachedRelease(); // read only: the server copies the notebooks it serves
  studentNotebooks = path.join(release.studentDir, "notebooks");
  // The labs with graded questions: their answer cells are stubs in this edition.
  labs = fs.readdirSync(studentNotebooks).filter((f) => courseQuestions.some((q) => q.notebook === f)).sort();
  for (const n of LABS) {
    const edition = copyRelease(cachedRelease(n), path.join(scratch, `lab-${n}`)); // a copy: node_modules is linked into it
    const name = fs.readdirSync(path.join(edition.studentDir, "notebooks")).find((f) => f.startsWith(String(n).padStart(2, "0")));
    if (name === undefined) continue;
    const notebook = path.join(edition.studentDir, "notebooks", name);
    perLab.set(n, { notebook, nodeModules: linkEditionModules(edition.studentDir) });
    if (ANSWERED.includes(n)) {
      const read = (file: string): NotebookJson => JSON.parse(fs.readFileSync(file, "utf8")) as NotebookJson;
      const answered = path.join(scratch, `answered-${name}`);
      fs.writeFileSync(answered, JSON.stringify(answeredEditionOf(read(notebook), read(path.join(ROOT, "notebooks", name))), null, 1));
      answeredNotebooks.set(n, answered);
    }
  }
}, 900_000);

/** Each code cell of the open JupyterLab notebook: its index and the text of its outputs (from the model). */
function labCellTexts(page: Page): Promise<{ cell: number; text: string; source: string; outputs: number }[]> {
  return page.evaluate(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const model = (window as any).jupyterapp.shell.currentWidget.content.model;
    const cells: { cell: number; text: string; source: string; outputs: number }[] = [];
    for (let i = 0; i < model.cells.length; i++) {
      const cell = model.cells.get(i);
      if (cell.type !== "code") continue;
      const text = cell.outputs
        .toJSON()
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        .map((o: any) => (o.text !== undefined ? [o.text].flat().join("") : o.data?.["text/plain"] !== undefined ? [o.data["text/plain"]].flat().join("") : ""))
        .join("");
      cells.push({ cell: i, text, source: cell.sharedModel.getSource(), outputs: cell.outputs.length });
    }
    return cells;
  });
}

describe("each lab's own student edition in JupyterLab 4, every answer a stub", () => {
  let server: JupyterServer;
  let browser: Browser;

  beforeAll(async () => {
    const served = [...perLab].map(([n, { notebook, nodeModules }]) => ({ file: notebook, as: `lab-${n}/${path.basename(notebook)}`, nodeModules }));
    for (const [n, file] of answeredNotebooks) served.push({ file, as: `lab-${n}/${path.basename(file)}`, nodeModules: perLab.get(n)!.nodeModules });
    [server, browser] = await Promise.all([startJupyter(served, "lab"), launchChromium()]);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toEqual([]); // no kernel or server outlives the suite
  });

  it("covers every lab with graded questions", () => {
    expect(labs.length).toBeGreaterThanOrEqual(6);
    expect([...perLab.keys()]).toEqual([...LABS]);
  });

  it.each(LABS)("lab %i's edition runs its notebook to the last cell: one line per missing answer, and every other plot drawn", async (n) => {
    const served = perLab.get(n);
    expect(served, `no notebook ${n} in the edition of lab ${n}`).toBeDefined();
    const name = path.basename(served!.notebook);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await jupyterLab.open(page, server.notebookUrl(`lab-${n}/${name}`));
    await jupyterLab.runAll(page); // returns once every code cell has a new execution count and the kernel is idle
    expect(await jupyterLab.errors(page)).toEqual([]);

    const cells = await labCellTexts(page);
    const needs = cells.filter((c) => /needs [a-z]+\.\w+ \(code cell/.test(c.text));
    expect(needs.length, `${name}: no cell said what it needs`).toBeGreaterThan(0);
    for (const c of needs) expect(c.text.trim(), `${name} cell ${c.cell}`).toMatch(NEEDS_LINE);
    expect(cells.map((c) => c.text).join("\n")).not.toMatch(/at evalmachine|Error: Not implemented/);

    // Every plot cell that does not wait for an answer draws its figure, wherever it sits.
    const plotCells = cells.filter((c) => /showPlot\(|show[A-Z]\w*Figure\(/.test(c.source) && !/needs [a-z]+\./.test(c.text)).map((c) => c.cell);
    for (const cell of await jupyterLab.plots(page, plotCells)) {
      expect(cell.outputs, `${name} cell ${cell.cell} shows no plot: ${cell.text}`).toBeGreaterThan(0);
      expect(cell.drawn, `${name} cell ${cell.cell} did not draw: ${cell.text}`).toBe(cell.outputs);
    }
    // ...and at least one of them comes after the first stub: the lab went on past it. Not in lab 1, whose
    // every figure shows the student's own gradient descent, nor in the per-lab editions of labs 4 and 5,
    // whose figures are all drawn by library functions built on that lab's references (the footprint
    // tables on bytesPerParameter, the Gantt charts on the schedules), which their edition stubs.
    if (![1, 4, 5].includes(n)) expect(plotCells.some((i) => i > needs[0]!.cell), `${name}: no plot was drawn below the first missing answer`).toBe(true);
    // The cells after the first stub ran (runAll waits for every execution count); the last one showed something.
    expect(cells[cells.length - 1]!.outputs, `${name}: the last code cell showed nothing`).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshots, `student-edition-${name!.replace(/\.ipynb$/, "")}-lab.png`) });
    await page.close();
  });

  it.each(ANSWERED)("lab %i's edition with every answer written runs every cell and draws every figure: the library's solutions of the lab run the student's functions", async (n) => {
    const name = path.basename(answeredNotebooks.get(n)!);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await jupyterLab.open(page, server.notebookUrl(`lab-${n}/${name}`));
    await jupyterLab.runAll(page);
    expect(await jupyterLab.errors(page)).toEqual([]);
    const cells = await labCellTexts(page);
    const text = cells.map((c) => c.text).join("\n");
    expect(text).not.toMatch(/skipped: this cell needs the library's own|Not implemented|Your answer to/);
    // A cell above an answer cell waits for it on a first Run All, and says the answer is further down; no other cell waits.
    for (const c of cells) {
      for (const m of c.text.matchAll(/needs [a-z]+\.\w+ \(code cell \d+[^)]*\)/g)) expect(m[0], `${name} cell ${c.cell}`).toMatch(/, further down\)$/);
    }
    const plotCells = cells.filter((c) => /showPlot\(|show[A-Z]\w*Figure\(/.test(c.source) && !/needs /.test(c.text)).map((c) => c.cell);
    expect(plotCells.length).toBeGreaterThan(0);
    for (const cell of await jupyterLab.plots(page, plotCells)) {
      expect(cell.outputs, `${name} cell ${cell.cell} shows no plot: ${cell.text}`).toBeGreaterThan(0);
      expect(cell.drawn, `${name} cell ${cell.cell} did not draw: ${cell.text}`).toBe(cell.outputs);
    }
    await page.screenshot({ path: path.join(screenshots, `student-edition-${name.replace(/\.ipynb$/, "")}-lab.png`) });
    await page.close();
  });
});

describe("the student edition of 02-adam.ipynb in classic Notebook, every answer a stub", () => {
  const LAB = "02-adam.ipynb";
  let server: JupyterServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startJupyter([path.join(studentNotebooks, LAB)]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toEqual([]);
  });

  /** Text of each code cell's outputs, in order. */
  function cellOutputs(p: Page): Promise<string[]> {
    return p.evaluate(() => [...document.querySelectorAll(".code_cell")].map((c) => c.querySelector(".output")?.textContent ?? ""));
  }

  it("runs to the last cell with no error; cells that need an answer say so in one line; later plots are drawn", async () => {
    await openNotebook(page, server.notebookUrl(LAB));
    await runAllCells(page);
    expect(await errorOutputs(page)).toEqual([]);
    const prompts = await page.evaluate(() =>
      (window as unknown as { Jupyter: { notebook: { get_cells(): { cell_type: string; input_prompt_number: unknown }[] } } }).Jupyter.notebook
        .get_cells()
        .filter((c) => c.cell_type === "code")
        .map((c) => c.input_prompt_number),
    );
    expect(prompts.every((n) => typeof n === "number")).toBe(true); // the last cell ran too

    const outputs = await cellOutputs(page);
    const needs = outputs.filter((o) => /needs adam\./.test(o));
    expect(needs.length).toBeGreaterThanOrEqual(3);
    for (const o of needs) expect(o.trim()).toMatch(NEEDS_LINE);
    expect(outputs.join("\n")).not.toMatch(/at evalmachine|Error: Not implemented/);

    // Plots after the first stub: the Iris race (section 6) and the ε experiments (section 8).
    await page.waitForFunction(() => [...document.querySelectorAll(".efflab-plot")].every((d) => d.querySelector("svg.main-svg")), null, { timeout: 30_000 });
    const plots = await drawnPlots(page);
    const titles = plots.map((p) => p.text).join("\n");
    for (const later of ["MLP 4-32-3 on Iris", "first step vs gradient size", "tiny gradients"]) expect(titles).toContain(later);
    for (const plot of plots) expect(plot.traces, plot.text).toBeGreaterThan(0);

    const tables = await checkTables(page);
    expect(tables.length).toBeGreaterThanOrEqual(3);
    for (const t of tables) expect(t.summary).toMatch(/^adam\.\w+: 0 of \d+ public tests passed|passed over/);
    await screenshotNotebook(page, path.join(screenshots, "student-edition-02-adam.png"));
  });
});
