/** The welcome notebook, executed on the real kernel: environment, tensors, units, a plot. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

// Each test starts a real kernel (several seconds, more on a loaded 2-core machine).
vi.setConfig({ testTimeout: 300_000 });
import { runNotebook } from "../../src/notebook/run-notebooks";

const root = path.resolve(__dirname, "..", "..");
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-welcome-"));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
const join = (x: string | string[] | undefined): string => (Array.isArray(x) ? x.join("") : (x ?? ""));

describe("00-welcome.ipynb", () => {
  it("runs top to bottom and shows the backend, a mathjs result and a plotly figure", async () => {
    const run = await runNotebook(path.join(root, "notebooks", "00-welcome.ipynb"), { outDir });
    expect(run.failures).toEqual([]);
    const nb = JSON.parse(fs.readFileSync(run.executedCopy, "utf8")) as { cells: { cell_type: string; outputs?: Output[] }[] };
    const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
    const text = outputs.map((o) => join(o.text) + join(o.data?.["text/plain"] as string | string[] | undefined)).join("\n");
    // the environment table names the backend
    expect(text).toMatch(/tensorBackend\s+(wasm|tensorflow|cpu)/);
    // mathjs: 175e9 parameters x 16 bytes = 2800 GB = 2607.7 GiB
    expect(text).toContain("GPT-3 model states: 2800 GB = 2607.7 GiB");
    // ÷ the A100's capacity, 80 GB = 80e9 bytes (gpu-catalog.ts): 35 cards, as lab 4 says (capacity-convention.test.ts)
    expect(text).toContain("A100 80GB GPUs needed just to hold them: 35");
    // plotly: each figure is one output with the figure itself (for JupyterLab's plotly renderer) and an HTML
    // fallback that draws it with plotly's newPlot, loading plotly.js from the Jupyter server; no output
    // carries plotly.js itself, so the saved notebook stays small (src/plot/show.ts)
    const html = outputs.map((o) => join(o.data?.["text/html"] as string | string[] | undefined));
    expect(html.some((h) => h.includes("plotly.js v"))).toBe(false);
    const figure = outputs.find((o) => JSON.stringify(o.data?.["application/vnd.plotly.v1+json"] ?? "").includes("The memory wall"));
    expect(figure, "no output carries the memory-wall figure as application/vnd.plotly.v1+json").toBeDefined();
    expect(join(figure!.data!["text/html"] as string | string[])).toMatch(/\.newPlot\(/);
    expect(join(figure!.data!["text/plain"] as string | string[])).toContain("The memory wall");
  });
});
