/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The released student edition in the browser: with every answer still a stub,
 * Cell → Run All reaches the last cell of lab 2, each cell that needs an answer
 * prints one line instead of a stack trace, and the plots below the stubs are drawn.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRelease } from "../../src/grading/release";
import { launchChromium } from "./chromium";
import { checkTables, drawnPlots, errorOutputs, openNotebook, runAllCells, screenshotNotebook } from "./classic-notebook";
import { ROOT, startJupyter, type JupyterServer } from "./jupyter-server";

const LAB = "02-adam.ipynb";
const screenshots = path.join(ROOT, ".efflab", "screenshots");

let server: JupyterServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  const release = buildRelease({ outDir: path.join(fs.mkdtempSync(path.join(os.tmpdir(), "efflab-student-browser-")), "release"), root: ROOT });
  server = await startJupyter([path.join(release.studentDir, "notebooks", LAB)]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Text of each code cell's outputs, in order. */
function cellOutputs(p: Page): Promise<string[]> {
  return p.evaluate(() => [...document.querySelectorAll(".code_cell")].map((c) => c.querySelector(".output")?.textContent ?? ""));
}

describe(`the student edition of ${LAB} in classic Notebook, every answer a stub`, () => {
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
    for (const o of needs) expect(o.trim()).toMatch(/^needs adam\.\w+ \(code cell \d+\) — implement it, then re-run this cell$/);
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
