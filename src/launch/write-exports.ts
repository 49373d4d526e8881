/**
 * Write a launch plan's exports into a folder: ds_config.json, megatron-args.txt (one flag and
 * its value per line, ready for `pretrain_gpt.py $(cat megatron-args.txt)`), job.sbatch.
 * Everything is generated and validated before the first file is written, so an invalid plan
 * leaves the folder untouched; the Slurm script must also pass `bash -n` when bash is present.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deepSpeedConfigJson } from "./deepspeed-config";
import { LaunchPlanError, type LaunchPlan } from "./launch-plan";
import { megatronArguments } from "./megatron-args";
import { defaultEngine, deltaSlurmScript } from "./slurm-script";

export const EXPORT_KINDS = ["deepspeed", "megatron", "slurm"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_FILE_NAMES: Readonly<Record<ExportKind, string>> = {
  deepspeed: "ds_config.json",
  megatron: "megatron-args.txt",
  slurm: "job.sbatch",
};

/** The files an export writes, name → text (the Slurm export brings the engine file it runs). */
export function exportFiles(plan: LaunchPlan, kind: ExportKind): Record<string, string> {
  switch (kind) {
    case "deepspeed":
      return { [EXPORT_FILE_NAMES.deepspeed]: deepSpeedConfigJson(plan) };
    case "megatron":
      return { [EXPORT_FILE_NAMES.megatron]: megatronArgumentsText(megatronArguments(plan)) };
    case "slurm": {
      const script = deltaSlurmScript(plan);
      expectBashSyntax(script);
      const engineFile = defaultEngine(plan) === "deepspeed" ? exportFiles(plan, "deepspeed") : exportFiles(plan, "megatron");
      return { [EXPORT_FILE_NAMES.slurm]: script, ...engineFile };
    }
  }
}

/** Validate, then write the files of `kind` into `dir` (created if missing). Returns the paths written. */
export function writeExport(plan: LaunchPlan, kind: ExportKind, dir: string): string[] {
  const files = exportFiles(plan, kind);
  mkdirSync(dir, { recursive: true });
  return Object.entries(files).map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text, name.endsWith(".sbatch") ? { mode: 0o755 } : {});
    return path;
  });
}

/** One flag (and its value) per line. */
export function megatronArgumentsText(args: readonly string[]): string {
  const lines: string[] = [];
  for (const word of args) {
    if (word.startsWith("--") || lines.length === 0) lines.push(word);
    else lines[lines.length - 1] += ` ${word}`;
  }
  return lines.join("\n") + "\n";
}

/** `bash -n` on the script: a syntax error is a LaunchPlanError; no bash, no check. */
export function expectBashSyntax(script: string): void {
  const result = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
  if (result.error !== undefined) return;
  if (result.status !== 0) throw new LaunchPlanError("bash -n", `the generated Slurm script does not parse: ${result.stderr.trim()}`);
}
