/**
 * Compiling answer cells the way the notebook kernel does.
 *
 * Each answer cell becomes its own module: the notebook's prelude (its first code
 * cell's declarations, notebook-setup.ts) is
 * prepended and `export { <question.exports> };` appended, so the cell may use
 * `lab` and `tf` exactly as it does in the kernel. All cells of one submission are
 * type-checked together in one TypeScript program against the library's published
 * types (`dist/*.d.ts`), with the kernel's settings (tslab: non-strict, `lib:
 * es2022`, `moduleResolution: node10`), so code that runs in the notebook compiles
 * here too: no "passes locally, fails in the grader".
 *
 * A syntax or type error costs only its own question. Messages use the student's
 * own line and column (line 1 is the `// @answer` line) and quote the line.
 */
import * as path from "node:path";
import ts from "typescript";
import { answerRuleViolations, ruleViolationMessage, type AnswerRules } from "./answer-rules";
import { ANSWER_PRELUDE } from "./notebook-setup";

/** The notebook's setup cell as every answer cell is compiled after it (notebook-setup.ts). */
export { ANSWER_PRELUDE };
const PRELUDE_LINES = ANSWER_PRELUDE.split("\n").length - 1;
/** TypeScript's "Cannot find name 'x'." */
const CANNOT_FIND_NAME = 2304;

/** One answer cell to compile. */
export interface AnswerSource {
  readonly questionId: string;
  readonly source: string;
  /** Names the module must export (`Question.exports`). */
  readonly exports: readonly string[];
  /** The forbidden-call rule for this cell (answer-rules.ts); without it only syntax and types are checked. */
  readonly rules?: AnswerRules;
}

/** The outcome for one cell: CommonJS code, or the errors in the student's terms. */
export type CompiledAnswer =
  | { readonly kind: "compiled"; readonly questionId: string; readonly javascript: string; readonly fileName: string }
  | { readonly kind: "compile-error"; readonly questionId: string; readonly message: string };

/** Options of `compileAnswerCells`. */
export interface CompileAnswersOptions {
  /**
   * Folder the virtual answer files live in; "ai-efficiency-labs" is resolved from here.
   * @default the library's package folder
   */
  readonly rootDir?: string;
  /** Check types (off: syntax only, for speed). @default true */
  readonly typeCheck?: boolean;
}

/** The kernel's compiler settings (tslab 1.0.22 converter), as close as TypeScript 5.9 allows. */
export const KERNEL_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ["lib.es2022.d.ts"],
  types: ["node"],
  strict: false,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmitOnError: false,
  sourceMap: false,
  declaration: false,
};

/** The folder holding the library's package.json (the checkout, or the installed package). */
export function libraryRoot(): string {
  return path.dirname(require.resolve("ai-efficiency-labs/package.json"));
}

function answerFileName(rootDir: string, questionId: string): string {
  return path.join(rootDir, "__answers__", `${questionId.replace(/[^A-Za-z0-9_.-]/g, "_")}.ts`);
}

/**
 * Parsed declaration files (TypeScript's lib, @types/node, the library's dist types),
 * kept for the life of the process: the first submission pays for parsing them, the
 * rest only check their own cells.
 */
const sharedSourceFiles = new Map<string, ts.SourceFile>();

/** `check(…)`, `checkAll(…)`, `lab.check(…)`, with or without `await`/`void`/parentheses. */
function isCheckCall(expression: ts.Expression): boolean {
  let e = expression;
  while (ts.isAwaitExpression(e) || ts.isVoidExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
  if (!ts.isCallExpression(e)) return false;
  const callee = e.expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "lab" ? callee.name.text : "";
  return name === "check" || name === "checkAll";
}

/**
 * The cell as the grader compiles it: top-level `await check("…")` / `checkAll()`
 * statements (which the notebook runs to show the public tests) are blanked out,
 * keeping every line and column, because an answer module has no top-level await
 * and the grader runs the tests itself. Inside functions `check` is the library's
 * and the grader's `lab.check` does nothing.
 */
export function withoutCheckCalls(source: string): string {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  let out = source;
  for (const statement of [...file.statements].reverse()) {
    if (!ts.isExpressionStatement(statement) || !isCheckCall(statement.expression)) continue;
    const start = statement.getStart(file);
    out = `${out.slice(0, start)}${out.slice(start, statement.end).replace(/[^\n]/g, " ")}${out.slice(statement.end)}`;
  }
  return out;
}

/** The module text compiled for a cell: prelude + cell (without its check calls) + export list. */
export function answerModuleText(answer: AnswerSource): string {
  const source = withoutCheckCalls(answer.source);
  const body = source.endsWith("\n") ? source : `${source}\n`;
  return `${ANSWER_PRELUDE}${body}export { ${answer.exports.join(", ")} };\n`;
}

/**
 * A diagnostic in the student's terms: "line 4, column 12: …" with the line quoted,
 * or, on the appended export line, which name the cell failed to define.
 */
export function describeDiagnostic(diagnostic: ts.Diagnostic, answer: AnswerSource): string {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (diagnostic.file === undefined || diagnostic.start === undefined) return text;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const cellLines = answer.source.replace(/\n$/, "").split("\n");
  const studentLine = line - PRELUDE_LINES; // 0-based line in the cell
  if (studentLine < 0) return `In the notebook's first cell (import of the library): ${text}`;
  if (studentLine >= cellLines.length) {
    if (diagnostic.code !== CANNOT_FIND_NAME) return `at the end of the cell: ${text} (a bracket or parenthesis is probably not closed)`;
    return `The answer cell must define ${answer.exports.map((e) => `\`${e}\``).join(", ")} (${text}). Keep the names given in the notebook.`;
  }
  const quoted = cellLines[studentLine] ?? "";
  const caret = `${" ".repeat(character)}^`;
  return `line ${studentLine + 1}, column ${character + 1}: ${text}\n  ${quoted}\n  ${caret}`;
}

/**
 * Type-check and compile a submission's answer cells. Every cell gets a result;
 * errors in one cell never affect another's.
 */
export function compileAnswerCells(answers: readonly AnswerSource[], options: CompileAnswersOptions = {}): CompiledAnswer[] {
  const rootDir = options.rootDir ?? libraryRoot();
  const typeCheck = options.typeCheck ?? true;
  const files = new Map(answers.map((a) => [answerFileName(rootDir, a.questionId), a] as const));
  const host = ts.createCompilerHost(KERNEL_COMPILER_OPTIONS);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (fileName) => {
    const answer = files.get(path.resolve(fileName));
    return answer ? answerModuleText(answer) : readFile(fileName);
  };
  host.fileExists = (fileName) => files.has(path.resolve(fileName)) || fileExists(fileName);
  host.getSourceFile = (fileName, languageVersion, onError) => {
    const answer = files.get(path.resolve(fileName));
    if (answer) return ts.createSourceFile(fileName, answerModuleText(answer), languageVersion, true);
    const cached = sharedSourceFiles.get(fileName);
    if (cached !== undefined) return cached;
    const parsed = getSourceFile(fileName, languageVersion, onError);
    if (parsed !== undefined) sharedSourceFiles.set(fileName, parsed);
    return parsed;
  };
  const emitted = new Map<string, string>();
  host.writeFile = (fileName, text) => emitted.set(path.resolve(fileName), text);
  // Resolve the library to its published types directly: works whether or not
  // node_modules/ai-efficiency-labs (the notebook link) exists.
  const paths = { "ai-efficiency-labs": [path.join(rootDir, "dist", "index.d.ts")] };
  const program = ts.createProgram({ rootNames: [...files.keys()], options: { ...KERNEL_COMPILER_OPTIONS, paths, outDir: path.join(rootDir, "__answers_out__"), rootDir }, host });

  return [...files].map(([fileName, answer]): CompiledAnswer => {
    const sourceFile = program.getSourceFile(fileName);
    if (sourceFile === undefined) return { kind: "compile-error", questionId: answer.questionId, message: "internal: the answer file was not loaded" };
    const syntactic = program.getSyntacticDiagnostics(sourceFile);
    const violations = syntactic.length === 0 && answer.rules !== undefined ? answerRuleViolations(answer.source, answer.rules) : [];
    if (violations.length > 0) return { kind: "compile-error", questionId: answer.questionId, message: ruleViolationMessage(violations) };
    const diagnostics = syntactic.length > 0 || !typeCheck ? syntactic : program.getSemanticDiagnostics(sourceFile);
    const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
      const shown = errors.slice(0, 5).map((d) => describeDiagnostic(d, answer));
      const more = errors.length > 5 ? `\n(${errors.length - 5} more errors)` : "";
      return { kind: "compile-error", questionId: answer.questionId, message: `The answer cell does not compile:\n${shown.join("\n")}${more}` };
    }
    let javascript: string | undefined;
    program.emit(sourceFile, (_name, text) => {
      if (_name.endsWith(".js")) javascript = text;
    });
    if (javascript === undefined) return { kind: "compile-error", questionId: answer.questionId, message: "internal: TypeScript emitted no JavaScript" };
    return { kind: "compiled", questionId: answer.questionId, javascript, fileName };
  });
}
