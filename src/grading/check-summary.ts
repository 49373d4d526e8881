/**
 * The one-line summary of a `check()` table, written and read in one place: check.ts
 * prints it under each table, and `efflab run` reads it back from the executed
 * notebook to say how many public checks pass (run-notebooks.ts). No imports, so
 * the runner can use it without loading the questions.
 */

/** Passed and total public tests of one question. */
export interface CheckCount {
  readonly questionId: string;
  readonly passed: number;
  readonly total: number;
}

/** "adam.step: 2 of 3 public tests passed (4/5 points): <verdict>." */
export function checkSummaryLine(questionId: string, passed: number, total: number, points: number, maxPoints: number): string {
  const verdict = passed === total ? "public tests pass; hidden tests run when you submit" : "fix the failures above and check again";
  return `${questionId}: ${passed} of ${total} public tests passed (${points}/${maxPoints} points): ${verdict}.`;
}

/** "adam.step: 0 of 3 public tests run: define `adamStep` first …" */
export function checkNotRunLine(questionId: string, total: number, missing: readonly string[]): string {
  return `${questionId}: 0 of ${total} public tests run: define ${missing.map((m) => `\`${m}\``).join(", ")} first (run the answer cell "// @answer ${questionId}"), then check again.`;
}

/** Every summary line in a text, in order (a question checked twice appears twice). */
export function checkCountsIn(text: string): CheckCount[] {
  const counts: CheckCount[] = [];
  for (const m of text.matchAll(/^([A-Za-z][\w-]*\.[\w-]+): (\d+) of (\d+) public tests (?:passed|run)\b/gm)) {
    counts.push({ questionId: m[1] ?? "", passed: Number(m[2]), total: Number(m[3]) });
  }
  return counts;
}

/** The latest count of each question (a later `check()` replaces an earlier one), summed. */
export function latestCheckTotals(counts: readonly CheckCount[]): { passed: number; total: number; questions: number } {
  const latest = new Map<string, CheckCount>();
  for (const c of counts) latest.set(c.questionId, c);
  const all = [...latest.values()];
  return { passed: all.reduce((s, c) => s + c.passed, 0), total: all.reduce((s, c) => s + c.total, 0), questions: all.length };
}
