import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Figure } from "../../src/plot/figure";
import { plotlySource } from "../../src/plot/plotly-bundle";
import { savePlot } from "../../src/plot/save";
import { describeFigure, reloadPlotly, showPlot } from "../../src/plot/show";

// Pretend to be a running tslab kernel: capture the display_data messages.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
let sent: Record<string, string>[] = [];

beforeEach(() => {
  sent = [];
  reloadPlotly();
  jupyter.lastWriteDisplayData = (message: { data: Record<string, string> }) => sent.push(message.data);
});
afterEach(() => {
  jupyter.lastWriteDisplayData = null;
});

const fig: Figure = {
  data: [{ type: "scatter", name: "loss", x: [1, 2, 3], y: [3, 2, 1] }],
  layout: { title: { text: "Loss" }, xaxis: { title: { text: "step" } }, yaxis: { title: { text: "loss" } } },
};

describe("showPlot", () => {
  it("sends plotly.js with the first figure only, from node_modules, never a CDN", () => {
    showPlot(fig);
    showPlot(fig);
    expect(sent).toHaveLength(2);
    const [first, second] = sent.map((b) => b["text/html"]!);
    expect(first!.includes(plotlySource().slice(0, 200))).toBe(true);
    expect(first!.length).toBeGreaterThan(1_000_000);
    expect(second!.length).toBeLessThan(5_000);
    expect(second).toContain("Plotly.newPlot");
    // No external script: every <script> tag is inline.
    for (const html of [first!, second!]) expect(/<script[^>]+src=/.test(html)).toBe(false);
  });

  it("hides require.js's define while plotly.js loads (classic Notebook, VS Code)", () => {
    showPlot(fig);
    const html = sent[0]!["text/html"]!;
    expect(html.startsWith("<script>(function(){if(window.Plotly)return;var d=window.define,m=window.module;window.define=undefined;")).toBe(true);
    expect(html.includes("}finally{window.define=d;window.module=m;}")).toBe(true);
  });

  it("carries a text description for logs and a readable message if plotly.js never arrives", () => {
    showPlot(fig);
    expect(sent[0]!["text/plain"]).toBe(describeFigure(fig));
    expect(sent[0]!["text/plain"]).toMatch(/Loss — 1 trace/);
    expect(sent[0]!["text/html"]!.includes("plotly.js is not loaded in this page")).toBe(true);
  });

  it("escapes figure text so a label cannot end the script element", () => {
    showPlot({ data: [{ type: "bar", name: "</script><b>x", x: [1], y: [1] }], layout: {} });
    const html = sent[0]!["text/html"]!;
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
