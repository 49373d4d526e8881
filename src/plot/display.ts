/**
 * Showing rich output in a notebook from library code.
 *
 * tslab's public `display` sends one MIME type per call. A good output carries
 * several at once: HTML for JupyterLab and classic Notebook, plain text for
 * terminals, `efflab run` logs and frontends that cannot show HTML. tslab keeps the
 * function that writes a `display_data` message of the cell being executed in
 * `tslab/dist/jupyter`'s `lastWriteDisplayData`; we call it with a full MIME bundle
 * (Jupyter messaging spec, "display_data":
 * https://jupyter-client.readthedocs.io/en/stable/messaging.html#display-data).
 *
 * Outside a kernel (a script, vitest, the CLI) the plain-text part goes to stdout.
 */
import { randomBytes } from "node:crypto";

/**
 * MIME type -> content, e.g. `{ "text/html": "<b>hi</b>", "text/plain": "hi" }`. Text
 * types carry strings; JSON types (`application/…+json`) carry the object itself.
 */
export type MimeBundle = Readonly<Record<string, string | object>>;

type WriteDisplayData = (
  message: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } },
  update: boolean,
) => void;

function kernelWriter(): WriteDisplayData | undefined {
  try {
    // Resolved from the same node_modules as the running kernel, so this is the kernel's module.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: WriteDisplayData | null };
    return jupyter.lastWriteDisplayData ?? undefined;
  } catch {
    return undefined;
  }
}

/** True when running inside a tslab kernel that is executing a cell. */
export function inKernel(): boolean {
  return kernelWriter() !== undefined;
}

/** Send one output with several representations; the frontend picks the richest it can show. */
export function displayBundle(bundle: MimeBundle): void {
  const write = kernelWriter();
  if (write) {
    write({ data: bundle, metadata: {}, transient: {} }, false);
  } else if (bundle["text/plain"] !== undefined) {
    console.log(bundle["text/plain"]);
  }
}

/** HTML for notebooks, with the text a terminal (or a log) should show instead. */
export function showHtml(html: string, text: string): void {
  displayBundle({ "text/html": html, "text/plain": text });
}

/**
 * An output that can be replaced in place (training progress, animations).
 * Each `update` overwrites what the previous call showed.
 */
export interface LiveDisplay {
  update(bundle: MimeBundle): void;
}

/** Create a display that updates in place (Jupyter's `update_display_data`). */
export function liveDisplay(): LiveDisplay {
  const id = randomBytes(8).toString("hex");
  let shown = false;
  return {
    update(bundle: MimeBundle): void {
      const write = kernelWriter();
      if (!write) {
        if (bundle["text/plain"] !== undefined) console.log(bundle["text/plain"]);
        return;
      }
      write({ data: bundle, metadata: {}, transient: { display_id: id } }, shown);
      shown = true;
    },
  };
}

/**
 * JavaScript made safe to inline in a `<script>` element: a "</script" inside it (in a
 * string or a comment) would otherwise end the element early.
 */
export function inlineScriptText(source: string): string {
  return source.replace(/<\/script/gi, "<\\/script");
}

/** Escape text for inclusion in HTML. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
