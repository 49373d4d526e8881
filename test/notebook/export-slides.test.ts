/**
 * `efflab export --slides`: where the deck is cut, and that nbconvert's page comes
 * out self-contained. (test/browser/export.browser.test.ts opens a real deck offline.)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main";
import { exportNotebookSlides, planSlides, withSlidePlan } from "../../src/notebook/export-slides";

vi.setConfig({ testTimeout: 120_000 });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-slides-test-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const md = (source: string) => ({ cell_type: "markdown", metadata: {}, source });
const code = (source: string, html?: string) => ({
  cell_type: "code",
  execution_count: 1,
  metadata: {},
  source,
  outputs: html ? [{ output_type: "display_data", metadata: {}, data: { "text/html": html, "text/plain": "plot" } }] : [],
});
const plotHtml = '<div id="efflab-plot-1" class="efflab-plot" style="width:100%;height:420px"></div>';

/** A small executed lab: title, two sections, a sub-section, a plot cell. */
function lab() {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "ai-efficiency-labs", display_name: "TypeScript (AI Efficiency Labs)", language: "typescript" } },
    cells: [
      md("# Lab 9: a title\nIntro text with math $x^2$."),
      code("const a = 1;"),
      md("## 1. First section"),
      md("Some prose, not a heading.\n\n# a heading later in the cell does not count"),
      code("lab.showPlot(fig);", plotHtml),
      md("### 1.1 A detail"),
      code("console.log(a);"),
      md("## 2. Second section"),
    ],
  };
}

describe("planning the deck", () => {
  it("opens slides at # and ## headings, sub-slides at ### headings and at plots", () => {
    expect(planSlides(lab().cells)).toEqual(["slide", "-", "slide", "-", "subslide", "subslide", "-", "slide"]);
  });

  it("opens a slide at the first cell even when it is code", () => {
    expect(planSlides([code("1"), md("text")])).toEqual(["slide", "-"]);
  });

  it("keeps an author's slide plan as it is", () => {
    const nb = lab();
    (nb.cells[1]!.metadata as Record<string, unknown>).slideshow = { slide_type: "skip" };
    expect(withSlidePlan(nb)).toBe(nb);
    const planned = withSlidePlan(lab());
    expect(planned.cells.map((c) => (c.metadata as { slideshow: { slide_type: string } }).slideshow.slide_type)).toEqual(planSlides(lab().cells));
  });
});

describe("exportNotebookSlides", () => {
  it("writes one offline deck with a section per planned slide, and leaves the notebook alone", async () => {
    const notebook = path.join(dir, "lab9.ipynb");
    const text = JSON.stringify(lab(), null, 1);
    fs.writeFileSync(notebook, text);
    const result = await exportNotebookSlides(notebook, path.join(dir, "deck.html"));
    expect(result.executed).toBe(false); // it has outputs: exported as it is
    expect(fs.readFileSync(notebook, "utf8")).toBe(text);
    const html = fs.readFileSync(result.out, "utf8");
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href="(?!data:)[^"]*\.css"/i);
    expect(html).not.toMatch(/waitSeconds|unpkg\.com|cdnjs\.cloudflare|efflab-reveal/); // the stock template's CDN loader
    expect(html).toContain("Reveal.initialize(");
    expect(html).toMatch(/reveal\.js 5\./); // reveal.js itself, inlined
    expect(html).toContain("<title>lab9 slides</title>");
    // nbconvert nests every slide's sub-slides in it: 3 slides holding 1, 3 (itself, the plot,
    // the detail) and 1 sub-slides make 3 + 5 sections.
    const slides = html.match(/<section\b/g) ?? [];
    expect(slides.length).toBe(3 + 5);
    expect(html).toContain('class="efflab-plot"');
  });

  it("refuses an output name that is not .html, before doing any work", async () => {
    await expect(exportNotebookSlides(path.join(dir, "missing.ipynb"), path.join(dir, "deck.pdf"))).rejects.toThrow(/ending in \.html/);
  });
});

describe("efflab export", () => {
  async function run(argv: string[]): Promise<{ code: number; err: string }> {
    const err: string[] = [];
    const code = await main(argv, { out: () => {}, err: (t) => err.push(t) });
    return { code, err: err.join("\n") };
  }

  it("asks for exactly one of --html and --slides", async () => {
    for (const argv of [["export", "nb.ipynb"], ["export", "nb.ipynb", "--html", "a.html", "--slides", "b.html"]]) {
      const { code, err } = await run(argv);
      expect(code).toBe(2);
      expect(err).toMatch(/--html OUT\.html for one page, or --slides OUT\.html for a slide deck/);
    }
  });

  it("names a notebook that does not exist", async () => {
    const { code, err } = await run(["export", path.join(dir, "nope.ipynb"), "--slides", path.join(dir, "x.html")]);
    expect(code).toBe(1);
    expect(err).toMatch(/notebook not found/);
  });
});
