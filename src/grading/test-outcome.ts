/**
 * Running a question's tests against an implementation, and what a run produces.
 *
 * The same function runs the tests in the notebook (`check()`, in the kernel's
 * process) and in the grader's isolated worker, so a student sees in the notebook
 * exactly what the grader will say about the public tests.
 *
 * Hidden tests never leak: for them only the failure's message is kept (never the
 * `expected`/`received` of a `GradingError`, never a stack trace, never the text of
 * an assertion library's message, which quotes expected values).
 */
import type { GradedTest, Implementation } from "./question";
import { withExpectationContext } from "./recorded-expectations";

/** Whether a test belongs to the public suite (shown in the notebook) or the hidden one. */
export type TestSuiteKind = "public" | "hidden";

/** The result of one test. */
export interface TestOutcome {
  readonly questionId: string;
  readonly testName: string;
  readonly suite: TestSuiteKind;
  readonly maxPoints: number;
  readonly points: number;
  readonly passed: boolean;
  /** Empty when passed; otherwise what went wrong, in the student's terms. */
  readonly message: string;
  /** The test's hint (shown next to failures). */
  readonly hint: string;
}

/** Options of `runGradedTests`. */
export interface RunGradedTestsOptions {
  readonly questionId: string;
  readonly suite: TestSuiteKind;
  /**
   * Per-test limit for asynchronous work (a promise that never resolves).
   * Synchronous infinite loops are stopped only by the grader's worker limit.
   * @default 2000
   */
  readonly testTimeoutMs?: number;
  /**
   * Run after each test: a message when the test's verdict cannot be trusted (the
   * answer changed the grader's library or built-ins). That test and every later
   * one then fail with the message.
   */
  readonly afterEach?: () => string | undefined;
}

const MAX_MESSAGE_CHARS = 1000;

function truncate(text: string, limit = MAX_MESSAGE_CHARS): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}

function hasStringField<K extends string>(value: object, key: K): value is Record<K, string> {
  return typeof (value as Record<string, unknown>)[key] === "string";
}

/**
 * Turn whatever a test threw into a message. `GradingError` is recognised by name
 * (the worker may load a second copy of the class), so expected/received are shown
 * only for public tests.
 */
export function failureMessage(error: unknown, questionId: string, suite: TestSuiteKind): string {
  if (typeof error !== "object" || error === null) return truncate(`The test failed: ${String(error)}`);
  const name = hasStringField(error, "name") ? error.name : "Error";
  const message = hasStringField(error, "message") ? error.message : "";
  if ((error as { code?: unknown }).code === "ERR_ACCESS_DENIED") {
    return "The answer tried to write a file, read one outside the library, or start a process; the grader does not allow that (answers only compute and return values).";
  }
  if (name === "AnswerRuleError") return truncate(message);
  if (/not implemented/i.test(message)) return `Not implemented: ${questionId}. Replace the \`throw\` in the answer cell with your code.`;
  if (name === "GradingError") {
    if (suite === "hidden") return truncate(message);
    const expected = hasStringField(error, "expected") ? `\nexpected: ${error.expected}` : "";
    const received = hasStringField(error, "received") ? `\nreceived: ${error.received}` : "";
    return truncate(`${message}${expected}${received}`);
  }
  if (suite === "hidden" && (name === "AssertionError" || /expected/i.test(message))) {
    return "A hidden test failed (its details are shown after grades are published).";
  }
  return truncate(`Your code threw ${name}: ${message}`);
}

function withTimeout(work: Promise<void>, ms: number, testName: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: a promise in your code never resolved? (test "${testName}")`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/**
 * Run tests one after another; a failure in one never stops the next, but once
 * `afterEach` reports that the grader's state was changed, every later test fails
 * with that message (its verdict could not be trusted).
 */
export async function runGradedTests(tests: readonly GradedTest[], impl: Implementation, options: RunGradedTestsOptions): Promise<TestOutcome[]> {
  const timeoutMs = options.testTimeoutMs ?? 2000;
  const outcomes: TestOutcome[] = [];
  let untrusted: string | undefined;
  for (const test of tests) {
    const base = { questionId: options.questionId, testName: test.name, suite: options.suite, maxPoints: test.points, hint: test.hint };
    if (untrusted !== undefined) {
      outcomes.push({ ...base, points: 0, passed: false, message: untrusted });
      continue;
    }
    untrusted = await runOne(test, base);
  }
  return outcomes;

  async function runOne(test: GradedTest, base: Omit<TestOutcome, "points" | "passed" | "message">): Promise<string | undefined> {
    try {
      await withExpectationContext({ questionId: options.questionId, testName: test.name, suite: options.suite }, () => withTimeout(Promise.resolve().then(() => test.run(impl)), timeoutMs, test.name));
      outcomes.push({ ...base, points: test.points, passed: true, message: "" });
    } catch (error) {
      const message = error instanceof Error && error.message.startsWith("timed out after") ? `Timed out: ${error.message}` : failureMessage(error, options.questionId, options.suite);
      outcomes.push({ ...base, points: 0, passed: false, message });
    }
    const broken = options.afterEach?.();
    if (broken !== undefined) outcomes[outcomes.length - 1] = { ...base, points: 0, passed: false, message: broken };
    return broken;
  }
}

/** The same failure for every test of a question (missing cell, compile error, time limit). */
export function failAllTests(questionId: string, suite: TestSuiteKind, tests: readonly GradedTest[], message: string): TestOutcome[] {
  return tests.map((test) => ({ questionId, testName: test.name, suite, maxPoints: test.points, points: 0, passed: false, message, hint: test.hint }));
}
