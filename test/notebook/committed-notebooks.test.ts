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
});
