/**
 * Finding or installing JupyterLab (src/kernel/jupyterlab.ts) and what `npm start`
 * prints (src/cli/commands/start.ts): the parts that need no network or Python.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { canOpenBrowser, serverUrlFrom } from "../../src/cli/commands/start";
import { findJupyterLab, findPlotlyRenderer, localIndexUrl } from "../../src/kernel/jupyterlab";

describe("localIndexUrl (pip's index for installing JupyterLab offline)", () => {
  it("picks the first local extra index when no index-url is configured (this machine's pip config)", () => {
    const config = [
      ":env:.find-links='/opt/wheels'",
      "global.extra-index-url='file:///opt/pypi/simple file:///opt/pypi-more/simple'",
      "global.find-links='/opt/wheels'",
    ].join("\n");
    expect(localIndexUrl(config)).toBe("file:///opt/pypi/simple");
  });
  it("accepts an index on localhost, and skips remote extra indexes", () => {
    expect(localIndexUrl("global.extra-index-url='https://example.org/simple http://localhost:3141/root/pypi'")).toBe(
      "http://localhost:3141/root/pypi",
    );
  });
  it("adds nothing when an index-url is configured (pip uses it anyway) or no local index exists", () => {
    expect(localIndexUrl("global.index-url='https://mirror.example/simple'\nglobal.extra-index-url='file:///opt/x'")).toBeUndefined();
    expect(localIndexUrl("global.extra-index-url='https://example.org/simple'")).toBeUndefined();
    expect(localIndexUrl("")).toBeUndefined();
  });
});

describe("npm start", () => {
  it("knows when no browser can open (Linux without a display, or over SSH)", () => {
    expect(canOpenBrowser({}, "linux")).toBe(false);
    expect(canOpenBrowser({ DISPLAY: ":0" }, "linux")).toBe(true);
    expect(canOpenBrowser({ DISPLAY: ":0", SSH_CONNECTION: "1 2 3 4" }, "linux")).toBe(false);
    expect(canOpenBrowser({}, "darwin")).toBe(true);
  });
  it("finds the URL to print in JupyterLab's start-up log", () => {
    const log = "[I 2026-12-02 ServerApp] Jupyter Server 2.17 is running at:\n[I ServerApp] http://localhost:8888/lab?token=3f2a9c\n";
    expect(serverUrlFrom(log)).toBe("http://localhost:8888/lab?token=3f2a9c");
    expect(serverUrlFrom("[I ServerApp] starting")).toBeUndefined();
  });
  it("uses $EFFLAB_JUPYTER first", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-lab-"));
    const jupyter = path.join(dir, "jupyter");
    fs.writeFileSync(jupyter, "#!/bin/sh\n", { mode: 0o755 });
    expect(findJupyterLab(dir, { EFFLAB_JUPYTER: jupyter, PATH: "" })).toEqual({ jupyter, source: "EFFLAB_JUPYTER" });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("findPlotlyRenderer", () => {
  it("reports jupyterlab-plotly's version and folder from the first data path that has it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-data-"));
    const ext = path.join(dir, "b", "labextensions", "jupyterlab-plotly");
    fs.mkdirSync(ext, { recursive: true });
    fs.writeFileSync(path.join(ext, "package.json"), JSON.stringify({ name: "jupyterlab-plotly", version: "7.1.0" }));
    expect(findPlotlyRenderer([path.join(dir, "a"), path.join(dir, "b")])).toEqual({ version: "7.1.0", dir: ext });
    expect(findPlotlyRenderer([path.join(dir, "a")])).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
