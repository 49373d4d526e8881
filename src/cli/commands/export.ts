/** `efflab export NOTEBOOK --html OUT`: a self-contained, offline HTML page for lectures. */
import * as path from "node:path";
import type { CommandSpec } from "../command";
import { UsageError } from "../parse-args";
import { exportNotebookHtml } from "../../notebook/export-html";

export const exportCommand: CommandSpec = {
  name: "export",
  summary: "export a notebook to one offline HTML page (outputs, interactive plots, math)",
  description:
    "A notebook without outputs (as committed) is executed first on the workbook kernel; an executed\n" +
    "notebook is exported as it is (force with --execute). plotly.js and MathJax are inlined, so the page\n" +
    "opens with no network. The notebook file is not modified.",
  positionals: { name: "NOTEBOOK", description: "the notebook to export", min: 1 },
  flags: [
    { name: "html", type: "string", description: "output file (.html)", required: true, placeholder: "OUT" },
    { name: "execute", type: "boolean", description: "execute the notebook even if it already has outputs" },
  ],
  examples: ["efflab export notebooks/05-pipeline.ipynb --html lecture/pipeline.html"],
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError(`export takes one notebook, got ${args.positionals.length}.`);
    const result = await exportNotebookHtml(path.resolve(args.positionals[0]!), args.flags.html as string, {
      execute: args.flags.execute === true ? true : "auto",
    });
    if (args.json) io.out(JSON.stringify(result, null, 2));
    else io.out(`Wrote ${result.out} (${(result.bytes / 1e6).toFixed(1)} MB${result.executed ? ", executed first" : ""}).`);
    return 0;
  },
};
