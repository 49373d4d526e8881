/**
 * Cells that use a student's answers, in the student edition.
 *
 * In the student edition an answer starts as a stub that throws
 * `Not implemented: <id>`. A later cell that calls it would end in a stack trace,
 * and Jupyter's *Run All* stops at the first error: every plot below stays empty
 * until everything above is solved. So `efflab release` rewrites each cell that
 * uses an answer (answer-guard-transform.ts): its declarations stay at the top level,
 * where later cells see them, and its statements run through a guard:
 *
 * ```ts
 * const ifAnswered = lab.answerGuard({ "adam.step": 9 });      // question -> its code cell
 * function adamPath(...) { ... }                               // declarations unchanged
 * const adamRun = ifAnswered(() => adamPath(bowl, hp, 100));    // skipped while adam.step is a stub
 * ifAnswered(() => { lab.showPlot(...); });
 * ```
 *
 * While a needed answer is still the stub, the guard prints one line — "needs
 * adam.step (code cell 9) — implement it, then re-run this cell" — and skips every
 * statement of the cell, without an error, so the notebook goes on. Once the answer
 * is implemented the guard is transparent: the cell runs as in the master notebook.
 * A real error in the student's code is not caught: its stack trace is what the
 * student needs to see.
 *
 * (A variable of a skipped statement stays `undefined`; every later cell that reads
 * it is guarded too and names the cell to re-run, through `after`.)
 */
import type { Question } from "./question";
import { kernelDefinitions } from "./check";
import { courseQuestions } from "./questions";

/** Options of `answerGuard`. */
export interface AnswerGuardOptions {
  /** This cell's code cell number (1-based), to remember whether it ran. */
  readonly cell?: number;
  /** Guarded cells this cell reads variables from (code cell numbers). @default [] */
  readonly after?: readonly number[];
  /** Where to find the student's definitions. @default the kernel's */
  readonly definitions?: Readonly<Record<string, unknown>>;
  /** Questions to look exports up in. @default every registered question */
  readonly questions?: readonly Question[];
  /** Where the one-line notice goes. @default console.log */
  readonly print?: (line: string) => void;
}

/** Runs a cell's statements while its answers are implemented; see the module comment. */
export interface AnswerGuard {
  /**
   * `work()` unless the cell is blocked; then `placeholder` (for `const [a, b] = …`, pass `[]`).
   * An asynchronous `work` may be awaited as usual.
   */
  <T>(work: () => T, placeholder?: unknown): T;
  /** True once a needed answer was found unimplemented (the rest of the cell is skipped). */
  readonly blocked: boolean;
}

/** An answer cell's stub (`Not implemented: adam.step`) or the per-lab edition's library stub (stub-probe.ts). */
const STUB_MESSAGE = /^Not implemented(?:: | in the student edition: this is exercise )(\S+)/;

/** Guarded cells of this kernel session whose last run was skipped (code cell numbers). */
const skippedCells = new Map<number, { readonly questionId: string; readonly cell: number | undefined } | undefined>();

/** The question id of a stub's error, or undefined for any other error. */
export function notImplementedId(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  return STUB_MESSAGE.exec(error.message)?.[1];
}

/** True when `value` is the student edition's stub for `questionId` (its code throws the stub's error). */
export function isStub(value: unknown, questionId: string): boolean {
  if (typeof value !== "function") return false;
  const code = Function.prototype.toString.call(value);
  return code.includes(`Not implemented: ${questionId}"`) || code.includes(`Not implemented: ${questionId}'`);
}

/** True for the per-lab edition's library stub (stub-probe.ts), not an answer cell's stub. */
function isLibraryStubError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("Not implemented in the student edition");
}

/**
 * The notice for a cell that needs more of the library's own solution of an answer the
 * student has written than that answer computes (the edition's library runs the student's
 * answer where it can: lab 06's `roundToFormat` rounds to fp16 with the student's `toFp16`,
 * but bf16 would take the general rounding, which the edition does not ship).
 */
export function libraryStubLine(questionId: string, cell: number | undefined): string {
  const where = cell === undefined || cell === 0 ? "" : ` (code cell ${cell})`;
  return `skipped: this cell needs the library's own ${questionId} for more than your answer${where} computes, and this edition does not ship it; check your answer with check("${questionId}")`;
}

/**
 * The notice for an answer that is still a stub, or not run yet. A cell placed above its
 * answer cell (a first *Run All* reaches it before the answer) says that the answer is further down.
 * @param cell the answer cell's code cell number
 * @param here this cell's code cell number
 */
export function needsLine(questionId: string, cell: number | undefined, here?: number): string {
  if (cell === undefined || cell === 0) return `needs ${questionId} — implement it, then re-run this cell`;
  if (here !== undefined && cell > here) return `needs ${questionId} (code cell ${cell}, further down) — implement and run it, then re-run this cell`;
  return `needs ${questionId} (code cell ${cell}) — implement it, then re-run this cell`;
}

/**
 * A guard for one cell: `needs` maps each question the cell uses to the code cell
 * number of its answer cell.
 */
export function answerGuard(needs: Readonly<Record<string, number>>, options: AnswerGuardOptions = {}): AnswerGuard {
  const print = options.print ?? ((line: string) => console.log(line));
  const definitions = options.definitions ?? kernelDefinitions();
  const questions = options.questions ?? courseQuestions;
  let blocked = false;

  const block = (line: string, need?: { readonly questionId: string; readonly cell: number | undefined }): void => {
    if (blocked) return;
    blocked = true;
    if (options.cell !== undefined) skippedCells.set(options.cell, need);
    print(line);
  };
  const implemented = (questionId: string): boolean => {
    const names = questions.find((q) => q.id === questionId)?.exports ?? [];
    return names.every((name) => typeof definitions[name] === "function" && !isStub(definitions[name], questionId));
  };

  // Before anything runs: answers still stubs, or an earlier guarded cell skipped.
  for (const [questionId, cell] of Object.entries(needs)) {
    const names = questions.find((q) => q.id === questionId)?.exports ?? [];
    if (names.some((name) => isStub(definitions[name], questionId))) {
      block(needsLine(questionId, cell, options.cell), { questionId, cell });
      break;
    }
  }
  const skippedBefore = (options.after ?? []).find((cell) => skippedCells.has(cell));
  if (!blocked && skippedBefore !== undefined) {
    // Skipped for an answer still missing: say which (Run All of an untouched edition); else the cell to re-run.
    const need = skippedCells.get(skippedBefore);
    if (need !== undefined && !implemented(need.questionId)) block(needsLine(need.questionId, need.cell, options.cell), need);
    else block(`needs code cell ${skippedBefore}, which was skipped — re-run it (its answers are ready now), then this cell`);
  }
  if (!blocked && options.cell !== undefined) skippedCells.delete(options.cell);

  const onError = (error: unknown): never | undefined => {
    const id = notImplementedId(error);
    if (id === undefined) throw error;
    // The per-lab edition's library stub, reached although the student's answer exists:
    // "needs …" would send them back to an answer that is done.
    if (isLibraryStubError(error) && implemented(id)) block(libraryStubLine(id, needs[id]));
    else block(needsLine(id, needs[id], options.cell), { questionId: id, cell: needs[id] });
    return undefined;
  };

  const guard = (<T>(work: () => T, placeholder?: unknown): T => {
    if (blocked) return placeholder as T;
    try {
      const result = work();
      if (result instanceof Promise) {
        return result.catch((error: unknown) => (onError(error), placeholder)) as T;
      }
      return result;
    } catch (error) {
      onError(error);
      return placeholder as T;
    }
  }) as AnswerGuard;
  Object.defineProperty(guard, "blocked", { get: () => blocked });
  return guard;
}
