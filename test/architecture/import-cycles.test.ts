import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { describeCycle, findCycles, folderGraph, importedSpecifiers, type FolderGraph } from "./import-graph";

const SRC = path.resolve(__dirname, "../../src");

/**
 * The order dependencies flow in, lowest first: a folder may import only folders of a
 * lower rank. The ground floor imports nothing; grading sits below the notebook tools
 * that run and count its checks.
 */
const RANK: Readonly<Record<string, number>> = {
  foundation: 0,
  tensor: 1,
  optim: 2,
  datasets: 2,
  models: 3,
  parallel: 4,
  pipeline: 4,
  precision: 4,
  memory: 5,
  profiling: 6,
  launch: 6,
  plot: 7,
  kernel: 8,
  grading: 8,
  notebook: 9,
  cli: 10,
  ".": 11,
};

/** The units that hold lecture concepts: grading reaches them only through its question registry. */
const LAB_UNITS = ["optim", "models", "datasets", "parallel", "memory", "pipeline", "precision", "profiling", "launch"];

/** A graph from "a → b" strings, for the tests of the cycle finder itself. */
function graphOf(...edges: string[]): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const edge of edges) {
    const [from, to] = edge.split(" → ") as [string, string];
    if (!graph.has(from)) graph.set(from, new Map());
    if (!graph.has(to)) graph.set(to, new Map());
    graph.get(from)!.set(to, { from: `${from}/x.ts`, to: `${to}/y.ts` });
  }
  return graph;
}

describe("the cycle finder", () => {
  it("finds no cycle in a layered graph", () => {
    expect(findCycles(graphOf("models → optim", "optim → foundation", "models → foundation"))).toEqual([]);
  });

  it("finds a two-folder loop and names the imports that make it", () => {
    const graph = graphOf("optim → models", "models → optim", "models → foundation");
    const cycles = findCycles(graph);
    expect(cycles).toEqual([["models", "optim", "models"]]);
    expect(describeCycle(graph, cycles[0]!)).toBe("models → optim → models (models/x.ts imports optim/y.ts; optim/x.ts imports models/y.ts)");
  });

  it("finds a longer loop, and one cycle per tangle", () => {
    const cycles = findCycles(graphOf("a → b", "b → c", "c → a", "x → y", "y → x", "c → x"));
    expect(cycles).toEqual([
      ["x", "y", "x"],
      ["a", "b", "c", "a"],
    ]);
  });

  it("reads imports, re-exports, type imports and requires, relative ones only", () => {
    const text = [
      'import { a } from "./a";',
      'import type { B } from "../b/b";',
      'export * from "./c";',
      'export { d } from "../d";',
      'import e = require("../e");',
      'const f = require("./f");',
      'type G = import("../g").G;',
      'import * as tf from "@tensorflow/tfjs";',
      'import * as fs from "node:fs";',
    ].join("\n");
    expect(importedSpecifiers("x.ts", text)).toEqual(["./a", "../b/b", "./c", "../d", "../e", "./f", "../g"]);
  });
});

describe("src/ folders", () => {
  const graph = folderGraph(SRC);

  it("import each other without cycles", () => {
    const cycles = findCycles(graph).map((cycle) => describeCycle(graph, cycle));
    expect(cycles, `folder-level import cycles in src/:\n${cycles.join("\n")}`).toEqual([]);
  });

  it("import only folders below them: foundation → tensor → optim → models → parallel/memory/pipeline → plot → notebook/cli", () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    const unranked = folders.filter((f) => RANK[f] === undefined);
    expect(unranked, `give each new folder of src/ a rank in RANK (test/architecture/import-cycles.test.ts): ${unranked.join(", ")}`).toEqual([]);
    const upward: string[] = [];
    for (const [from, edges] of graph) {
      for (const [to, site] of edges) {
        if (RANK[to]! >= RANK[from]!) upward.push(`${from} (rank ${RANK[from]}) → ${to} (rank ${RANK[to]}): ${site.from} imports ${site.to}`);
      }
    }
    expect(upward, `imports that run against the layering:\n${upward.join("\n")}`).toEqual([]);
  });

  it("the ground floor imports none of them", () => {
    expect([...(graph.get("foundation")?.keys() ?? [])]).toEqual([]);
  });

  it("grading reaches the lab units only through its question registry (grading/questions/)", () => {
    const outside: string[] = [];
    const gradingDir = path.join(SRC, "grading");
    for (const entry of fs.readdirSync(gradingDir)) {
      if (!entry.endsWith(".ts")) continue;
      const file = path.join(gradingDir, entry);
      for (const specifier of importedSpecifiers(file, fs.readFileSync(file, "utf8"))) {
        const target = path.relative(SRC, path.resolve(gradingDir, specifier)).split(path.sep)[0]!;
        if (LAB_UNITS.includes(target)) outside.push(`grading/${entry} imports ${specifier}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
