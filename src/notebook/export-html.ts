/**
 * `efflab export NOTEBOOK --html OUT`: one HTML file a lecturer can open anywhere,
 * with every output and interactive plot, and no network.
 *
 * Jupyter's nbconvert renders the executed notebook; we then make the page
 * self-contained. nbconvert links require.js and MathJax 2 by URL (a CDN, or
 * /usr/share/javascript on Debian); neither is reachable from a lecture-hall laptop
 * offline. We drop those links and inline MathJax 3's single-file `tex-svg`
 * component from node_modules (SVG output needs no font files), and plotly.js once,
 * before any output: nbconvert shows each plot's HTML representation, whose script
 * draws with `window.Plotly` (src/plot/show.ts).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { plotlyLoaderScript } from "../plot/plotly-bundle";
import { inlineScriptText } from "../plot/display";
import { findNbclientPython, JUPYTER_INSTALL_HINT } from "../kernel/jupyter-tools";
import { formatRun, runNotebook } from "./run-notebooks";

export interface ExportOptions {
  /**
   * Execute the notebook first. `"auto"` executes only when no code cell has outputs
   * (a committed notebook); an executed notebook is exported as it is.
   * @default "auto"
   */
  readonly execute?: boolean | "auto";
  /** Python with nbconvert. @default found with `findNbclientPython` */
  readonly python?: string;
}

export interface ExportResult {
  readonly out: string;
  readonly executed: boolean;
  readonly bytes: number;
}

interface NotebookJson {
  cells: { cell_type: string; outputs?: unknown[] }[];
}

/** Whether any code cell has outputs (an executed notebook rather than a committed one). */
function hasOutputs(file: string): boolean {
  let nb: NotebookJson;
  try {
    nb = JSON.parse(fs.readFileSync(file, "utf8")) as NotebookJson;
  } catch (error) {
    throw new Error(`${file} is not a valid notebook (${(error as Error).message}).`);
  }
  return nb.cells.some((c) => c.cell_type === "code" && (c.outputs?.length ?? 0) > 0);
}

/** The MathJax 3 page configuration and component, as inline scripts. */
export function inlineMathJax(): string {
  const source = inlineScriptText(fs.readFileSync(require.resolve("mathjax/es5/tex-svg.js"), "utf8"));
  const config = {
    tex: { inlineMath: [["$", "$"], ["\\(", "\\)"]], displayMath: [["$$", "$$"], ["\\[", "\\]"]], processEscapes: true },
    svg: { fontCache: "global" },
    startup: { typeset: true },
  };
  return `<script>window.MathJax=${JSON.stringify(config)};</script>\n<script>${source}</script>\n`;
}

/** Remove scripts loaded by URL (CDN or local system paths) and inline MathJax 3 and plotly.js. */
export function makeSelfContained(html: string): string {
  const withoutLinks = html.replace(/<script\b[^>]*\bsrc\s*=\s*["'][^"']*["'][^>]*>\s*<\/script>/gi, "");
  const head = withoutLinks.indexOf("</head>");
  if (head === -1) throw new Error("nbconvert's page has no </head>; cannot inline MathJax.");
  return withoutLinks.slice(0, head) + inlineMathJax() + plotlyLoaderScript() + "\n" + withoutLinks.slice(head);
}

/** Run `python -m nbconvert ARGS --stdout` and return the page, or throw with nbconvert's last lines. */
export async function nbconvert(python: string, args: readonly string[]): Promise<string> {
  const converted = await run(python, ["-m", "nbconvert", ...args, "--stdout", "--log-level=ERROR"]);
  if (converted.code !== 0 || converted.stdout.length === 0) {
    throw new Error(`nbconvert failed (exit ${converted.code}): ${converted.stderr.trim().split("\n").slice(-3).join(" ")}`);
  }
  return converted.stdout;
}

function run(command: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr }));
  });
}

/** Where an export reads from: the notebook itself, or its executed copy in `scratch`. */
export interface ExportSource {
  readonly source: string;
  readonly executed: boolean;
  readonly python: string;
}

/**
 * Check the arguments every export shares and execute the notebook when needed
 * (into `scratch`; the notebook itself is never written).
 */
export async function prepareExport(notebook: string, out: string, scratch: string, options: ExportOptions): Promise<ExportSource> {
  if (path.extname(out).toLowerCase() !== ".html") {
    throw new Error(`the export is an HTML page: give a file name ending in .html, got "${out}".`);
  }
  if (!fs.existsSync(notebook)) throw new Error(`notebook not found: ${notebook}`);
  const python = options.python ?? findNbclientPython();
  if (!python) throw new Error(`no Python with nbconvert found; ${JUPYTER_INSTALL_HINT}.`);
  const mode = options.execute ?? "auto";
  const executed = mode === "auto" ? !hasOutputs(notebook) : mode;
  if (!executed) return { source: notebook, executed, python };
  const result = await runNotebook(notebook, { outDir: scratch });
  if (!result.ok) throw new Error(`the notebook failed while executing, so it was not exported:\n${formatRun(result)}`);
  return { source: result.executedCopy, executed, python };
}

/** Write the finished page and report it. */
export function writeExport(out: string, page: string, executed: boolean): ExportResult {
  const target = path.resolve(out);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, page);
  return { out: target, executed, bytes: Buffer.byteLength(page) };
}

/**
 * Export `notebook` to a self-contained HTML page at `out` (must end in .html).
 * The notebook itself is never modified.
 */
export async function exportNotebookHtml(notebook: string, out: string, options: ExportOptions = {}): Promise<ExportResult> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-export-"));
  try {
    const { source, executed, python } = await prepareExport(notebook, out, scratch, options);
    const page = makeSelfContained(await nbconvert(python, ["--to", "html", source]));
    return writeExport(out, page, executed);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
