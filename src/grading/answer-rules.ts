/**
 * The forbidden-call rule, checked on the answer cell's syntax tree before any
 * student code runs.
 *
 * The library implements every graded answer (its reference), so an answer cell
 * must compute its result itself. A cell that does any of the following loses the
 * question, with a message naming the rule and the line:
 *   - uses a reference of its lab or a later one: `lab.adamStep` in any question of
 *     lab 2 or later (`Question.references`, lab number = the two digits the
 *     question's notebook starts with), also through `const { adamStep } = lab`;
 *   - uses a name the question forbids (`Question.forbidden`, e.g. `tf.train`);
 *   - loads code: `require`, `import("…")`, `import … from` anything but the library;
 *   - reaches names it cannot spell out: computed member access (`lab["adam" + "Step"]`)
 *     on `lab`, `tf`, `globalThis`, `global` or `process`, or any other use of those
 *     objects as values (passing `lab` to a function, spreading it, `for … in` over it);
 *   - builds code from text: `eval`, `Function`, `.constructor`;
 *   - reaches Node's internals: `process.binding`, `process.getBuiltinModule`, ….
 *
 * Everything else is allowed: loops, tf ops, helper functions, classes, arrow
 * functions, `const { tf } = lab` and other destructuring of `lab` with names
 * written out, and earlier labs' library functions (`lab.gdStep` in lab 2).
 * The check is by name: inside an answer cell, `lab`, `tf`, `globalThis`, `global`
 * and `process` always mean the notebook's objects, `require`, `eval` and `Function`
 * may not be used at all. The grader enforces the same at run time
 * (answer-library.ts): stubs in place of the references, no module loader.
 */
import ts from "typescript";
import type { ForbiddenName, Question } from "./question";

/** The library's package name: the only module an answer cell may import. */
export const LIBRARY_PACKAGE = "ai-efficiency-labs";

/** What one answer cell may not use. */
export interface AnswerRules {
  readonly questionId: string;
  /** Library export name -> the question it is the reference of (`adamStep` -> `adam.step`). */
  readonly references: ReadonlyMap<string, string>;
  readonly forbidden: readonly ForbiddenName[];
}

/** A question's lab number: the two digits its notebook starts with (`02-adam.ipynb` -> 2); undefined without them. */
export function labNumberOf(question: Pick<Question, "notebook">): number | undefined {
  const match = /^(\d{2})/.exec(question.notebook.replace(/^.*[/\\]/, ""));
  return match ? Number(match[1]) : undefined;
}

/**
 * The references an answer to `question` must not use: those of every question of
 * its lab or a later one. A question whose notebook has no lab number counts as
 * the last lab (its references are hidden from every answer, every reference from it).
 */
export function referencesHiddenFrom(question: Question, all: readonly Question[]): Map<string, string> {
  const lab = labNumberOf(question) ?? Infinity;
  const hidden = new Map<string, string>();
  for (const q of [question, ...all.filter((other) => other.id !== question.id)]) {
    if ((labNumberOf(q) ?? Infinity) < lab) continue;
    for (const name of q.references ?? []) if (!hidden.has(name)) hidden.set(name, q.id);
  }
  return hidden;
}

/** The rules of one question's answer cell. */
export function answerRulesFor(question: Question, all: readonly Question[]): AnswerRules {
  return { questionId: question.id, references: referencesHiddenFrom(question, all), forbidden: question.forbidden ?? [] };
}

/** The rule's message for a reference, the same statically and from the run-time stub. */
export function referenceMessage(name: string, questionId: string): string {
  return `uses lab.${name}, the reference for ${questionId}; write the update yourself`;
}

/** Objects an answer may use only as `x.name` (or `const { name } = x`). */
const GUARDED_ROOTS = new Set(["lab", "tf", "globalThis", "global", "process"]);
/** Names an answer may not use at all, and why. */
const BANNED_NAMES: Readonly<Record<string, string>> = {
  require: "an answer may only use the library, through `lab` and `tf`; compute the result in the cell instead of loading modules",
  eval: "answers may not run code built from text; write the code in the cell",
  Function: "answers may not build functions from text; write the function in the cell",
};
/** Members of `process` that reach Node's internals. */
const PROCESS_INTERNALS = new Set(["binding", "_linkedBinding", "getBuiltinModule", "dlopen", "mainModule", "moduleLoadList", "report"]);

/** A dotted path as written, with `lab.tf` and `globalThis.` folded: `lab.tf.train.adam` -> `tf.train.adam`. */
function canonical(pathParts: readonly string[]): string[] {
  let parts = [...pathParts];
  while (parts.length > 1 && (parts[0] === "globalThis" || parts[0] === "global")) parts = parts.slice(1);
  if (parts[0] === "lab" && parts[1] === "tf") parts = parts.slice(1);
  return parts;
}

/** True when a written path names one of the guarded objects itself (`lab`, `lab.tf`, `globalThis`). */
function isGuardedObject(written: readonly string[]): boolean {
  const parts = canonical(written);
  return parts.length === 1 && GUARDED_ROOTS.has(parts[0]!);
}

function skipWrappers(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isTypeAssertionExpression(current.parent)) {
    current = current.parent;
  }
  return current;
}

/**
 * The rule violations of an answer cell, one message per offending place:
 * "line 3: uses require: …" (line 1 is the `// @answer` line). Empty when the cell
 * keeps the rules. `source` is the cell alone, without the prelude.
 */
export function answerRuleViolations(source: string, rules: AnswerRules): string[] {
  const file = ts.createSourceFile("answer.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found = new Map<string, string>(); // "line: message" dedup, in order
  const report = (node: ts.Node, what: string): void => {
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    const text = `line ${line}: ${what}`;
    if (!found.has(text)) found.set(text, text);
  };
  /** Names bound by destructuring a guarded object: `const { tf, adamStep: a } = lab` -> tf: [lab, tf], a: [lab, adamStep]. */
  const aliases = new Map<string, string[]>();

  const checkPath = (node: ts.Node, written: readonly string[]): void => {
    const parts = canonical(written);
    const dotted = parts.join(".");
    if (parts[0] === "lab" && parts.length > 1 && rules.references.has(parts[1]!)) {
      report(node, `${referenceMessage(parts[1]!, rules.references.get(parts[1]!)!)}.`);
      return;
    }
    for (const f of rules.forbidden) {
      if (dotted === f.name || dotted.startsWith(`${f.name}.`)) {
        report(node, `uses ${f.name}: ${f.why}.`);
        return;
      }
    }
    if (parts[0] === "process" && parts.length > 1 && PROCESS_INTERNALS.has(parts[1]!)) {
      report(node, `uses process.${parts[1]}, which reaches Node's internals; answers only compute and return values.`);
      return;
    }
    if ((written[0] === "globalThis" || written[0] === "global") && parts[0] !== undefined && parts[0] in BANNED_NAMES) {
      report(node, `uses ${parts[0]}: ${BANNED_NAMES[parts[0]]}.`);
    }
  };

  /** The written path of `root.a.b` starting at the root identifier `id`; reports uses other than member access. */
  const visitRoot = (id: ts.Identifier, rootPath: readonly string[]): void => {
    let node: ts.Node = skipWrappers(id);
    const parts = [...rootPath];
    for (;;) {
      const parent = node.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
        if (parent.name.text === "constructor") {
          report(parent, "uses .constructor, which reaches the Function constructor; answers may not build code from text.");
          return;
        }
        parts.push(parent.name.text);
        node = skipWrappers(parent);
        continue;
      }
      if (ts.isElementAccessExpression(parent) && parent.expression === node) {
        const key = parent.argumentExpression;
        if (isGuardedObject(parts)) {
          report(parent, `uses ${parts.join(".")}[…] (computed member access): write the name out, e.g. lab.mseGradient or tf.add.`);
          return;
        }
        if (ts.isStringLiteralLike(key)) {
          parts.push(key.text);
          node = skipWrappers(parent);
          continue;
        }
        break; // e.g. tf.util[...]: an ordinary object, checked no further
      }
      break;
    }
    checkPath(node, parts);
    if (isGuardedObject(parts)) {
      const parent = node.parent;
      const destructured = ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isObjectBindingPattern(parent.name);
      if (destructured) {
        bindAliases(parent.name as ts.ObjectBindingPattern, parts);
        return;
      }
      const example: Readonly<Record<string, string>> = { lab: "lab.tf", tf: "tf.add", process: "process.env", globalThis: "globalThis.Math", global: "global.Math" };
      const root = canonical(parts)[0]!;
      report(node, `uses ${parts.join(".")} as a value (passed, copied or enumerated): use its members by name, e.g. ${example[root] ?? `${root}.name`}.`);
    }
  };

  const bindAliases = (pattern: ts.ObjectBindingPattern, rootPath: readonly string[]): void => {
    for (const element of pattern.elements) {
      if (element.dotDotDotToken !== undefined) {
        report(element, `uses ...rest on ${rootPath.join(".")}: destructure the names you need, e.g. const { tf } = lab.`);
        continue;
      }
      const property = element.propertyName ?? element.name;
      let key: string | undefined;
      if (ts.isIdentifier(property) || ts.isStringLiteralLike(property)) key = property.text;
      if (key === undefined) {
        report(element, `uses a computed name in destructuring ${rootPath.join(".")}: write the name out.`);
        continue;
      }
      const bound = [...rootPath, key];
      checkPath(element, bound);
      if (ts.isIdentifier(element.name)) aliases.set(element.name.text, bound);
      else if (ts.isObjectBindingPattern(element.name)) bindAliases(element.name, bound);
    }
  };

  const isDeclarationName = (id: ts.Identifier): boolean => {
    const parent = id.parent;
    return (
      ((ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isFunctionExpression(parent)) && parent.name === id) ||
      (ts.isBindingElement(parent) && parent.propertyName === id) ||
      ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) && parent.name === id) ||
      (ts.isPropertyAccessExpression(parent) && parent.name === id) ||
      (ts.isQualifiedName(parent) && parent.right === id) ||
      ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)
    );
  };

  const visit = (node: ts.Node): void => {
    if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) return; // types are erased (but `class … extends lab.X` runs)
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = node.importClause?.isTypeOnly === true;
      if (node.moduleSpecifier.text !== LIBRARY_PACKAGE && !typeOnly) report(node, `imports "${node.moduleSpecifier.text}": an answer may only import the library ("${LIBRARY_PACKAGE}", already imported as lab).`);
      const named = node.importClause?.namedBindings;
      if (node.moduleSpecifier.text === LIBRARY_PACKAGE && named !== undefined && ts.isNamedImports(named)) {
        for (const element of named.elements) checkPath(element, ["lab", (element.propertyName ?? element.name).text]);
      }
      return;
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      report(node, `uses require: ${BANNED_NAMES["require"]}.`);
      return;
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      report(node, "re-exports another module: an answer cell defines its functions itself.");
      return;
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      report(node, `uses import(…): ${BANNED_NAMES["require"]}.`);
    }
    if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === "constructor") {
      report(node, "uses [\"constructor\"], which reaches the Function constructor; answers may not build code from text.");
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === "constructor" && !(ts.isIdentifier(node.expression) && (GUARDED_ROOTS.has(node.expression.text) || aliases.has(node.expression.text)))) {
      report(node, "uses .constructor, which reaches the Function constructor; answers may not build code from text.");
    }
    if (ts.isIdentifier(node) && !isDeclarationName(node)) {
      const name = node.text;
      const shorthand = ts.isShorthandPropertyAssignment(node.parent);
      if (name in BANNED_NAMES) report(node, `uses ${name}: ${BANNED_NAMES[name]}.`);
      else if (GUARDED_ROOTS.has(name) && !shorthand) visitRoot(node, [name]);
      else if (aliases.has(name) && !shorthand) visitRoot(node, aliases.get(name)!);
      else if (shorthand && (GUARDED_ROOTS.has(name) || aliases.has(name))) report(node, `uses ${name} as a value (passed, copied or enumerated): use its members by name.`);
    }
    ts.forEachChild(node, visit);
  };
  // Destructurings first, so aliases are known wherever they are used.
  const collect = (node: ts.Node): void => {
    const clause = ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === LIBRARY_PACKAGE ? node.importClause : undefined;
    if (clause !== undefined) {
      if (clause.name !== undefined) aliases.set(clause.name.text, ["lab"]);
      const named = clause.namedBindings;
      if (named !== undefined && ts.isNamespaceImport(named)) aliases.set(named.name.text, ["lab"]);
      if (named !== undefined && ts.isNamedImports(named)) for (const e of named.elements) aliases.set(e.name.text, ["lab", (e.propertyName ?? e.name).text]);
    }
    if (ts.isVariableDeclaration(node) && node.initializer !== undefined && ts.isObjectBindingPattern(node.name)) {
      const init = node.initializer;
      if (ts.isIdentifier(init) && GUARDED_ROOTS.has(init.text)) bindAliasesQuietly(node.name, [init.text]);
    }
    ts.forEachChild(node, collect);
  };
  const bindAliasesQuietly = (pattern: ts.ObjectBindingPattern, rootPath: readonly string[]): void => {
    for (const element of pattern.elements) {
      const property = element.propertyName ?? element.name;
      if (element.dotDotDotToken !== undefined || !(ts.isIdentifier(property) || ts.isStringLiteralLike(property))) continue;
      if (ts.isIdentifier(element.name)) aliases.set(element.name.text, [...rootPath, property.text]);
      else if (ts.isObjectBindingPattern(element.name)) bindAliasesQuietly(element.name, [...rootPath, property.text]);
    }
  };
  collect(file);
  visit(file);
  return [...found.values()];
}

/** The message for a cell that breaks the rules: the rule, where, and what to do. */
export function ruleViolationMessage(violations: readonly string[]): string {
  const shown = violations.slice(0, 5);
  const more = violations.length > 5 ? `\n(${violations.length - 5} more)` : "";
  return `The answer cell breaks the grading rules, so this question scores 0:\n${shown.join("\n")}${more}\nAn answer computes its result itself, with tf operations and the library's earlier labs, never with this question's reference.`;
}
