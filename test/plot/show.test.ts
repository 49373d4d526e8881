import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Figure } from "../../src/plot/figure";
import { installServedPlotly, plotlySource, SERVED_PLOTLY_PATHS, servedPlotlyFiles, uninstallServedPlotly } from "../../src/plot/plotly-bundle";
import { savePlot } from "../../src/plot/save";
import { describeFigure, PLOTLY_MIME, showPlot } from "../../src/plot/show";

// Pretend to be a running tslab kernel: capture the display_data messages.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
let sent: Record<string, unknown>[] = [];

beforeEach(() => {
  sent = [];
  jupyter.lastWriteDisplayData = (message: { data: Record<string, unknown> }) => sent.push(message.data);
});
afterEach(() => {
  jupyter.lastWriteDisplayData = null;
});

const fig: Figure = {
  data: [{ type: "scatter", name: "loss", x: [1, 2, 3], y: [3, 2, 1] }],
  layout: { title: { text: "Loss" }, xaxis: { title: { text: "step" } }, yaxis: { title: { text: "loss" } } },
};

describe("showPlot", () => {
  it("sends each figure as plotly JSON, an HTML fallback and a text line, and never plotly.js itself", () => {
    showPlot(fig);
    showPlot(fig);
    expect(sent).toHaveLength(2);
    for (const bundle of sent) {
      expect(Object.keys(bundle).sort()).toEqual([PLOTLY_MIME, "text/html", "text/plain"].sort());
      expect(bundle[PLOTLY_MIME]).toEqual({ data: fig.data, layout: { height: 420, ...fig.layout } });
      const html = bundle["text/html"] as string;
      // a few kilobytes per figure: the notebook does not grow by megabytes per plot
      expect(html.length).toBeLessThan(6_000);
      expect(html.includes(plotlySource().slice(0, 200))).toBe(false);
      expect(html).toContain(".newPlot(el,fig.data,fig.layout");
      // No external script tag and no CDN: plotly.js comes from the Jupyter server's own folders.
      expect(/<script[^>]+src=/.test(html)).toBe(false);
      expect(html).not.toMatch(/cdn|https?:/i);
    }
  });

  it("fetches plotly.js from where JupyterLab and classic Notebook serve it, below the page's base URL", () => {
    showPlot(fig);
    const html = sent[0]!["text/html"] as string;
    expect(html).toContain(SERVED_PLOTLY_PATHS.lab);
    expect(html).toContain(SERVED_PLOTLY_PATHS.notebook);
    expect(html).toContain("jupyter-config-data"); // JupyterLab's base URL
    expect(html).toContain("data-base-url"); // classic Notebook's
    expect(html).toContain('new Function("define","module","exports"'); // hides require.js from the UMD bundle
  });

  it("carries a text description for logs and says how to fix a server that does not serve plotly.js", () => {
    showPlot(fig);
    expect(sent[0]!["text/plain"]).toBe(describeFigure(fig));
    expect(sent[0]!["text/plain"]).toMatch(/Loss — 1 trace/);
    expect(sent[0]!["text/html"] as string).toContain("npx efflab kernel install");
  });

  it("places plotly.js in a Jupyter data folder for both servers, and removes it again", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-data-"));
    const files = installServedPlotly(dataDir);
    expect(files).toEqual(Object.values(servedPlotlyFiles(dataDir)));
    for (const file of files) expect(fs.readFileSync(file, "utf8")).toBe(plotlySource());
    expect(files[0]!.endsWith(path.join("labextensions", "ai-efficiency-labs", "static", "plotly.min.js"))).toBe(true);
    expect(files[1]!.endsWith(path.join("nbextensions", "ai-efficiency-labs", "plotly.min.js"))).toBe(true);
    // no package.json: JupyterLab serves the folder but does not load it as an extension
    expect(fs.existsSync(path.join(dataDir, "labextensions", "ai-efficiency-labs", "package.json"))).toBe(false);
    uninstallServedPlotly(dataDir);
    expect(fs.readdirSync(path.join(dataDir, "labextensions"))).toEqual([]);
    expect(fs.readdirSync(path.join(dataDir, "nbextensions"))).toEqual([]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("escapes figure text so a label cannot end the script element", () => {
    showPlot({ data: [{ type: "bar", name: "</script><b>x", x: [1], y: [1] }], layout: {} });
    const html = sent[0]!["text/html"] as string;
    expect(html.slice(html.lastIndexOf("var fig="))).not.toContain("</script><b>");
  });

  it("rejects a figure whose traces would draw blank, saying which trace", () => {
    expect(() => showPlot({ data: [{ name: "bad", x: [1, 2], y: [1] }], layout: {} })).toThrow(/Trace 0 \("bad"\) has 2 x values but 1 y values/);
  });
});

describe("savePlot", () => {
  it("writes a standalone page with plotly.js inlined", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-plot-"));
    const file = savePlot(fig, path.join(dir, "loss.html"));
    const page = fs.readFileSync(file, "utf8");
    expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(page.includes(plotlySource().slice(0, 200))).toBe(true);
    expect(page.includes('"text":"Loss"')).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses to write anything but .html, so a typo cannot overwrite a notebook", () => {
    expect(() => savePlot(fig, "notebooks/01-gradient-descent.ipynb")).toThrow(/ending in .html/);
  });
});

describe("validateFigure", () => {
  it("accepts a heat map whose x and y label columns and rows of different lengths", () => {
    expect(() => showPlot({ data: [{ type: "heatmap", x: ["a", "b", "c"], y: ["r1", "r2"], z: [[1, 2, 3], [4, 5, 6]] }], layout: {} })).not.toThrow();
  });
});
