/**
 * One capacity convention (src/memory/gpu-catalog.ts): a GPU holds its product figure
 * in GB, 10^9 bytes each ("A100 80GB" = 80e9 bytes); what nvidia-smi reports (80 GiB)
 * is shown beside it, never divided by. The welcome notebook and lab 4 must therefore
 * count the same number of A100 80GB cards for GPT-3's model states.
 * Reads the committed notebooks; the welcome notebook's executed output is checked in welcome.test.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { findGpu, modelStateMemory } from "../../src/memory";

const root = path.resolve(__dirname, "..", "..");

function cells(name: string): { cell_type: string; source: string }[] {
  const nb = JSON.parse(fs.readFileSync(path.join(root, "notebooks", name), "utf8")) as { cells: { cell_type: string; source: string[] }[] };
  return nb.cells.map((c) => ({ cell_type: c.cell_type, source: c.source.join("") }));
}

// 175e9 parameters · 16 bytes (ZeRO §3.1) = 2.8e12 bytes; 2.8e12 / 80e9 = 35 cards
const gpt3StateBytes = modelStateMemory(175e9).total;
const cardsForGpt3 = Math.ceil(gpt3StateBytes / findGpu("a100-80gb").memoryBytes);

describe("the capacity convention in the notebooks", () => {
  it("counts 35 A100 80GB cards for GPT-3's 2.8 TB of model states", () => {
    expect(gpt3StateBytes).toBe(2.8e12);
    expect(cardsForGpt3).toBe(35);
  });

  it("the welcome notebook divides by the catalog's capacity, not by a number of its own", () => {
    const code = cells("00-welcome.ipynb").find((c) => c.cell_type === "code" && c.source.includes("GPUs needed just to hold them"));
    expect(code?.source).toMatch(/lab\.findGpu\("a100-80gb"\)/);
    expect(code?.source).toMatch(/\/ a100\.memoryBytes/);
  });

  it("lab 4 states the same number of cards as the welcome notebook", () => {
    const text = cells("04-memory.ipynb").filter((c) => c.cell_type === "markdown").map((c) => c.source).join("\n");
    const stated = /at least (\d+) A100 80GB cards/.exec(text);
    expect(stated).not.toBeNull();
    expect(Number(stated![1])).toBe(cardsForGpt3);
  });

  it("no cell of lab 4 divides a capacity by GiB or calls the driver's figure the capacity", () => {
    for (const { cell_type, source } of cells("04-memory.ipynb")) {
      if (cell_type === "code") expect(source).not.toMatch(/memoryBytes \/ lab\.BYTES_PER_GIB/);
      else expect(source).not.toMatch(/read as GiB|80 GiB = 85\.9 GB each|\(80 GiB = 85\.9 GB\)/);
    }
  });
});
