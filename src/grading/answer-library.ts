/**
 * What an answer cell can reach while it is graded: the library as `lab`, with this
 * question's references (and those of its lab and later labs) replaced by stubs,
 * and nothing else.
 *
 * The grader's own modules (the references its tests compare with, the tests
 * themselves) live in the same worker, so the answer is given
 *   - a `lab` that is a frozen copy of the library's exports, where every name in
 *     `hidden` (answer-rules.ts, `referencesHiddenFrom`) is a stub that throws
 *     "The answer uses lab.adamStep, the reference for adam.step; write the update
 *     yourself." and records the call, so the question scores 0 even if the answer
 *     catches the error; `lab.tf` is a frozen copy of the TensorFlow.js namespace,
 *     and `lab.check`/`lab.checkAll` do nothing (the grader runs the tests itself);
 *   - a `require` that knows only the library and has no `cache`, `resolve` or `main`;
 *   - a `process` without its doors to Node's internals (`hardenProcess`).
 * What the answer can still touch (prototypes of tensors and library classes,
 * built-ins) is snapshotted and compared after every test (intrinsics-guard.ts).
 */
import { LIBRARY_PACKAGE } from "./answer-rules";
import { AnswerRuleError } from "./question";

/** The answer's view of the library, and what the stubs recorded. */
export interface AnswerLibrary {
  /** The object `import * as lab from "ai-efficiency-labs"` gives the answer. */
  readonly lab: Readonly<Record<string, unknown>>;
  /** The `require` the answer module is evaluated with. */
  readonly require: (request: string) => unknown;
  /** The first rule message a stub threw, if the answer called one. */
  brokenRule(): string | undefined;
}

/** The message of a stub (and of its error): "The answer uses lab.adamStep, …". */
export function stubMessage(name: string, questionId: string): string {
  return `The answer uses lab.${name}, the reference for ${questionId}; write the update yourself.`;
}

/** A frozen copy of an object's own properties, getters read once. */
function frozenCopy(source: object, replace: (key: string, value: unknown) => unknown = (_k, v) => v): Readonly<Record<string, unknown>> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(source)) {
    const descriptor = Object.getOwnPropertyDescriptor(source, key);
    if (descriptor === undefined) continue;
    const value = "value" in descriptor ? descriptor.value : descriptor.get?.call(source);
    Object.defineProperty(copy, key, { value: replace(key, value), enumerable: descriptor.enumerable ?? false, writable: false, configurable: false });
  }
  return Object.freeze(copy);
}

/**
 * The answer's library: `library` (the real exports) with the names in `hidden`
 * (export name -> the question it is the reference of) stubbed.
 */
export function answerLibrary(library: object, hidden: ReadonlyMap<string, string>): AnswerLibrary {
  let broken: string | undefined;
  const stub = (name: string, questionId: string): ((...args: unknown[]) => never) => {
    const message = stubMessage(name, questionId);
    // A plain function: calling it, `new` on it and `super()` in a subclass all throw.
    const f = function (): never {
      broken ??= message;
      throw new AnswerRuleError(message);
    };
    Object.defineProperty(f, "name", { value: name });
    return f;
  };
  const doNothing = async (): Promise<undefined> => undefined;
  const lab = frozenCopy(library, (key, value) => {
    const questionId = hidden.get(key);
    if (questionId !== undefined) return stub(key, questionId);
    if (key === "check" || key === "checkAll") return doNothing;
    if (key === "tf" && typeof value === "object" && value !== null) return frozenCopy(value);
    return value;
  });
  const answerRequire = (request: string): unknown => {
    if (request === LIBRARY_PACKAGE) return lab;
    throw new AnswerRuleError(`require("${request}") is not available to an answer: use lab and tf from the notebook's first cell.`);
  };
  return { lab, require: answerRequire, brokenRule: () => broken };
}

/** Functions of `process` that lead to Node's internals, module loader or native code. */
const PROCESS_DOORS = ["binding", "_linkedBinding", "getBuiltinModule", "dlopen"] as const;
/** Properties of `process` that expose the module system or the process's internals (Node reads `mainModule` itself: it must stay readable). */
const PROCESS_WINDOWS = ["mainModule", "moduleLoadList", "report"] as const;

/**
 * Close `process`'s doors to Node's internals in this thread before an answer runs
 * (each question runs in its own worker, so nothing else is affected): the
 * functions throw, the properties read as `undefined`, and neither can be put back.
 */
export function hardenProcess(): void {
  const lock = (name: string, value: unknown): void => {
    try {
      Object.defineProperty(process, name, { value, writable: false, configurable: false, enumerable: false });
    } catch {
      // already locked by the runtime: it cannot be replaced by the answer either
    }
  };
  for (const name of PROCESS_DOORS) {
    lock(name, () => {
      throw new AnswerRuleError(`process.${name} is not available to an answer; answers only compute and return values.`);
    });
  }
  for (const name of PROCESS_WINDOWS) lock(name, undefined);
}
