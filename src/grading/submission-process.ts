/**
 * Entry point of the child process that grades one submission (forked by
 * `gradeSubmissions`). It receives a compiled `{ plan }` over IPC, runs it, and
 * sends back `{ kind: "report", report }`.
 *
 * The parent starts it under Node's permission model (grade-runner.ts,
 * `permissionFlags`): it may read only the library's `dist/`, `node_modules/` and
 * `package.json` (so not the hidden suites, the library's sources or the
 * submission), write nothing (no fake `results.json`, no edits to the submission),
 * start no process, and build no code from strings. The hidden suites arrive in the
 * plan as code the parent transpiled and are loaded from memory.
 * `results.json` is written by the parent from this report.
 */
import { runSubmissionPlan, type SubmissionPlan, type SubmissionReport } from "./submission-grader";
import { usePrecompiledModules } from "./typescript-require";

/** The parent's request: a compiled plan (see `planSubmission`). */
export interface SubmissionRequest {
  readonly plan: SubmissionPlan;
}

/** The child's answer. */
export type SubmissionResponse = { readonly kind: "report"; readonly report: SubmissionReport } | { readonly kind: "error"; readonly message: string; readonly timedOut?: boolean };

function reply(response: SubmissionResponse): void {
  process.send?.(response, () => process.exit(0));
}

process.once("message", (message: SubmissionRequest) => {
  usePrecompiledModules(message.plan.modules);
  runSubmissionPlan(message.plan).then(
    (report) => reply({ kind: "report", report }),
    (error: unknown) => reply({ kind: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
