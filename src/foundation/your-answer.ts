/**
 * Your answers, run by the library: how the per-lab student edition stays whole.
 *
 * The edition of lab NN (`efflab release --lab NN`) ships no working reference of
 * an exercise of lab NN or later. The library still needs those computations: lab 02's
 * Iris comparison trains with `lab.adam`, lab 05 draws Gantt charts from
 * `lab.pipelineMetrics`. So in the edition each such body is replaced by a call of
 * *your* answer, found by the name your answer cell defines (tslab keeps every
 * top-level declaration of the cells run so far in `globalThis.__tslab__.exports`):
 *
 *   - `yourAnswerIn(...)` opens the edition's body of a library function, and
 *     `.answer("adamMoments")` is your `adamMoments` (or the exercise's "Not implemented
 *     in the student edition" error while your answer cell has not run);
 *   - `yourAnswerIn(...).require([...])` opens a body the edition keeps because it only
 *     assembles your answers (`AdamOptimizer.update` calls `adamUpdate`, which calls yours).
 *
 * One rule holds everywhere, in the notebook as in the grader: an answer may not call
 * the library's own solution of an exercise of its lab or a later one. While your
 * answer runs (called by the library, or by `check(...)`), entering such a body throws
 * a message naming the rule, instead of recursing into your own answer forever.
 *
 * The master library never calls this module: only the edition's generated bodies do.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** The answer being run: its exercise and that exercise's lab. */
interface RunningAnswer {
  readonly questionId: string;
  readonly lab: number;
}

const running = new AsyncLocalStorage<RunningAnswer>();

const labName = (lab: number): string => `lab ${String(lab).padStart(2, "0")}`;

/** What a stubbed reference throws while its exercise's answer is not defined. */
export function libraryStubMessage(questionId: string, lab: number): string {
  return `Not implemented in the student edition: this is exercise ${questionId} of ${labName(lab)}`;
}

/**
 * Definitions made by the cells executed so far in the tslab kernel (empty outside a kernel):
 * tslab keeps every top-level declaration of every executed cell in `globalThis.__tslab__.exports`.
 */
export function kernelDefinitions(): Readonly<Record<string, unknown>> {
  const tslab = (globalThis as { __tslab__?: { exports?: Record<string, unknown> } }).__tslab__;
  return tslab?.exports ?? {};
}

/**
 * Run `fn` as the answer to `questionId` of `lab`: library bodies of that lab or later
 * refuse to run inside it (see the module comment). Keeps the context across `await`.
 */
export function runAsAnswer<T>(questionId: string, lab: number, fn: () => T): T {
  return running.run({ questionId, lab }, fn);
}

/** `fn`, wrapped so that each call runs as the answer to `questionId` (`runAsAnswer`). */
export function asAnswer<F extends (...args: never[]) => unknown>(questionId: string, lab: number, fn: F): F {
  const wrapped = function (this: unknown, ...args: Parameters<F>): ReturnType<F> {
    return runAsAnswer(questionId, lab, () => fn.apply(this, args) as ReturnType<F>);
  };
  return wrapped as unknown as F;
}

/** The edition's body of one library function: where your answer comes in. */
export interface EditionBody {
  /** Your definition `name`, run as your answer; throws the exercise's stub message while it is missing. */
  answer<F extends (...args: never[]) => unknown>(name: string): F;
  /** Throws the exercise's stub message unless every one of `names` is defined. */
  require(names: readonly string[]): void;
}

/**
 * Open the edition's body of the library function `libraryName`, which solves exercise
 * `questionId` of `lab`. Throws when an answer of `lab` or an earlier lab is running:
 * that answer called the library's solution, which the grader scores 0.
 */
export function yourAnswerIn(questionId: string, lab: number, libraryName: string): EditionBody {
  const current = running.getStore();
  if (current !== undefined && lab >= current.lab) {
    throw new Error(
      `Your answer to ${current.questionId} calls lab.${libraryName}, the library's solution of ${questionId} (${labName(lab)}). ` +
        `In this edition it runs your own answer, and the grader gives 0 to an answer that calls it: write ${current.questionId} without it.`,
    );
  }
  const definitions = kernelDefinitions();
  const missing = (name: string): boolean => typeof definitions[name] !== "function";
  return {
    answer<F extends (...args: never[]) => unknown>(name: string): F {
      if (missing(name)) throw new Error(libraryStubMessage(questionId, lab));
      return asAnswer(questionId, lab, definitions[name] as F);
    },
    require(names: readonly string[]): void {
      if (names.some(missing)) throw new Error(libraryStubMessage(questionId, lab));
    },
  };
}
