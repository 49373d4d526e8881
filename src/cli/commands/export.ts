/** `efflab export NOTEBOOK --html OUT | --slides OUT`: a self-contained, offline page for lectures. */
import * as path from "node:path";
import { defineCommand } from "../command";
import { UsageError } from "../parse-args";
import { exportNotebookHtml } from "../../notebook/export-html";
import { exportNotebookSlides } from "../../notebook/export-slides";

export const exportCommand = defineCommand({
  name: "export",
  summary: "export a notebook to one offline HTML page or slide deck (outputs, interactive plots, math)",
  description:
    "A notebook without outputs (as committed) is executed first on the workbook kernel; an executed\n" +
    "notebook is exported as it is (force with --execute). plotly.js, MathJax and reveal.js are inlined,\n" +
    "so the file opens with no network. The notebook file is not modified.\n" +
    "--slides cuts a reveal.js deck at the notebook's # and ## headings, with ### headings and plots on\n" +
    "sub-slides (press ↓), unless the notebook already has slide types (View → Cell Toolbar → Slideshow).",
  positionals: { name: "NOTEBOOK", description: "the notebook to export", min: 1, max: 1 },
  flags: [
    { name: "html", type: "string", description: "write the notebook as one page to this file (.html)", placeholder: "OUT" },
    { name: "slides", type: "string", description: "write the notebook as a slide deck to this file (.html)", placeholder: "OUT" },
    { name: "execute", type: "boolean", description: "execute the notebook even if it already has outputs" },
  ],
  examples: [
    "efflab export notebooks/05-pipeline.ipynb --html lecture/pipeline.html",
    "efflab export notebooks/05-pipeline.ipynb --slides lecture/pipeline-slides.html",
  ],
  async run(args, io) {
    const { html, slides, execute } = args.flags;
    const notebook = path.resolve(args.positionals[0]!);
    const options = { execute: execute ? true : ("auto" as const) };
    let result;
    if (html !== undefined && slides === undefined) result = await exportNotebookHtml(notebook, html, options);
    else if (slides !== undefined && html === undefined) result = await exportNotebookSlides(notebook, slides, options);
    else throw new UsageError("say what to write: --html OUT.html for one page, or --slides OUT.html for a slide deck (one of them).");
    if (args.json) io.out(JSON.stringify(result, null, 2));
    else io.out(`Wrote ${result.out} (${(result.bytes / 1e6).toFixed(1)} MB${result.executed ? ", executed first" : ""}).`);
    return 0;
  },
});
