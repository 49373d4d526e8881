/**
 * The release's rewrite of cells that use answers (runtime: answer-guard.ts).
 *
 * A cell *uses* a question when it names one of the question's exports, or a
 * top-level name that an earlier cell computed from it (a variable of a guarded
 * cell, or a function whose body uses an answer): the taint is followed through
 * the notebook in order. Such a cell is rewritten, keeping its text line by line:
 *
 * - declarations (functions, classes, types, interfaces, `let x: T;`) stay as they are,
 *   at the top level, so later cells see them (tslab keeps a cell's declarations
 *   only when the cell succeeds);
 * - `const x = init` becomes `const x = ifAnswered(() => (init))` (the type is
 *   inferred as before; `await ifAnswered(async () => (init))` when `init` awaits);
 * - every run of other statements becomes `ifAnswered(() => { … });`, and a final
 *   expression keeps its own wrapper so the notebook still prints its value.
 *
 * Function-valued initializers (`const f = (x) => …`) and constant literals
 * (`const m = 8`) have no effect when evaluated: they stay unwrapped and untainted, and so
 * do a cell's leading `const`s that read no answer (`unwrappedDeclarations`). The master notebook is never changed: the release applies this
 * to the student edition only.
 */
import ts from "typescript";
import { answerMarkerId, cellSourceText, type NotebookCellJson, type NotebookJson } from "./notebook-cells";
import { toSourceLines } from "./solution-markers";

/** The name of the guard a rewritten cell declares. */
export const GUARD_NAME = "ifAnswered";

/** What a taint records: the questions behind a name, and the guarded cell that assigns it (variables). */
interface Taint {
  readonly questions: ReadonlySet<string>;
  readonly cell?: number;
}

/** One rewritten cell, for reports and tests. */
export interface GuardedCell {
  /** Code cell number, 1-based (as `efflab run` counts). */
  readonly codeCell: number;
  readonly needs: Readonly<Record<string, number>>;
  readonly after: readonly number[];
}

function parse(source: string): ts.SourceFile {
  return ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

const isFunctionBoundary = (node: ts.Node): boolean =>
  ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isModuleDeclaration(node);

/** True when `node` has an `await` outside nested functions (needs an async wrapper). */
function awaits(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(n)) found = true;
    else if (!isFunctionBoundary(n)) ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** Identifiers `node` reads (property names after a dot and object-literal keys left out; an over-approximation). */
function referencedNames(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const parent = n.parent;
      const isMemberName = parent !== undefined && ((ts.isPropertyAccessExpression(parent) && parent.name === n) || (ts.isQualifiedName(parent) && parent.right === n));
      const isKey = parent !== undefined && (ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === n;
      if (!isMemberName && !isKey) names.add(n.text);
    }
    if (ts.isShorthandPropertyAssignment(n)) names.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return names;
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

function isDeclaration(statement: ts.Statement): boolean {
  return (
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isModuleDeclaration(statement) ||
    ts.isImportDeclaration(statement) ||
    ts.isImportEqualsDeclaration(statement) ||
    ts.isEmptyStatement(statement)
  );
}

const isFunctionValue = (init: ts.Expression): boolean => ts.isArrowFunction(init) || ts.isFunctionExpression(init);

/** A number, string or boolean literal (`8`, `-1e-8`, `"paper"`): nothing to compute, nothing to mutate. */
function isPrimitiveLiteral(init: ts.Expression): boolean {
  const e = ts.isParenthesizedExpression(init) ? init.expression : init;
  if (ts.isPrefixUnaryExpression(e)) return ts.isNumericLiteral(e.operand);
  return ts.isNumericLiteral(e) || ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword;
}

/** Initializers evaluated as they are, even in a guarded cell: functions and constant literals. */
const staysUnwrapped = (declaration: ts.VariableDeclaration, list: ts.VariableDeclarationList): boolean => {
  const init = declaration.initializer;
  return init !== undefined && (isFunctionValue(init) || ((list.flags & ts.NodeFlags.Const) !== 0 && isPrimitiveLiteral(init)));
};

/**
 * The declarations of a guarded cell evaluated as they are: functions and constant literals
 * anywhere, and the cell's leading `const`s whose initializer needs no answer
 * (`const lectureModels = lab.LECTURE_MODEL_NAMES.map(...)` above a table that does). Only
 * leading ones: before the first wrapped statement nothing skipped can have changed
 * what they read, so later cells may use them whether or not this cell's work ran.
 */
function unwrappedDeclarations(file: ts.SourceFile, needsAnswer: (node: ts.Node) => boolean): Set<ts.VariableDeclaration> {
  const kept = new Set<ts.VariableDeclaration>();
  let leading = true;
  for (const statement of file.statements) {
    if (isDeclaration(statement)) continue;
    if (!ts.isVariableStatement(statement)) {
      leading = false;
      continue;
    }
    const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (init === undefined) continue;
      if (staysUnwrapped(declaration, statement.declarationList) || (leading && isConst && !needsAnswer(init))) kept.add(declaration);
      else leading = false;
    }
  }
  return kept;
}

/** Methods that change the object they are called on (arrays, typed arrays, maps, sets). */
const MUTATORS = new Set(["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin", "set", "add", "delete", "clear", "assign"]);

/** True when `node` is written to: the target of `=`, `+=`, `++`, `delete`. */
function isWritten(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.left === node) return parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) return parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken;
  return ts.isDeleteExpression(parent);
}

/**
 * True when the cell only reads `name` besides declaring it: property reads, element reads,
 * iteration, arithmetic, and arguments of `lab.*` and `console.*` calls (the library does not
 * change its inputs). A method that mutates (`push`), a write to a member, or passing it anywhere else
 * may fill it in the cell's skipped statements, so later cells must not read it as it is.
 */
function onlyReadInCell(file: ts.SourceFile, name: string, declaration: ts.VariableDeclaration): boolean {
  let readOnly = true;
  const visit = (n: ts.Node): void => {
    if (!readOnly) return;
    if (ts.isIdentifier(n) && n.text === name && n !== declaration.name) {
      const parent = n.parent;
      const isMember = (ts.isPropertyAccessExpression(parent) && parent.name === n) || (ts.isPropertyAssignment(parent) && parent.name === n);
      if (!isMember && !isReadUse(n)) readOnly = false;
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
  return readOnly;
}

function isReadUse(id: ts.Identifier): boolean {
  let node: ts.Node = id;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
    const called = ts.isCallExpression(parent.parent) && parent.parent.expression === parent;
    return !isWritten(parent) && !(called && MUTATORS.has(parent.name.text));
  }
  if (ts.isElementAccessExpression(parent) && parent.expression === node) return !isWritten(parent);
  if (ts.isCallExpression(parent) && parent.arguments.some((a) => a === node)) {
    const callee = parent.expression;
    return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && (callee.expression.text === "lab" || callee.expression.text === "console");
  }
  return ts.isForOfStatement(parent) || ts.isForInStatement(parent) || ts.isBinaryExpression(parent) || ts.isTemplateSpan(parent) || ts.isConditionalExpression(parent) || ts.isPrefixUnaryExpression(parent);
}

function wrapExpression(text: string, isAsync: boolean, placeholder: string): string {
  const extra = placeholder === "" ? "" : `, ${placeholder}`;
  return isAsync ? `await ${GUARD_NAME}(async () => (${text})${extra})` : `${GUARD_NAME}(() => (${text})${extra})`;
}

/** True when a template literal in `node` spans lines (indenting its lines would change the string). */
function hasMultilineTemplate(node: ts.Node, file: ts.SourceFile): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isTemplateExpression(n) || ts.isNoSubstitutionTemplateLiteral(n)) && n.getText(file).includes("\n")) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function wrapBlock(text: string, isAsync: boolean, indent: boolean): string {
  const trimmed = text.replace(/^\n+/, "").replace(/\s+$/, "");
  const body = indent ? trimmed.split("\n").map((line) => (line === "" ? line : `  ${line}`)).join("\n") : trimmed;
  return isAsync ? `await ${GUARD_NAME}(async () => {\n${body}\n});` : `${GUARD_NAME}(() => {\n${body}\n});`;
}

/**
 * The rewritten source of one cell (see the module comment).
 * @param needsAnswer whether an expression of the cell reads an answer (directly or through an earlier cell)
 */
export function guardCellSource(source: string, needs: Readonly<Record<string, number>>, codeCell: number, after: readonly number[], needsAnswer: (node: ts.Node) => boolean = () => true): string {
  const file = parse(source);
  const unwrapped = unwrappedDeclarations(file, needsAnswer);
  const out: string[] = [];
  let pending: ts.Statement[] = [];
  let cursor = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    const start = pending[0]!.getFullStart();
    const end = pending[pending.length - 1]!.getEnd();
    out.push(source.slice(cursor, start).replace(/[ \t]+$/, ""));
    const leading = source.slice(start, pending[0]!.getStart(file));
    const lead = leading.match(/^\s*/)?.[0] ?? "";
    const indent = !pending.some((statement) => hasMultilineTemplate(statement, file));
    out.push(lead, wrapBlock(source.slice(start + lead.length, end), pending.some(awaits), indent));
    cursor = end;
    pending = [];
  };
  const statements = file.statements;
  statements.forEach((statement, index) => {
    const isLast = index === statements.length - 1;
    if (isDeclaration(statement)) {
      flush();
      return;
    }
    if (ts.isVariableStatement(statement)) {
      flush();
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (init === undefined || unwrapped.has(declaration)) continue;
        out.push(source.slice(cursor, init.getStart(file)));
        const placeholder = ts.isIdentifier(declaration.name) ? "" : "[]";
        out.push(wrapExpression(source.slice(init.getStart(file), init.getEnd()), awaits(init), placeholder));
        cursor = init.getEnd();
      }
      return;
    }
    if (isLast && ts.isExpressionStatement(statement)) {
      flush();
      const expression = statement.expression;
      out.push(source.slice(cursor, expression.getStart(file)));
      out.push(wrapExpression(source.slice(expression.getStart(file), expression.getEnd()), awaits(expression), ""));
      cursor = expression.getEnd();
      return;
    }
    pending.push(statement);
  });
  flush();
  out.push(source.slice(cursor));
  const needsText = Object.entries(needs).map(([id, cell]) => `${JSON.stringify(id)}: ${cell}`).join(", ");
  const afterText = after.length > 0 ? `, after: [${after.join(", ")}]` : "";
  const header =
    `// Student edition: this cell uses your answers. Until they are implemented it prints what it needs and\n` +
    `// skips its work, so the rest of the lab still runs (lab.answerGuard; the master notebook has no guard).\n` +
    `const ${GUARD_NAME} = lab.answerGuard({ ${needsText} }, { cell: ${codeCell}${afterText} });\n`;
  return header + out.join("");
}

/** Names a question's answer cell defines: its registered exports, else its top-level functions. */
function answerExports(source: string, registered: readonly string[] | undefined): string[] {
  if (registered !== undefined && registered.length > 0) return [...registered];
  return parse(source).statements.flatMap((s) => (ts.isFunctionDeclaration(s) && s.name ? [s.name.text] : []));
}

/** The library members a cell reads as `lab.<name>`. */
function labMembers(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "lab") names.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return names;
}

/**
 * Guard every cell of a (student-edition) notebook that uses an answer.
 * @param exportsOf the names each question's answer defines (the registry's `exports`)
 * @param libraryNeeds in a per-lab edition, the library exports that are stubbed or call a stub
 *   (library-dependents.ts), each with its questions: a cell calling `lab.<name>` is guarded too
 */
export function guardAnswerUses(
  notebook: NotebookJson,
  exportsOf: (questionId: string) => readonly string[] | undefined,
  libraryNeeds: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): { notebook: NotebookJson; guarded: GuardedCell[] } {
  const taint = new Map<string, Taint>();
  const guarded: GuardedCell[] = [];
  // Each question's answer cell, found first: a cell may use a library function before the answer cell it needs.
  const answerCell = new Map<string, number>();
  notebook.cells.filter((cell) => cell.cell_type === "code").forEach((cell, index) => {
    const id = answerMarkerId(cellSourceText(cell.source));
    if (id !== undefined && !answerCell.has(id)) answerCell.set(id, index + 1);
  });
  let codeCell = 0;
  const cells = notebook.cells.map((cell): NotebookCellJson => {
    if (cell.cell_type !== "code") return cell;
    codeCell += 1;
    const source = cellSourceText(cell.source);
    const questionId = answerMarkerId(source);
    if (questionId !== undefined) {
      for (const name of answerExports(source, exportsOf(questionId))) taint.set(name, { questions: new Set([questionId]) });
      return cell;
    }
    const file = parse(source);
    const used = [...referencedNames(file)].filter((name) => taint.has(name));
    const library = [...labMembers(file)].flatMap((name) => [...(libraryNeeds.get(name) ?? [])]);
    if (used.length === 0 && library.length === 0) return cell;
    const questions = new Set([...used.flatMap((name) => [...taint.get(name)!.questions]), ...library]);
    const after = [...new Set(used.flatMap((name) => (taint.get(name)!.cell === undefined ? [] : [taint.get(name)!.cell!])))].sort((a, b) => a - b);
    const needs: Record<string, number> = {};
    for (const id of questions) needs[id] = answerCell.get(id) ?? 0;
    // What this cell leaves tainted for later cells.
    const taintOf = (node: ts.Node): Taint | undefined => {
      const qs = [
        ...[...referencedNames(node)].filter((name) => taint.has(name)).flatMap((name) => [...taint.get(name)!.questions]),
        ...[...labMembers(node)].flatMap((name) => [...(libraryNeeds.get(name) ?? [])]),
      ];
      return qs.length > 0 ? { questions: new Set(qs) } : undefined;
    };
    const assigned: Taint = { questions, cell: codeCell };
    const taintFunctions = (): void => {
      for (const statement of file.statements) {
        if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
          const t = taintOf(statement);
          if (t) taint.set(statement.name.text, t);
          else taint.delete(statement.name.text);
        }
      }
    };
    // Functions and classes first (they are hoisted: a leading const may call one declared below
    // it), and again after the variables, whose taint they may read.
    taintFunctions();
    const unwrapped = unwrappedDeclarations(file, (node) => taintOf(node) !== undefined);
    for (const statement of file.statements) {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          const init = declaration.initializer;
          const independent = init !== undefined && unwrapped.has(declaration) && (staysUnwrapped(declaration, statement.declarationList) || bindingNames(declaration.name).every((name) => onlyReadInCell(file, name, declaration)));
          const t = independent ? taintOf(init) : assigned;
          for (const name of bindingNames(declaration.name)) {
            if (t) taint.set(name, t);
            else taint.delete(name);
          }
        }
      }
    }
    taintFunctions();
    guarded.push({ codeCell, needs, after });
    return { ...cell, source: toSourceLines(guardCellSource(source, needs, codeCell, after, (node) => taintOf(node) !== undefined)) };
  });
  return { notebook: { ...notebook, cells }, guarded };
}
