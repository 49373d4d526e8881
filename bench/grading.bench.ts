/**
 * `npm run bench -- grading`: grade 50 copies of a lab submission with 2 jobs and
 * print seconds per submission (issue 4 target: under 5 s per submission per lab on
 * a 2-core machine). Baseline measured in the same run: one submission alone, with
 * 1 job (the latency a single student sees on Gradescope), so the ratio shows what
 * the pool of 2 processes buys.
 *
 * The lab is the toy lab of test/fixtures/toy (three questions, one on tensors),
 * or, when its master notebook exists, lab 1 (notebooks/01-gradient-descent.ipynb).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gradeSubmissions } from "../src/grading/grade-runner";
import { courseGradingSetup } from "../src/grading/grading-setup";
import { readNotebookText } from "../src/grading/notebook-cells";
import { referenceEditionOf } from "../src/grading/solution-markers";
import type { GradingSetup } from "../src/grading/submission-grader";
import { printTable } from "./timing";

const ROOT = path.resolve(__dirname, "..", "..");
const COPIES = 50;

function benchLab(): { readonly name: string; readonly master: string; readonly setup: GradingSetup } {
  const gd = path.join(ROOT, "notebooks", "01-gradient-descent.ipynb");
  if (fs.existsSync(gd)) return { name: "gd (lab 1)", master: gd, setup: courseGradingSetup({ lab: "gd" }) };
  const toy = path.join(ROOT, "test", "fixtures", "toy");
  return {
    name: "toy",
    master: path.join(toy, "toy.ipynb"),
    setup: { questionModules: [path.join(toy, "toy.questions.ts")], hiddenModules: [path.join(toy, "toy.hidden.ts")], lab: "toy" },
  };
}

export async function run(): Promise<void> {
  const lab = benchLab();
  const read = readNotebookText(fs.readFileSync(lab.master, "utf8"));
  if (read.kind === "invalid") throw new Error(`${lab.master}: ${read.reason}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-bench-"));
  const text = JSON.stringify(referenceEditionOf(read.notebook));
  const files = Array.from({ length: COPIES }, (_, i) => {
    const file = path.join(dir, `student-${String(i).padStart(2, "0")}.ipynb`);
    fs.writeFileSync(file, text);
    return file;
  });

  const single = await gradeSubmissions(files.slice(0, 1), { outDir: path.join(dir, "single"), setup: lab.setup, jobs: 1 });
  const batch = await gradeSubmissions(files, { outDir: path.join(dir, "batch"), setup: lab.setup, jobs: 2 });
  const perSubmission = batch.seconds / COPIES;
  const full = batch.submissions.filter((s) => s.score === s.maxScore).length;

  console.log(`lab: ${lab.name}; ${os.cpus().length} cores; load average ${os.loadavg()[0]!.toFixed(1)}`);
  printTable(
    ["run", "submissions", "jobs", "wall (s)", "s per submission", "vs single"],
    [
      ["single submission (baseline)", 1, 1, single.seconds, single.seconds, 1],
      ["class batch", COPIES, 2, batch.seconds, perSubmission, perSubmission / single.seconds],
    ],
  );
  console.log(`${full}/${COPIES} copies scored full marks; target < 5 s per submission: ${perSubmission < 5 ? "met" : "NOT met"}`);
  fs.rmSync(dir, { recursive: true, force: true });
}
