import { afterEach, describe, expect, test } from "vitest";
import { checkReportHtml, checkReportText, runCheck, runCheckAll } from "../../src/grading/check";
import { toyQuestions } from "../fixtures/toy/toy.questions";

const questions = toyQuestions;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("check() in the notebook", () => {
  afterEach(() => {
    delete (globalThis as { __tslab__?: unknown }).__tslab__;
  });

  test("finds the student's function in the kernel's exports by the question's names", async () => {
    (globalThis as { __tslab__?: unknown }).__tslab__ = { exports: { mean } };
    const report = await runCheck("toy.mean", undefined, { questions });
    expect(report.passed).toBe(1);
    expect(report.points).toBe(2);
  });

  test("accepts the implementation passed explicitly", async () => {
    const report = await runCheck("toy.add", { add: (a: number, b: number) => a - b }, { questions });
    // a - b: add(2, 3) = -1 fails, add(7, 0) = 7 passes
    expect(report.outcomes.map((o) => o.passed)).toEqual([false, true]);
    expect(report.outcomes[0]!.message).toContain("did you subtract?");
    expect(report.outcomes[0]!.message).toContain("expected: 5\nreceived: -1");
  });

  test("the summary says public tests, never all tests", async () => {
    const report = await runCheck("toy.mean", { mean }, { questions });
    expect(report.summary).toBe("toy.mean: 1 of 1 public tests passed (2/2 points): public tests pass; hidden tests run when you submit.");
    expect(checkReportText(report).toLowerCase()).not.toContain("all tests");
  });

  test("a stub reports not implemented with the question id", async () => {
    const stub = (): number => {
      throw new Error("Not implemented: toy.mean");
    };
    const report = await runCheck("toy.mean", { mean: stub }, { questions });
    expect(report.outcomes[0]!.message).toMatch(/^Not implemented: toy\.mean/);
  });

  test("a name not defined yet asks to run the answer cell", async () => {
    const report = await runCheck("toy.mean", undefined, { questions, definitions: {} });
    expect(report.missing).toEqual(["mean"]);
    expect(report.summary).toMatch(/define `mean` first/);
  });

  test("an unknown id lists the known ones", async () => {
    await expect(runCheck("toy.nope", {}, { questions })).rejects.toThrow(/Unknown question "toy.nope". Known questions: toy.add, toy.mean, toy.norm/);
  });

  test("a promise that never resolves fails that test after the timeout", async () => {
    const report = await runCheck("toy.norm", { l2Norm: () => new Promise(() => {}) }, { questions, testTimeoutMs: 50 });
    expect(report.outcomes[0]!.message).toMatch(/Timed out.*never resolved/);
  });

  test("the HTML table escapes messages and shows ✓ and ✗", async () => {
    const report = await runCheck("toy.add", { add: () => "<b>" }, { questions });
    const html = checkReportHtml(report);
    expect(html).toContain("✗");
    expect(html).not.toContain("<b>received");
    expect(html).toContain("&lt;b&gt;");
  });

  test("checkAll checks the labs whose answers are defined", async () => {
    const reports = await runCheckAll({ questions, definitions: { mean } });
    expect(reports.map((r) => r.questionId)).toEqual(["toy.add", "toy.mean", "toy.norm"]);
    expect(reports.map((r) => r.passed)).toEqual([0, 1, 0]);
  });
});
