import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  installKernel,
  jupyterDataDir,
  KERNEL_DISPLAY_NAME,
  readInstalledKernel,
  uninstallKernel,
} from "../../src/kernel/kernelspec";
import { linkLibrary } from "../../src/kernel/library-link";

const root = path.resolve(__dirname, "..", "..");
const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-kernel-"));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the kernelspec", () => {
  it("uses absolute paths to node and this checkout's tslab, so Jupyter needs no node on its PATH", () => {
    const dataDir = tempDir();
    const installed = installKernel({ root, dataDir });
    const spec = JSON.parse(fs.readFileSync(path.join(installed.dir, "kernel.json"), "utf8"));
    expect(spec.display_name).toBe(KERNEL_DISPLAY_NAME);
    expect(path.isAbsolute(spec.argv[0])).toBe(true);
    expect(spec.argv[0]).toBe(process.execPath);
    expect(spec.argv[1]).toBe(path.join(root, "node_modules", "tslab", "bin", "tslab"));
    expect(fs.existsSync(spec.argv[1])).toBe(true);
    expect(spec.argv.slice(2)).toEqual(["kernel", "--config-path", "{connection_file}"]);
  });

  it("is idempotent and can be removed again", () => {
    const dataDir = tempDir();
    const first = installKernel({ root, dataDir });
    const bytes = fs.readFileSync(path.join(first.dir, "kernel.json"), "utf8");
    installKernel({ root, dataDir });
    expect(fs.readFileSync(path.join(first.dir, "kernel.json"), "utf8")).toBe(bytes);
    expect(readInstalledKernel(dataDir)?.displayName).toBe(KERNEL_DISPLAY_NAME);
    expect(uninstallKernel(dataDir)).toBe(first.dir);
    expect(readInstalledKernel(dataDir)).toBeUndefined();
    expect(uninstallKernel(dataDir)).toBeUndefined();
  });

  it("refuses to install from a folder without tslab, saying to run npm install", () => {
    expect(() => installKernel({ root: tempDir(), dataDir: tempDir() })).toThrow(/Run `npm install`/);
  });

  it("finds the per-user Jupyter data dir the way jupyter_core does", () => {
    expect(jupyterDataDir({ JUPYTER_DATA_DIR: "/x/jd" }, "linux")).toBe("/x/jd");
    expect(jupyterDataDir({ HOME: "/home/s" }, "linux")).toBe("/home/s/.local/share/jupyter");
    expect(jupyterDataDir({ HOME: "/home/s", XDG_DATA_HOME: "/xdg" }, "linux")).toBe("/xdg/jupyter");
    expect(jupyterDataDir({ HOME: "/Users/s" }, "darwin")).toBe("/Users/s/Library/Jupyter");
  });
});

describe("the library link", () => {
  it("makes node_modules/ai-efficiency-labs resolve to the checkout, idempotently", () => {
    const fake = tempDir();
    fs.writeFileSync(path.join(fake, "package.json"), "{}");
    const link = linkLibrary(fake);
    expect(fs.realpathSync(link)).toBe(fs.realpathSync(fake));
    expect(linkLibrary(fake)).toBe(link);
  });

  it("is in place in this checkout, with types for notebooks", () => {
    const resolved = require.resolve("ai-efficiency-labs", { paths: [path.join(root, "notebooks")] });
    expect(fs.realpathSync(resolved)).toBe(path.join(fs.realpathSync(root), "dist", "index.js"));
    expect(fs.existsSync(path.join(root, "dist", "index.d.ts"))).toBe(true);
  });
});

describe("efflab kernel doctor", () => {
  const efflab = path.join(root, "bin", "efflab.js");
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");

  it("reports the kernel and the backend, and exits 0 when all is well", () => {
    const dataDir = tempDir();
    installKernel({ root, dataDir });
    const result = spawnSync(process.execPath, [efflab, "kernel", "doctor", "--json"], {
      encoding: "utf8",
      env: { ...process.env, JUPYTER_DATA_DIR: dataDir },
    });
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    expect(byName.kernelspec!.ok).toBe(true);
    expect(byName.kernelspec!.detail).toContain(KERNEL_DISPLAY_NAME);
    expect(byName["tensor backend"]!.detail).toMatch(/^(wasm|tensorflow|cpu)/);
    expect(byName.node!.detail).toContain(process.version);
    // the plotly.js that JupyterLab and classic Notebook serve to notebook pages, next to the kernel
    expect(byName["plotly.js"]!.ok).toBe(true);
    expect(byName["plotly.js"]!.detail).toContain(path.join(dataDir, "labextensions", "ai-efficiency-labs"));
    expect(byName["plotly.js"]!.detail).toContain(path.join(dataDir, "nbextensions", "ai-efficiency-labs"));
    expect(byName.jupyterlab).toBeDefined();
    expect(byName["plot renderer"]!.detail).toMatch(/jupyterlab-plotly/);
    expect(result.status).toBe(0);
  });

  it("exits 1 with a one-line fix when the kernel is not installed", () => {
    const result = spawnSync(process.execPath, [efflab, "kernel", "doctor"], {
      encoding: "utf8",
      env: { ...process.env, JUPYTER_DATA_DIR: tempDir() },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/✗ kernelspec\s+not found in .*\n\s+fix: run `npx efflab kernel install`/);
  });
});
