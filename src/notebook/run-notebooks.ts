/**
 * Executing notebooks headless, the way CI and a TA do: `efflab run`.
 *
 * Each notebook runs on the workbook's kernel through Jupyter's own client
 * (nbclient, via `execute_notebook.py` beside this file), so a pass here means the
 * notebook runs in JupyterLab too. The executed copy is written to
 * `.efflab/executed/` (git-ignored); the student's notebook is never modified.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { checkCountsIn, latestCheckTotals } from "../grading/check-summary";
import { KERNEL_NAME } from "../kernel/kernelspec";
import { findNbclientPython, JUPYTER_INSTALL_HINT } from "../kernel/jupyter-tools";

/** The checkout this code runs from (dist/notebook/ or src/notebook/ -> two levels up). */
export const WORKBOOK_ROOT = path.resolve(__dirname, "..", "..");

export interface CellFailure {
  /** Index among all cells (markdown included), 0-based. */
  readonly cellIndex: number | null;
  /** "code cell 3": what a student counts in JupyterLab, 1-based. */
  readonly codeCellNumber: number | null;
  readonly executionCount: number | null;
  /** The first lines of the cell. */
  readonly source: string;
  readonly messages: readonly string[];
}

export interface NotebookRun {
  readonly notebook: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly executedCopy: string;
  readonly failures: readonly CellFailure[];
  /** Public tests passed and run by the notebook's `check()` calls (the latest per question). */
  readonly checks?: { readonly passed: number; readonly total: number };
}

export interface RunNotebookOptions {
  /** @default "ai-efficiency-labs" */
  readonly kernel?: string;
  /** Seconds one cell may run. @default 600 */
  readonly cellTimeout?: number;
  /** Folder for executed copies. @default <workbook>/.efflab/executed */
  readonly outDir?: string;
  /** Environment for Jupyter and the kernel (tests pass a PATH without node). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Python with nbclient. @default found with `findNbclientPython` */
  readonly python?: string;
}

/** The notebooks of the workbook, in teaching order. */
export function listNotebooks(dir: string = path.join(WORKBOOK_ROOT, "notebooks")): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Execute one notebook; never throws for a failing notebook (see `ok` and `failures`). */
export async function runNotebook(notebook: string, options: RunNotebookOptions = {}): Promise<NotebookRun> {
  const env = options.env ?? process.env;
  const python = options.python ?? findNbclientPython(env);
  if (!python) throw new Error(`no Python with nbclient found; ${JUPYTER_INSTALL_HINT}.`);
  if (!fs.existsSync(notebook)) throw new Error(`notebook not found: ${notebook}`);
  const outDir = options.outDir ?? path.join(WORKBOOK_ROOT, ".efflab", "executed");
  const executedCopy = path.join(outDir, path.basename(notebook));
  const script = path.join(WORKBOOK_ROOT, "src", "notebook", "execute_notebook.py");
  const args = [
    script,
    "--kernel",
    options.kernel ?? KERNEL_NAME,
    "--timeout",
    String(options.cellTimeout ?? 600),
    "--out",
    executedCopy,
    notebook,
  ];
  const { code, stdout, stderr } = await capture(python, args, env);
  let report: { ok: boolean; seconds: number; failures: CellFailure[] };
  try {
    report = JSON.parse(stdout) as typeof report;
  } catch {
    const reason = stderr.trim().split("\n").slice(-3).join(" ");
    return {
      notebook,
      ok: false,
      seconds: 0,
      executedCopy,
      failures: [
        {
          cellIndex: null,
          codeCellNumber: null,
          executionCount: null,
          source: "",
          messages: [`the notebook could not be executed (exit ${code}): ${explain(reason)}`],
        },
      ],
    };
  }
  return { notebook, executedCopy, ...report, checks: checksInExecutedCopy(executedCopy) };
}

/** The `check()` summaries printed in an executed notebook (undefined when it has none or cannot be read). */
export function checksInExecutedCopy(executedCopy: string): { passed: number; total: number } | undefined {
  let cells: { outputs?: { text?: string | string[]; data?: Record<string, string | string[]> }[] }[];
  try {
    cells = (JSON.parse(fs.readFileSync(executedCopy, "utf8")) as { cells: typeof cells }).cells;
  } catch {
    return undefined;
  }
  const join = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : (t ?? ""));
  const text = cells.flatMap((c) => c.outputs ?? []).map((o) => join(o.data?.["text/plain"]) + join(o.text)).join("\n");
  const totals = latestCheckTotals(checkCountsIn(text));
  return totals.questions > 0 ? { passed: totals.passed, total: totals.total } : undefined;
}

/** Turn Python's last words into advice. */
function explain(reason: string): string {
  if (/NoSuchKernel|No such kernel/i.test(reason)) {
    return `${reason} — the kernel is not registered: run \`npx efflab kernel install\`.`;
  }
  if (/NotJSONError|JSONDecodeError|Notebook does not appear to be JSON/i.test(reason)) {
    return `${reason} — the file is not a valid notebook (broken JSON). Restore it from git or your last download.`;
  }
  return reason;
}

function capture(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A report a student can act on: which cell, what it says. */
export function formatRun(run: NotebookRun): string {
  const name = path.basename(run.notebook);
  if (run.ok && run.checks !== undefined && run.checks.passed < run.checks.total) {
    return `○ ${name} ran (${run.seconds.toFixed(1)} s), ${run.checks.passed} of ${run.checks.total} public checks pass (efflab check ${path.relative(process.cwd(), run.notebook) || name} for details)`;
  }
  if (run.ok) return `✓ ${name} (${run.seconds.toFixed(1)} s${run.checks ? `, ${run.checks.total} of ${run.checks.total} public checks pass` : ""})`;
  const lines = [`✗ ${name}`];
  for (const failure of run.failures) {
    const where =
      failure.codeCellNumber !== null
        ? `code cell ${failure.codeCellNumber} (cell ${(failure.cellIndex ?? 0) + 1} of the notebook)`
        : "the notebook";
    lines.push(`  in ${where}:`);
    if (failure.source) lines.push(...failure.source.split("\n").map((l) => `  │ ${l}`));
    for (const message of failure.messages) lines.push(...message.split("\n").slice(0, 12).map((l) => `  ${l}`));
  }
  lines.push(`  executed copy: ${path.relative(process.cwd(), run.executedCopy) || run.executedCopy}`);
  return lines.join("\n");
}
