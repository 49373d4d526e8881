import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { checkCountsIn, checkNotRunLine, checkSummaryLine, latestCheckTotals } from "../../src/grading/check-summary";
import { checksInExecutedCopy, formatRun, type NotebookRun } from "../../src/notebook/run-notebooks";

function executedCopy(outputs: string[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "efflab-run-checks-")), "02-adam.ipynb");
  const cells = outputs.map((text) => ({ cell_type: "code", source: [], outputs: [{ output_type: "display_data", data: { "text/plain": text, "text/html": "<p>x</p>" } }] }));
  fs.writeFileSync(file, JSON.stringify({ cells }));
  return file;
}

describe("efflab run reads the notebook's check() summaries", () => {
  test("the summary lines check() prints are read back, the latest per question counting", () => {
    const text = [
      `adam.moments — title\n  ✗ a test (0/1)\n${checkSummaryLine("adam.moments", 0, 3, 0, 4)}`,
      checkNotRunLine("adam.step", 3, ["adamStep"]),
      checkSummaryLine("adam.moments", 3, 3, 4, 4),
    ].join("\n\n");
    expect(checkCountsIn(text)).toEqual([
      { questionId: "adam.moments", passed: 0, total: 3 },
      { questionId: "adam.step", passed: 0, total: 3 },
      { questionId: "adam.moments", passed: 3, total: 3 },
    ]);
    expect(latestCheckTotals(checkCountsIn(text))).toEqual({ passed: 3, total: 6, questions: 2 });
  });

  test("a notebook that ran but whose checks fail gets no ✓: it says how many public checks pass", () => {
    const copy = executedCopy([checkSummaryLine("adam.moments", 0, 3, 0, 4), checkSummaryLine("adam.step", 1, 2, 1, 3)]);
    const run: NotebookRun = { notebook: "notebooks/02-adam.ipynb", ok: true, seconds: 12.3, executedCopy: copy, failures: [], checks: checksInExecutedCopy(copy) };
    expect(run.checks).toEqual({ passed: 1, total: 5 });
    const line = formatRun(run);
    expect(line).not.toContain("✓");
    expect(line).toMatch(/^○ 02-adam\.ipynb ran \(12\.3 s\), 1 of 5 public checks pass/);
  });

  test("all checks passing keeps the ✓ and says so; a notebook without checks is a plain ✓", () => {
    const copy = executedCopy([checkSummaryLine("adam.moments", 3, 3, 4, 4)]);
    expect(formatRun({ notebook: "02-adam.ipynb", ok: true, seconds: 1, executedCopy: copy, failures: [], checks: checksInExecutedCopy(copy) })).toBe("✓ 02-adam.ipynb (1.0 s, 3 of 3 public checks pass)");
    const none = executedCopy(["N = 200 examples"]);
    expect(checksInExecutedCopy(none)).toBeUndefined();
    expect(formatRun({ notebook: "00-welcome.ipynb", ok: true, seconds: 2, executedCopy: none, failures: [] })).toBe("✓ 00-welcome.ipynb (2.0 s)");
  });
});
