/**
 * The headless runner (`efflab run`) on real notebooks and the real kernel.
 * These tests start Jupyter kernels: each takes a few seconds.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

// Each test starts a real kernel (several seconds, more on a loaded 2-core machine).
vi.setConfig({ testTimeout: 300_000 });
import { findNbclientPython } from "../../src/kernel/jupyter-tools";
import { formatRun, runNotebook } from "../../src/notebook/run-notebooks";

const root = path.resolve(__dirname, "..", "..");
const fixtures = path.join(root, "test", "fixtures", "notebooks");
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-run-"));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

function sha256(file: string): string {
  return require("node:crypto").createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

describe("efflab run", () => {
  it("runs a notebook that imports the library and writes the executed copy elsewhere", async () => {
    const notebook = path.join(fixtures, "passes.ipynb");
    const before = sha256(notebook);
    const run = await runNotebook(notebook, { outDir });
    expect(run.failures).toEqual([]);
    expect(run.ok).toBe(true);
    const executed = JSON.parse(fs.readFileSync(run.executedCopy, "utf8"));
    expect(JSON.stringify(executed.cells[1].outputs)).toMatch(/uniform 0\.\d{3}/);
    expect(sha256(notebook)).toBe(before);
  });

  it("fails on a type error and names the cell and the message", async () => {
    const run = await runNotebook(path.join(fixtures, "type-error.ipynb"), { outDir });
    expect(run.ok).toBe(false);
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0]!.codeCellNumber).toBe(2);
    expect(run.failures[0]!.source).toContain('const answer: number = "forty-two"');
    expect(run.failures[0]!.messages.join("\n")).toMatch(/Type 'string' is not assignable to type 'number'/);
    expect(formatRun(run)).toMatch(/in code cell 2 \(cell 3 of the notebook\)/);
  });

  it("fails on a thrown error and stops there", async () => {
    const run = await runNotebook(path.join(fixtures, "throws.ipynb"), { outDir });
    expect(run.ok).toBe(false);
    expect(run.failures[0]!.codeCellNumber).toBe(2);
    expect(run.failures[0]!.messages.join("\n")).toMatch(/boom from the fixture/);
    const executed = JSON.parse(fs.readFileSync(run.executedCopy, "utf8"));
    expect(executed.cells[3].outputs).toEqual([]);
  });

  it("lets a cell tagged raises-exception fail on purpose", async () => {
    const run = await runNotebook(path.join(fixtures, "allowed-error.ipynb"), { outDir });
    expect(run.failures).toEqual([]);
  });

  it("starts the kernel when Jupyter's PATH has no node (as on Open OnDemand)", async () => {
    const python = findNbclientPython();
    expect(python).toBeDefined();
    // A PATH holding python3 and nothing else: no node, no tslab.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-path-"));
    fs.symlinkSync(python!, path.join(bin, "python3"));
    const env = { ...process.env, PATH: bin };
    expect(spawnSync("node", ["--version"], { env }).error).toBeDefined(); // node really is not on this PATH
    const run = await runNotebook(path.join(fixtures, "passes.ipynb"), { outDir, env, python: python! });
    fs.rmSync(bin, { recursive: true, force: true });
    expect(run.failures).toEqual([]);
  });

  it("explains a notebook that is not valid JSON, without touching it", async () => {
    const broken = path.join(outDir, "broken.ipynb");
    fs.writeFileSync(broken, '{"cells": [');
    const run = await runNotebook(broken, { outDir: path.join(outDir, "out") });
    expect(run.ok).toBe(false);
    expect(run.failures[0]!.messages[0]).toMatch(/not a valid notebook|could not be executed/);
    expect(fs.readFileSync(broken, "utf8")).toBe('{"cells": [');
  });
});

describe("efflab run from the command line", () => {
  it("exits non-zero and names the failing cell", () => {
    const result = spawnSync(process.execPath, [path.join(root, "bin", "efflab.js"), "run", path.join(fixtures, "type-error.ipynb"), "--out", outDir], {
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/✗ type-error\.ipynb/);
    expect(result.stdout).toMatch(/in code cell 2/);
    expect(result.stdout).toMatch(/0 passed, 1 failed/);
  });
});
