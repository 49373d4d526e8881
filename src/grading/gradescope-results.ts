/**
 * Gradescope's `results.json`, built from a submission's report.
 *
 * Format: https://gradescope-autograders.readthedocs.io/en/latest/specs/#output-format
 * Top level `score`, `execution_time` (s), `output`, `visibility`, `tests[]`; each test
 * `name`, `score`, `max_score`, `status` ("passed"/"failed"), `output`, `visibility`,
 * `number`, `tags`. Public tests are `visible`; hidden ones get the configured
 * visibility (default `after_published`). The summary line counts public tests and
 * says that hidden tests are graded too: it never claims "all tests passed" while
 * hidden tests are pending or failing.
 */
import type { Visibility } from "./question";
import type { SubmissionReport } from "./submission-grader";

/** One test in Gradescope's format. */
export interface GradescopeTest {
  readonly name: string;
  readonly score: number;
  readonly max_score: number;
  readonly status: "passed" | "failed";
  readonly output: string;
  readonly visibility: Visibility;
  readonly number: string;
  readonly tags: readonly string[];
}

/** The whole `results.json`. */
export interface GradescopeResults {
  readonly score: number;
  readonly execution_time: number;
  readonly output: string;
  readonly visibility: Visibility;
  readonly tests: readonly GradescopeTest[];
}

/** Options of `gradescopeResults`. */
export interface GradescopeResultsOptions {
  /** Visibility of hidden tests. @default "after_published" */
  readonly hiddenVisibility?: Visibility;
  /** Grading time in seconds. */
  readonly executionTime: number;
}

const VISIBILITIES: readonly Visibility[] = ["visible", "hidden", "after_due_date", "after_published"];

/** Build `results.json` from a report. */
export function gradescopeResults(report: SubmissionReport, options: GradescopeResultsOptions): GradescopeResults {
  const hiddenVisibility = options.hiddenVisibility ?? "after_published";
  const tests: GradescopeTest[] = report.questions.flatMap((question, q) =>
    question.outcomes.map((o, t): GradescopeTest => {
      const output = o.passed ? "" : [o.message, o.hint ? `Hint: ${o.hint}` : ""].filter((s) => s !== "").join("\n");
      return {
        name: `${o.questionId}: ${o.testName}${o.suite === "hidden" ? " (hidden)" : ""}`,
        score: o.points,
        max_score: o.maxPoints,
        status: o.passed ? "passed" : "failed",
        output,
        visibility: o.suite === "public" ? "visible" : hiddenVisibility,
        number: `${q + 1}.${t + 1}`,
        tags: [o.questionId, o.suite],
      };
    }),
  );
  const publicTests = report.questions.flatMap((q) => q.outcomes).filter((o) => o.suite === "public");
  const hiddenCount = report.questions.flatMap((q) => q.outcomes).filter((o) => o.suite === "hidden").length;
  const summary =
    `Public tests: ${publicTests.filter((o) => o.passed).length} of ${publicTests.length} passed.` +
    (hiddenCount > 0 ? ` ${hiddenCount} hidden tests were also graded; their results are shown when grades are published.` : "");
  const score = tests.reduce((sum, t) => sum + t.score, 0);
  return {
    score,
    execution_time: Math.round(options.executionTime * 1000) / 1000,
    output: [...report.notes, summary].join("\n"),
    visibility: "visible",
    tests,
  };
}

/** Problems with a `results.json` value (empty when valid). Used by tests and by the grader itself. */
export function gradescopeResultsProblems(value: unknown): string[] {
  const problems: string[] = [];
  if (typeof value !== "object" || value === null) return ["results.json is not an object"];
  const r = value as Record<string, unknown>;
  if (typeof r["score"] !== "number" || !Number.isFinite(r["score"])) problems.push("score must be a finite number");
  if (typeof r["execution_time"] !== "number") problems.push("execution_time must be a number");
  if (typeof r["output"] !== "string") problems.push("output must be a string");
  if (!VISIBILITIES.includes(r["visibility"] as Visibility)) problems.push("visibility must be one of " + VISIBILITIES.join(", "));
  if (!Array.isArray(r["tests"])) return [...problems, "tests must be an array"];
  r["tests"].forEach((t: unknown, i) => {
    const test = (typeof t === "object" && t !== null ? t : {}) as Record<string, unknown>;
    if (typeof test["name"] !== "string") problems.push(`tests[${i}].name must be a string`);
    if (typeof test["score"] !== "number" || typeof test["max_score"] !== "number") problems.push(`tests[${i}] needs numeric score and max_score`);
    else if (test["score"] > test["max_score"] || test["score"] < 0) problems.push(`tests[${i}].score must be in [0, max_score]`);
    if (test["status"] !== "passed" && test["status"] !== "failed") problems.push(`tests[${i}].status must be "passed" or "failed"`);
    if (typeof test["output"] !== "string") problems.push(`tests[${i}].output must be a string`);
    if (!VISIBILITIES.includes(test["visibility"] as Visibility)) problems.push(`tests[${i}].visibility is invalid`);
  });
  return problems;
}
