/**
 * Library exports that cannot work in a per-lab student edition: the stubbed
 * references themselves, and every top-level function or class whose body calls one,
 * directly or through other declarations (`trainDataParallel` runs the all-reduce,
 * the memory planner calls `zeroModelStates`).
 *
 * The release guards a notebook cell that calls one of them (answer-guard-transform.ts),
 * so the student's *Run All* prints "needs <id>" there instead of a stack trace.
 * The course tooling (`grading/`, `cli/`) is left out. Names are matched by text across modules: an over-approximation, which costs
 * nothing, because a guard around a cell that works is transparent.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { typescriptFiles } from "./library-solutions";

/** Top-level declarations of a source file and the identifiers their bodies read. */
function declarationsIn(source: string): Map<string, Set<string>> {
  const file = ts.createSourceFile("module.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out = new Map<string, Set<string>>();
  const identifiers = (node: ts.Node): Set<string> => {
    const names = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) names.add(n.text);
      ts.forEachChild(n, visit);
    };
    visit(node);
    return names;
  };
  for (const statement of file.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      out.set(statement.name.text, identifiers(statement));
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) out.set(declaration.name.text, identifiers(declaration.initializer));
      }
    }
  }
  return out;
}

/**
 * Every declaration of the library in `srcDir` that needs a stubbed reference, mapped
 * to the questions it needs (the stubbed names themselves included).
 * @param stubbed each stubbed export and its question id
 */
export function stubDependents(srcDir: string, stubbed: ReadonlyArray<{ readonly name: string; readonly questionId: string }>): Map<string, Set<string>> {
  const needs = new Map<string, Set<string>>();
  for (const { name, questionId } of stubbed) needs.set(name, new Set([...(needs.get(name) ?? []), questionId]));
  const bodies = new Map<string, Set<string>>();
  const library = typescriptFiles(srcDir).filter((file) => !file.startsWith("grading/") && !file.startsWith("cli/"));
  for (const file of library) {
    for (const [name, reads] of declarationsIn(fs.readFileSync(path.join(srcDir, file), "utf8"))) {
      bodies.set(name, new Set([...(bodies.get(name) ?? []), ...reads]));
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, reads] of bodies) {
      for (const read of reads) {
        const questions = read === name ? undefined : needs.get(read);
        if (questions === undefined) continue;
        const own = needs.get(name) ?? new Set<string>();
        const before = own.size;
        for (const q of questions) own.add(q);
        if (own.size !== before || !needs.has(name)) {
          needs.set(name, own);
          changed = true;
        }
      }
    }
  }
  return needs;
}
