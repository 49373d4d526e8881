/**
 * The folder-level import graph of `src/`, read with the TypeScript compiler's parser.
 *
 * Every `import … from`, `export … from`, `import x = require(…)`, `import(…)` and
 * `require(…)` with a relative string specifier is an edge from the importing file's
 * folder (its first path segment under src/) to the imported file's folder. Type-only
 * imports count: a type is a dependency too. Files directly in src/ belong to the
 * folder ".". Package imports (`@tensorflow/tfjs`, `node:fs`, the library's own name)
 * are not edges.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

/** One file-level import that makes a folder edge, for messages. */
export interface ImportSite {
  /** importing file, relative to src/ */
  readonly from: string;
  /** imported file, relative to src/ */
  readonly to: string;
}

/** Folder → folders it imports, each with the first import seen that makes the edge. */
export type FolderGraph = Map<string, Map<string, ImportSite>>;

/** Relative module specifiers imported by a TypeScript source text. */
export function importedSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      specifiers.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")) specifiers.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers.filter((s) => s.startsWith("./") || s.startsWith("../"));
}

/** Every .ts file under `dir`, recursively. */
function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** The file a relative specifier names: `x.ts`, or `x/index.ts` for a folder. */
function resolveSpecifier(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts")]) {
    if (candidate.endsWith(".ts") && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The folder of a file relative to src/: its first path segment, or "." for files directly in src/. */
export function folderOf(relativeToSrc: string): string {
  const parts = relativeToSrc.split(/[\\/]/);
  return parts.length > 1 ? parts[0]! : ".";
}

/** Read `srcDir` and build its folder graph (self-edges left out). */
export function folderGraph(srcDir: string): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of typeScriptFiles(srcDir).sort()) {
    const from = path.relative(srcDir, file);
    const fromFolder = folderOf(from);
    if (!graph.has(fromFolder)) graph.set(fromFolder, new Map());
    for (const specifier of importedSpecifiers(file, fs.readFileSync(file, "utf8"))) {
      const target = resolveSpecifier(file, specifier);
      if (target === undefined || !target.startsWith(srcDir + path.sep)) continue;
      const to = path.relative(srcDir, target);
      const toFolder = folderOf(to);
      const edges = graph.get(fromFolder)!;
      if (toFolder !== fromFolder && !edges.has(toFolder)) edges.set(toFolder, { from, to });
    }
  }
  return graph;
}

/**
 * The cycles of a graph, one per strongly connected component with more than one node
 * (Tarjan 1972): each as a closed path [a, b, …, a], shortest from its first node.
 */
export function findCycles(graph: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const nodes = [...new Set([...graph.keys(), ...[...graph.values()].flatMap((m) => [...m.keys()])])].sort();
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of [...(graph.get(v)?.keys() ?? [])].sort()) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) connect(v);
  return components.map((component) => shortestCycle(graph, component[0]!, new Set(component)));
}

/** Breadth-first: the shortest path from `start` back to itself inside `members`. */
function shortestCycle(graph: ReadonlyMap<string, ReadonlyMap<string, unknown>>, start: string, members: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of [...(graph.get(v)?.keys() ?? [])].sort()) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(w) && w !== start) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** "optim → models → optim (optim/tfjs-comparison.ts imports models/model.ts; models/mlp.ts imports optim/index.ts)" */
export function describeCycle(graph: FolderGraph, cycle: readonly string[]): string {
  const sites = cycle.slice(0, -1).map((folder, i) => {
    const site = graph.get(folder)?.get(cycle[i + 1]!);
    return site === undefined ? `${folder} imports ${cycle[i + 1]}` : `${site.from} imports ${site.to}`;
  });
  return `${cycle.join(" → ")} (${sites.join("; ")})`;
}
