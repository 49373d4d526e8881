/** `efflab kernel install | uninstall | doctor`: the Jupyter kernel of the workbook. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { CommandSpec, Io } from "../command";
import { UsageError } from "../parse-args";
import { installKernel, jupyterDataDir, readInstalledKernel, uninstallKernel, KERNEL_DISPLAY_NAME } from "../../kernel/kernelspec";
import { linkLibrary } from "../../kernel/library-link";
import { findJupyterLab, findPlotlyRenderer, jupyterDataPaths, jupyterLabVersion } from "../../kernel/jupyterlab";
import { findJupyter, findNbclientPython, JUPYTER_INSTALL_HINT } from "../../kernel/jupyter-tools";
import { servedPlotlyFiles } from "../../plot/plotly-bundle";
import { WORKBOOK_ROOT } from "../../notebook/run-notebooks";
import { initTensors } from "../../tensor/backend";

/** One line of the doctor's report. `fix` is set when the check failed. */
export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly fix?: string;
  /** A warning does not fail the doctor (e.g. tfjs-node missing is normal). */
  readonly warning?: boolean;
}

function packageVersion(name: string): string | undefined {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [WORKBOOK_ROOT] });
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** Every check the doctor runs, in order. */
export async function doctorChecks(root: string = WORKBOOK_ROOT): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const major = Number(process.versions.node.split(".")[0]);
  checks.push({
    name: "node",
    ok: major >= 20,
    detail: `${process.version} at ${process.execPath}`,
    fix: major >= 20 ? undefined : "install Node.js 20 or newer (on a cluster: `module avail node`, or a user-local install)",
  });
  const tslab = packageVersion("tslab");
  checks.push({
    name: "tslab",
    ok: tslab !== undefined,
    detail: tslab ? `${tslab} at ${path.join(root, "node_modules", "tslab")}` : "not installed",
    fix: tslab ? undefined : "run `npm install` in the workbook folder",
  });
  const built = fs.existsSync(path.join(root, "dist", "index.d.ts"));
  let linked = false;
  try {
    linked = fs.realpathSync(path.join(root, "node_modules", "ai-efficiency-labs")) === fs.realpathSync(root);
  } catch {
    linked = false;
  }
  checks.push({
    name: "library",
    ok: built && linked,
    detail: built && linked ? `built in dist/, importable as "ai-efficiency-labs"` : `${built ? "" : "dist/ missing; "}${linked ? "" : "node_modules link missing"}`,
    fix: built && linked ? undefined : "run `npm install` (or `npm run build` then `npx efflab kernel install`)",
  });
  const spec = readInstalledKernel();
  const expectedTslab = path.join(root, "node_modules", "tslab", "bin", "tslab");
  const specOk = spec !== undefined && spec.spec.argv[1] === expectedTslab && fs.existsSync(spec.spec.argv[0] ?? "");
  checks.push({
    name: "kernelspec",
    ok: specOk,
    detail: spec
      ? `"${spec.displayName}" in ${spec.dir} -> ${spec.spec.argv.slice(0, 2).join(" ")}`
      : `not found in ${path.join(jupyterDataDir(), "kernels")}`,
    fix: specOk ? undefined : "run `npx efflab kernel install` (from this checkout)",
  });
  const jupyter = findJupyter();
  checks.push({
    name: "jupyter",
    ok: jupyter !== undefined,
    detail: jupyter ? jupyter : "not found on PATH",
    fix: jupyter ? undefined : JUPYTER_INSTALL_HINT,
    warning: true,
  });
  checks.push(...jupyterLabChecks(root));
  const python = findNbclientPython();
  checks.push({
    name: "nbclient",
    ok: python !== undefined,
    detail: python ? `${python} (for \`efflab run\`)` : "no Python with nbclient (needed by `efflab run` only)",
    fix: python ? undefined : JUPYTER_INSTALL_HINT,
    warning: true,
  });
  try {
    const backend = await initTensors();
    checks.push({
      name: "tensor backend",
      ok: true,
      detail: backend.name + (backend.skipped.length ? ` (skipped ${backend.skipped.map((s) => s.split(":")[0]).join(", ")}: normal without tfjs-node)` : ""),
    });
  } catch (error) {
    checks.push({ name: "tensor backend", ok: false, detail: (error as Error).message, fix: "run `npm install`" });
  }
  return checks;
}

/**
 * JupyterLab (version, and where it comes from), plotly's JupyterLab renderer, and the
 * copy of plotly.js the Jupyter servers serve to notebook pages (src/plot/show.ts).
 */
export function jupyterLabChecks(root: string = WORKBOOK_ROOT): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  const lab = findJupyterLab(root);
  const version = lab ? jupyterLabVersion(lab.jupyter) : undefined;
  checks.push({
    name: "jupyterlab",
    ok: version !== undefined,
    detail: version ? `${version} (${lab!.jupyter}, from ${lab!.source})` : "not found",
    fix: "run `npm start`: it installs JupyterLab into .venv-jupyter/ when none is found (on Delta, Open OnDemand's JupyterLab app brings its own)",
    warning: true,
  });
  const renderer = lab ? findPlotlyRenderer(jupyterDataPaths(lab.jupyter)) : undefined;
  checks.push({
    name: "plot renderer",
    ok: true,
    detail: renderer
      ? `jupyterlab-plotly ${renderer.version} in ${renderer.dir}: JupyterLab draws figures natively`
      : "jupyterlab-plotly not installed: figures draw from their HTML fallback with the plotly.js below (works the same)",
  });
  const served = Object.values(servedPlotlyFiles(jupyterDataDir()));
  const missing = served.filter((f) => !fs.existsSync(f));
  checks.push({
    name: "plotly.js",
    ok: missing.length === 0,
    detail: missing.length === 0 ? `served to notebooks from ${served.join(" and ")}` : `missing: ${missing.join(", ")}`,
    fix: "run `npx efflab kernel install` (from this checkout)",
  });
  return checks;
}

function printChecks(checks: readonly DoctorCheck[], io: Io): void {
  const width = Math.max(...checks.map((c) => c.name.length));
  for (const check of checks) {
    const mark = check.ok ? "✓" : check.warning ? "!" : "✗";
    io.out(`${mark} ${check.name.padEnd(width)}  ${check.detail}`);
    if (!check.ok && check.fix) io.out(`  ${" ".repeat(width)}  fix: ${check.fix}`);
  }
}

export const kernelCommand: CommandSpec = {
  name: "kernel",
  summary: `install, remove or diagnose the Jupyter kernel "${KERNEL_DISPLAY_NAME}"`,
  description:
    "install    write the per-user kernelspec with absolute paths to node and this checkout's tslab\n" +
    "           (works when Jupyter's PATH lacks node, as on Open OnDemand; no root; idempotent)\n" +
    "uninstall  remove it\n" +
    "doctor     check node, tslab, the library, the kernelspec, Jupyter, JupyterLab and its plot renderer,\n" +
    "           the plotly.js served to notebooks and the tensor backend;\n" +
    "           exits 1 with a one-line fix when something is wrong",
  positionals: { name: "ACTION", description: "install | uninstall | doctor", min: 1, max: 1 },
  flags: [],
  examples: ["efflab kernel install", "efflab kernel doctor", "efflab kernel doctor --json"],
  async run(args, io) {
    const action = args.positionals[0];
    switch (action) {
      case "install": {
        linkLibrary(WORKBOOK_ROOT);
        const installed = installKernel({ root: WORKBOOK_ROOT });
        if (args.json) io.out(JSON.stringify(installed, null, 2));
        else {
          io.out(`Installed kernel "${installed.displayName}" in ${installed.dir}`);
          io.out(`plotly.js for notebook pages: ${(installed.servedPlotly ?? []).join(", ")}`);
        }
        return 0;
      }
      case "uninstall": {
        const removed = uninstallKernel();
        if (args.json) io.out(JSON.stringify({ removed: removed ?? null }));
        else io.out(removed ? `Removed ${removed}` : "The kernel was not installed; nothing to remove.");
        return 0;
      }
      case "doctor": {
        const checks = await doctorChecks();
        const failed = checks.some((c) => !c.ok && !c.warning);
        if (args.json) io.out(JSON.stringify({ ok: !failed, checks }, null, 2));
        else printChecks(checks, io);
        return failed ? 1 : 0;
      }
      default:
        throw new UsageError(`unknown action "${action}"; use install, uninstall or doctor.`);
    }
  },
};

/** Run a command and return its first output line (for versions). */
export function firstLineOf(command: string, args: readonly string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 20_000 });
  return result.status === 0 ? result.stdout.trim().split("\n")[0] : undefined;
}
