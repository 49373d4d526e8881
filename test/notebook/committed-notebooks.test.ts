/** What is committed in notebooks/: clean, valid, on our kernel. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { KERNEL_NAME } from "../../src/kernel/kernelspec";

const dir = path.resolve(__dirname, "..", "..", "notebooks");
const notebooks = fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb"));

describe("committed notebooks", () => {
  it("include the welcome notebook", () => {
    expect(notebooks).toContain("00-welcome.ipynb");
  });

  it.each(notebooks)("%s is nbformat 4 JSON with no outputs, on the workbook kernel", (name) => {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
    expect(nb.nbformat).toBe(4);
    expect(nb.metadata.kernelspec.name).toBe(KERNEL_NAME);
    for (const cell of nb.cells) {
      if (cell.cell_type !== "code") continue;
      expect(cell.outputs, `a code cell of ${name} has outputs: clear them before committing`).toEqual([]);
      expect(cell.execution_count).toBeNull();
    }
  });

  // Every lab says how long it takes (in its first cell) and links to the next lab (in its last cell).
  it.each(notebooks)("%s says how long it takes and ends with a link to the next lab", (name) => {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
    const text = (cell: { source: string | string[] }) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);
    expect(nb.cells[0].cell_type).toBe("markdown");
    expect(text(nb.cells[0]), `${name}: the first cell should say how long the lab takes ("**Time:** ...")`).toMatch(/\*\*Time:\*\*/);
    const last = nb.cells[nb.cells.length - 1];
    expect(last.cell_type).toBe("markdown");
    const next = /\*\*Next:\*\*.*\]\(([^)]+\.ipynb)\)/.exec(text(last));
    expect(next, `${name}: the last cell should link to the next lab ("**Next:** [...](NN-....ipynb)")`).not.toBeNull();
    expect(notebooks, `${name} links to a notebook that does not exist`).toContain(next![1]);
    const following = notebooks.filter((f) => f > name).sort()[0];
    if (following !== undefined) expect(next![1]).toBe(following);
  });
});
