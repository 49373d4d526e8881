/**
 * The library's reference solutions, found by their markers (solution-markers.ts), and
 * the rule that ties them to the questions.
 *
 * The library implements every lecture concept, so it implements every graded answer.
 * Each question names the library exports that compute its answer (`Question.references`:
 * for `adam.step`, `adamStep` and `AdamOptimizer`), and the library marks their bodies
 * `// BEGIN SOLUTION adam.step` … `// END SOLUTION`. The per-lab student edition replaces
 * the marked bodies of its lab and later labs by a stub that throws. For that to leave
 * nothing callable, a block is the whole body of a function, method or constructor
 * (after `super(...)`), and a class reference marks its constructor and every method and
 * accessor. A marked function keeps its declared return type, so the edition's `.d.ts`
 * is the master's (a body that only throws would otherwise be inferred as `never`).
 *
 * `referenceMarkingProblems` is the consistency rule: every `references` name of every
 * question is marked in `src/` (with that question, or with another question that
 * lists it too), and every marked body belongs to a question's references (or is a
 * helper its module does not export).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { questionLabNumber, type Question } from "./question";
import { librarySolutionBlocks, type LibrarySolutionBlock } from "./solution-markers";

export { questionLabNumber } from "./question";

/** One marked block and the declaration it belongs to. */
export interface MarkedDeclaration extends LibrarySolutionBlock {
  /** The file, relative to the library's `src/`, with `/` separators. */
  readonly file: string;
  /** The top-level declaration holding the block (function, class or variable). */
  readonly name: string;
  /** For a class: `constructor`, or the method's or accessor's name. */
  readonly member?: string;
  /** Whether the module exports `name`. */
  readonly exported: boolean;
}

/** A class with a marked member, and the members that have a body. */
export interface MarkedClass {
  readonly file: string;
  readonly name: string;
  readonly membersWithBody: readonly string[];
  readonly hasConstructor: boolean;
}

/** Every marked block of a library, with problems of form found on the way. */
export interface LibrarySolutions {
  readonly blocks: readonly MarkedDeclaration[];
  readonly classes: readonly MarkedClass[];
  readonly problems: readonly string[];
}

const hasExport = (node: ts.Node): boolean => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

function memberName(member: ts.ClassElement, file: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(member)) return "constructor";
  return member.name === undefined ? "(anonymous)" : member.name.getText(file);
}

function topLevelName(statement: ts.Statement): string | undefined {
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) return statement.name.text;
  if (ts.isVariableStatement(statement)) {
    const first = statement.declarationList.declarations[0];
    return first !== undefined && ts.isIdentifier(first.name) ? first.name.text : undefined;
  }
  return undefined;
}

/** The innermost function-like node whose block body holds `position`. */
function enclosingFunction(node: ts.Node, position: number): ts.FunctionLikeDeclaration | undefined {
  let found: ts.FunctionLikeDeclaration | undefined;
  const visit = (n: ts.Node): void => {
    if (position < n.getFullStart() || position >= n.getEnd()) return;
    if (ts.isFunctionLike(n) && "body" in n && n.body !== undefined && ts.isBlock(n.body) && position > n.body.getStart()) found = n as ts.FunctionLikeDeclaration;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

const isSuperCall = (s: ts.Statement): boolean => ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && s.expression.expression.kind === ts.SyntaxKind.SuperKeyword;

/** The marked blocks of one file (`relative` names it in messages). */
export function markedDeclarationsIn(source: string, relative: string): LibrarySolutions {
  const blocks = librarySolutionBlocks(source, relative);
  if (blocks.length === 0) return { blocks: [], classes: [], problems: [] };
  const file = ts.createSourceFile(relative, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const lineStarts = file.getLineStarts();
  const problems: string[] = [];
  const marked: MarkedDeclaration[] = [];
  const classes = new Map<string, MarkedClass>();
  for (const block of blocks) {
    const where = `src/${relative}:${block.begin + 1} (${block.questionId})`;
    const begin = lineStarts[block.begin]!;
    const end = lineStarts[block.end]!;
    const statement = file.statements.find((s) => s.getStart(file) <= begin && begin < s.getEnd());
    const name = statement === undefined ? undefined : topLevelName(statement);
    const fn = statement === undefined ? undefined : enclosingFunction(statement, begin);
    if (statement === undefined || name === undefined || fn === undefined || fn.body === undefined || !ts.isBlock(fn.body)) {
      problems.push(`${where}: a solution block must be the body of a function, method or constructor.`);
      continue;
    }
    const before = fn.body.statements.filter((s) => s.getStart(file) < begin);
    const after = fn.body.statements.filter((s) => s.getStart(file) > end);
    if (before.some((s) => !isSuperCall(s)) || after.length > 0) {
      problems.push(`${where}: the block must hold the whole body (only a super(...) call may come before it), so the stub runs first.`);
    }
    if (fn.type === undefined && !ts.isConstructorDeclaration(fn) && !ts.isSetAccessorDeclaration(fn)) {
      problems.push(`${where}: declare the return type, so the student edition's types stay the master's.`);
    }
    let member: string | undefined;
    if (ts.isClassDeclaration(statement)) {
      const holder = statement.members.find((m) => m.getStart(file) <= begin && begin < m.getEnd());
      member = holder === undefined ? undefined : memberName(holder, file);
      if (!classes.has(name)) {
        const withBody = statement.members.filter((m) => (ts.isConstructorDeclaration(m) || ts.isMethodDeclaration(m) || ts.isAccessor(m)) && m.body !== undefined);
        classes.set(name, { file: relative, name, membersWithBody: withBody.map((m) => memberName(m, file)), hasConstructor: statement.members.some(ts.isConstructorDeclaration) });
      }
    }
    marked.push({ ...block, file: relative, name, member, exported: hasExport(statement) });
  }
  return { blocks: marked, classes: [...classes.values()], problems };
}

/** Every `.ts` file under `dir` (relative paths, `/` separators), sorted. */
export function typescriptFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.split(path.sep).join("/"))
    .sort();
}

/** The marked blocks of every file of a library's `src/`. */
export function librarySolutions(srcDir: string): LibrarySolutions {
  const all = typescriptFiles(srcDir).map((f) => {
    const source = fs.readFileSync(path.join(srcDir, f), "utf8");
    return source.includes("BEGIN SOLUTION") ? markedDeclarationsIn(source, f) : { blocks: [], classes: [], problems: [] };
  });
  return { blocks: all.flatMap((s) => s.blocks), classes: all.flatMap((s) => s.classes), problems: all.flatMap((s) => s.problems) };
}

/**
 * The consistency rule between questions and the library's markers (see the module
 * comment). Returns the problems found, each saying what to do; empty when all is well.
 */
export function referenceMarkingProblems(questions: readonly Question[], solutions: LibrarySolutions): string[] {
  const problems = [...solutions.problems];
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const q of questions) {
    if ((q.references ?? []).length > 0 && questionLabNumber(q) === undefined) problems.push(`${q.id}: its notebook "${q.notebook}" does not start with the lab's two digits.`);
    for (const name of q.references ?? []) {
      // A reference of two questions (a schedule builder for gpipe and 1F1B) is marked with either.
      const marks = solutions.blocks.filter((b) => b.name === name && b.exported && (byId.get(b.questionId)?.references ?? []).includes(name));
      if (marks.length === 0) {
        problems.push(`${q.id}: its reference \`${name}\` has no "// BEGIN SOLUTION ${q.id}" block in src/; mark its body.`);
        continue;
      }
      const cls = solutions.classes.find((c) => c.name === name && c.file === marks[0]!.file);
      if (cls === undefined) continue;
      if (!cls.hasConstructor) problems.push(`${q.id}: class \`${name}\` (src/${cls.file}) needs a constructor whose body is marked, so \`new ${name}()\` stops in the student edition.`);
      const markedMembers = new Set(solutions.blocks.filter((b) => b.name === name).map((b) => b.member));
      for (const member of cls.membersWithBody.filter((m) => !markedMembers.has(m))) {
        problems.push(`${q.id}: \`${name}.${member}\` (src/${cls.file}) is not marked; mark every constructor, method and accessor of a reference class.`);
      }
    }
  }
  for (const block of solutions.blocks) {
    const where = `src/${block.file}:${block.begin + 1}`;
    const question = byId.get(block.questionId);
    if (question === undefined) problems.push(`${where}: "// BEGIN SOLUTION ${block.questionId}" names no question.`);
    else if (block.exported && !(question.references ?? []).includes(block.name)) {
      problems.push(`${where}: \`${block.name}\` is marked as the solution of ${block.questionId} but is not among its references; add it to the question's \`references\` or remove the markers.`);
    }
  }
  return [...new Set(problems)];
}
