/** `efflab grade SUBMISSION.ipynb... --out DIR`: grade a class, one Gradescope results.json per submission. */
import * as path from "node:path";
import { defineCommand, type Io } from "../command";
import { courseGradingSetup } from "../../grading/grading-setup";
import { gradeSubmissions, parseShard, type GradeProgress } from "../../grading/grade-runner";
import type { Visibility } from "../../grading/question";
import { UsageError } from "../parse-args";

const VISIBILITY_CHOICES: readonly Visibility[] = ["visible", "hidden", "after_due_date", "after_published"];

/** `--out DIR`: a folder name, not empty (`--out=`). */
function outFolder(text: string): string {
  if (text === "") throw new UsageError("--out needs a folder for the results, e.g. --out results.");
  return text;
}

/** `--questions a.ts,b.ts`: the module paths, empty items dropped. */
function commaList(text: string): string[] {
  return text.split(",").filter((s) => s !== "");
}

/** A progress bar on a terminal; one plain line per submission in a log. */
function progressReporter(io: Io, tty: boolean): (event: GradeProgress) => void {
  return ({ done, total, submission }) => {
    const score = `${submission.score}/${submission.maxScore}`;
    if (tty) {
      const width = 30;
      const filled = Math.round((done / total) * width);
      // An in-place bar needs a raw write (io.err writes whole lines).
      process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${submission.name.slice(0, 30).padEnd(30)} ${score}${done === total ? "\n" : ""}`);
    } else {
      io.err(`graded ${done}/${total}: ${submission.name} ${score} points (${submission.executionTime.toFixed(1)} s)`);
    }
  };
}

export const gradeCommand = defineCommand({
  name: "grade",
  summary: "grade submitted notebooks: Gradescope results.json per submission and a class summary.csv",
  description:
    "Extracts the answer cells (first line `// @answer <id>`), type-checks and compiles them against the library,\n" +
    "and runs each question's public and hidden tests in its own worker (time and memory limit per question),\n" +
    "one child process per submission, with file writes denied. Writes DIR/<submission>/results.json\n" +
    "(Gradescope format) and DIR/summary.csv. Exit code 0 whenever grading ran: scores are data, not errors.\n" +
    "Submission files are only read (their SHA-256 is compared before and after).",
  positionals: { name: "SUBMISSION.ipynb", description: "notebooks to grade", min: 1 },
  flags: [
    { name: "out", type: "string", required: true, parse: outFolder, description: "folder for results", placeholder: "DIR" },
    { name: "jobs", type: "integer", default: 1, min: 1, description: "submissions graded in parallel", placeholder: "N" },
    { name: "shard", type: "string", parse: parseShard, description: "grade only shard I of N (1-based), e.g. 2/4", placeholder: "I/N" },
    { name: "lab", type: "string", description: "grade only this lab's questions (default: the labs of the answer cells found)", placeholder: "LAB" },
    { name: "hidden", type: "string", description: "folder of hidden suites *.hidden.ts (default: test/graded/hidden)", placeholder: "DIR" },
    { name: "questions", type: "string", parse: commaList, description: "extra question module(s), comma-separated (.ts or .js)", placeholder: "FILE" },
    { name: "only-questions", type: "boolean", description: "use only --questions, not the course registry" },
    { name: "time-limit", type: "number", default: 10, min: 0, minExclusive: true, description: "seconds per question", placeholder: "SEC" },
    { name: "memory-limit", type: "size", default: "512MiB", min: 64 * 2 ** 20, description: "heap per question (GiB = 2^30 bytes)", placeholder: "SIZE" },
    { name: "hidden-visibility", type: "string", default: "after_published", choices: VISIBILITY_CHOICES, description: "Gradescope visibility of hidden tests" },
  ],
  examples: ["efflab grade submissions/*.ipynb --out results", "efflab grade submissions/*.ipynb --out results --jobs 2 --shard 1/4", "efflab grade alice.ipynb --out results --json"],
  async run(args, io) {
    // Types, ranges, choices, --out, --shard and the submissions are checked before run (exit code 2).
    const { out, jobs, timeLimit, memoryLimit: memoryBytes, hiddenVisibility: visibility, shard } = args.flags;
    const setup = courseGradingSetup({
      hiddenDir: args.flags.hidden === undefined ? undefined : path.resolve(args.flags.hidden),
      questionModules: args.flags.questions ?? [],
      onlyGiven: args.flags.onlyQuestions ?? false,
      lab: args.flags.lab,
      limits: { timeMs: timeLimit * 1000, heapMb: Math.floor(memoryBytes / 2 ** 20), residentMb: 2 * Math.floor(memoryBytes / 2 ** 20) },
    });
    let run;
    try {
      run = await gradeSubmissions(
        args.positionals.map((p) => path.resolve(p)),
        { outDir: path.resolve(out), setup, jobs, shard, hiddenVisibility: visibility, onProgress: progressReporter(io, process.stderr.isTTY === true) },
      );
    } catch (error) {
      io.err(`The grader could not run: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
    const rows = run.submissions.map((s) => ({
      name: s.name,
      notebook: s.notebookPath,
      score: s.score,
      maxScore: s.maxScore,
      executionTime: s.executionTime,
      resultsPath: s.resultsPath,
      unchanged: s.sha256Before === s.sha256After,
    }));
    if (args.json) {
      io.out(`${JSON.stringify({ outDir: path.resolve(out), summaryPath: run.summaryPath, seconds: run.seconds, submissions: rows }, null, 2)}`);
      return 0;
    }
    const header = ["submission", "score", "max", "time (s)"];
    const cells = [header, ...rows.map((r) => [r.name, String(r.score), String(r.maxScore), r.executionTime.toFixed(2)])];
    const widths = header.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
    for (const c of cells) io.out(`${c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  ")}`);
    io.out(`${rows.length} submissions graded in ${run.seconds.toFixed(1)} s; results in ${path.resolve(out)}, class table in ${run.summaryPath}`);
    return 0;
  },
});
