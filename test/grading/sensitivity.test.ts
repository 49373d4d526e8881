/**
 * The graded suites prove themselves (DESIGN.md, "Grading model"), for every lab
 * that has answer cells, now and later:
 *   - the master notebook with its solutions (reference edition) scores full marks;
 *   - the student edition (stubs) scores 0, with "not implemented", without crashing;
 *   - each mutant (test/fixtures/mutants/<lab>/*.ts or *.ipynb) loses points, and a
 *     failing test's message names the mistake: it matches the mutant's
 *     `export const expectedMessage = /…/` or contains its first line's `// mistake: <text>`.
 * A `.ts` mutant holds answer cells (each starting `// @answer <id>`) that replace the
 * reference's cells of the same id; the reference's other answer cells are left out.
 * The toy lab (test/fixtures/toy/) runs through the same code.
 *
 * The reference and the student edition are graded by `gradeSubmissions`, as a class is;
 * the mutants by the same steps with several mutants to a grading process
 * (batched-grading.ts): each is still planned, compiled and checked on its own, and each
 * of its questions runs in its own worker with its limits.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { gradeSubmissions, type GradedSubmission } from "../../src/grading/grade-runner";
import { courseGradingSetup } from "../../src/grading/grading-setup";
import { answerMarkerId, cellSourceText, indexAnswerCells, readNotebookText, splitAnswerFile, type NotebookJson } from "../../src/grading/notebook-cells";
import type { Question } from "../../src/grading/question";
import { labOfQuestion } from "../../src/grading/question-registry";
import { courseQuestions } from "../../src/grading/questions";
import { referenceEditionOf, studentEditionOf, toSourceLines } from "../../src/grading/solution-markers";
import { loadGradingSetup, type GradingSetup } from "../../src/grading/submission-grader";
import { gradeInBatches, type BatchGraded } from "./batched-grading";
import { ROOT, TOY_MASTER, TOY_SETUP, ensureGraderBuilt } from "./built-grader";
import { toyQuestions } from "../fixtures/toy/toy.questions";

interface LabUnderTest {
  readonly lab: string;
  readonly questions: readonly Question[];
  readonly master: string;
  readonly mutantsDir: string;
  readonly setup: GradingSetup;
}

function courseLabs(): LabUnderTest[] {
  const labs = [...new Set(courseQuestions.map((q) => labOfQuestion(q.id)))];
  return labs.flatMap((lab) => {
    const questions = courseQuestions.filter((q) => labOfQuestion(q.id) === lab);
    const master = path.join(ROOT, "notebooks", questions[0]!.notebook);
    // A lab whose master notebook is not written yet has nothing to grade.
    if (!fs.existsSync(master)) return [];
    return [{ lab, questions, master, mutantsDir: path.join(ROOT, "test", "fixtures", "mutants", lab), setup: courseGradingSetup({ lab }) }];
  });
}

const LABS: LabUnderTest[] = [
  { lab: "toy", questions: toyQuestions, master: TOY_MASTER, mutantsDir: path.join(ROOT, "test", "fixtures", "toy", "mutants"), setup: { ...TOY_SETUP, lab: "toy" } },
  ...courseLabs(),
];

interface Mutant {
  readonly name: string;
  readonly mistake: RegExp | undefined;
  readonly questionIds: readonly string[];
  readonly notebook: NotebookJson;
}

function readMaster(file: string): NotebookJson {
  const read = readNotebookText(fs.readFileSync(file, "utf8"));
  if (read.kind === "invalid") throw new Error(`${file}: ${read.reason}`);
  return read.notebook;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** What a mutant's failure must say: `expectedMessage = /re/flags` or `// mistake: text` on line 1. */
function mistakeOf(text: string): RegExp | undefined {
  const declared = /expectedMessage\s*=\s*\/(.+)\/([a-z]*)\s*;/.exec(text);
  if (declared) return new RegExp(declared[1]!, declared[2]);
  const line = /^\/\/\s*mistake:\s*(.+)$/.exec(text.split("\n", 1)[0] ?? "")?.[1]?.trim();
  return line === undefined ? undefined : new RegExp(escapeRegExp(line), "i");
}

/** Mutants of a lab: `.ipynb` as is; `.ts` cells replacing the reference's cells of the same id. */
function mutantsOf(lab: LabUnderTest, reference: NotebookJson): Mutant[] {
  if (!fs.existsSync(lab.mutantsDir)) return [];
  return fs
    .readdirSync(lab.mutantsDir)
    .filter((f) => f.endsWith(".ts") || f.endsWith(".ipynb"))
    .sort()
    .map((f) => {
      const text = fs.readFileSync(path.join(lab.mutantsDir, f), "utf8");
      const mistake = mistakeOf(text);
      if (f.endsWith(".ipynb")) {
        const notebook = readMaster(path.join(lab.mutantsDir, f));
        return { name: f, mistake, questionIds: [...indexAnswerCells(notebook).cells.keys()], notebook };
      }
      const cells = new Map(splitAnswerFile(text).map((src) => [answerMarkerId(src) ?? "", src]));
      // Only the mutated cells are kept: the other questions would score as the
      // reference does, and leaving them out saves a sandbox each.
      const notebook = {
        ...reference,
        cells: reference.cells.flatMap((cell) => {
          const id = cell.cell_type === "code" ? answerMarkerId(cellSourceText(cell.source)) : undefined;
          if (id === undefined) return [cell];
          const replacement = cells.get(id);
          return replacement === undefined ? [] : [{ ...cell, source: toSourceLines(replacement) }];
        }),
      };
      return { name: f, mistake, questionIds: [...cells.keys()], notebook };
    });
}

for (const lab of LABS) {
  describe(`lab ${lab.lab}: the graded suite proves itself`, () => {
    const master = readMaster(lab.master);
    const reference = referenceEditionOf(master);
    const mutants = mutantsOf(lab, reference);
    let graded: Map<string, GradedSubmission | BatchGraded>;

    beforeAll(async () => {
      ensureGraderBuilt();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `efflab-sensitivity-${lab.lab}-`));
      const write = (name: string, nb: NotebookJson): string => {
        const file = path.join(dir, `${name}.ipynb`);
        fs.writeFileSync(file, JSON.stringify(nb));
        return file;
      };
      const files = [write("reference", reference), write("student", studentEditionOf(master))];
      const mutantFiles = mutants.map((m) => write(`mutant-${m.name}`, m.notebook));
      const [run, mutantsGraded] = await Promise.all([
        gradeSubmissions(files, { outDir: path.join(dir, "results"), setup: lab.setup, jobs: 1 }),
        gradeInBatches(mutantFiles, loadGradingSetup(lab.setup), 2),
      ]);
      graded = new Map<string, GradedSubmission | BatchGraded>(run.submissions.map((s) => [s.name, s]));
      mutants.forEach((m, i) => graded.set(`mutant-${m.name}`, mutantsGraded[i]!));
    }, 900_000);

    test("the reference solutions score full marks", () => {
      const s = graded.get("reference")!;
      const failures = s.results.tests.filter((t) => t.status === "failed").map((t) => `${t.name}: ${t.output}`);
      expect(failures).toEqual([]);
      expect(s.score).toBe(s.maxScore);
      expect(s.maxScore).toBeGreaterThan(0);
    });

    test("the student edition scores 0 with not-implemented messages and no crash", () => {
      const s = graded.get("student")!;
      expect(s.score).toBe(0);
      expect(Object.keys(s.questionScores).sort()).toEqual(lab.questions.map((q) => q.id).sort());
      for (const t of s.results.tests) expect(t.output).toMatch(/not implemented/i);
    });

    if (mutants.length > 0) {
      test("every question has at least 3 mutants", () => {
        for (const q of lab.questions) expect(`${q.id}: ${mutants.filter((m) => m.questionIds.includes(q.id)).length >= 3}`).toBe(`${q.id}: true`);
      });

      test.each(mutants.map((m) => [m.name, m] as const))("mutant %s loses points, and a failure names the mistake", (name, mutant) => {
        const s = graded.get(`mutant-${name}`)!;
        const reference = graded.get("reference")!;
        expect(s.score).toBeLessThan(reference.score);
        for (const id of mutant.questionIds) expect(s.questionScores[id]).toBeLessThan(reference.questionScores[id]!);
        const failures = s.results.tests.filter((t) => t.status === "failed");
        if (mutant.mistake !== undefined) expect(failures.map((t) => t.output).join("\n")).toMatch(mutant.mistake);
      });
    }
  });
}
