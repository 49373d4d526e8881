/**
 * What is this workbook running on? Shown by the welcome notebook and by
 * `efflab kernel doctor`, so a student can paste it into a question to the TAs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { activeBackend, initTensors, tf } from "../tensor/backend";
import { plotlyVersion } from "../plot/plotly-bundle";
import { escapeHtml, showHtml } from "../plot/display";

export interface EnvironmentReport {
  readonly node: string;
  readonly tslab: string;
  readonly tfjs: string;
  readonly tensorBackend: string;
  readonly plotly: string;
  readonly mathjs: string;
  readonly platform: string;
  readonly cpus: number;
}

function versionOf(name: string): string {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [path.resolve(__dirname, "..", "..")] });
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

/** Versions and the tensor backend in use (starts TensorFlow.js if needed). */
export async function environmentReport(): Promise<EnvironmentReport> {
  const backend = activeBackend() ?? (await initTensors());
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = require("node:os") as typeof import("node:os");
  return {
    node: process.version,
    tslab: versionOf("tslab"),
    tfjs: tf.version.tfjs,
    tensorBackend: backend.name,
    plotly: plotlyVersion(),
    mathjs: versionOf("mathjs"),
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
  };
}

/** Show the environment as a small table. */
export async function showEnvironment(): Promise<EnvironmentReport> {
  const report = await environmentReport();
  const rows = Object.entries(report);
  const width = Math.max(...rows.map(([k]) => k.length));
  showHtml(
    `<table>${rows.map(([k, v]) => `<tr><th style="text-align:left">${escapeHtml(k)}</th><td style="text-align:left"><code>${escapeHtml(String(v))}</code></td></tr>`).join("")}</table>`,
    rows.map(([k, v]) => `${k.padEnd(width)}  ${String(v)}`).join("\n"),
  );
  return report;
}
