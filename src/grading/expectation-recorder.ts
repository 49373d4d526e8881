/**
 * Recording the public tests' expected values for a student edition
 * (recorded-expectations.ts), run by `efflab release --lab NN`.
 *
 * In a child process of the master's compiled library, the master notebook's answer
 * cells are compiled as the grader compiles them (check-notebooks.ts, submission-grader.ts),
 * evaluated against the master's library, and each chosen question's public tests run
 * with recording on. Every recorded test must pass: a failure means the master's answer
 * and its reference disagree, and the release stops naming the test.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { answerLibrary } from "./answer-library";
import { referencesHiddenFrom } from "./answer-rules";
import { publicChecksSetup } from "./check-notebooks";
import { evaluateAnswerModule } from "./question-worker";
import { startRecording, stopRecording } from "./recorded-expectations";
import { planSubmission } from "./submission-grader";
import { runGradedTests } from "./test-outcome";

/** What to record. */
export interface RecordingRequest {
  /** Master notebooks (absolute paths) holding the correct answer cells. */
  readonly notebooks: readonly string[];
  /** Questions whose public tests are recorded. */
  readonly questionIds: readonly string[];
}

/** What was recorded, or the tests that failed in the master. */
export interface RecordingResult {
  readonly recorded: Record<string, unknown>;
  readonly failures: readonly string[];
}

/** Record in this process (the master's library). */
export async function recordExpectations(request: RecordingRequest): Promise<RecordingResult> {
  const loaded = publicChecksSetup();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const library = require("..") as { initTensors?: () => Promise<unknown> };
  await library.initTensors?.();
  const failures: string[] = [];
  const wanted = new Set(request.questionIds);
  const seen = new Set<string>();
  startRecording();
  for (const notebook of request.notebooks) {
    const plan = planSubmission(notebook, loaded);
    for (const planned of plan.questions) {
      const id = planned.kind === "run" ? planned.questionId : planned.report.questionId;
      if (!wanted.has(id)) continue;
      seen.add(id);
      if (planned.kind !== "run") {
        failures.push(`${id}: the master's answer cell did not compile (${planned.report.outcomes[0]?.message ?? "no outcome"})`);
        continue;
      }
      const question = loaded.questions.find((q) => q.id === id)!;
      const answer = answerLibrary(library, referencesHiddenFrom(question, loaded.questions));
      const impl = evaluateAnswerModule(planned.javascript, planned.fileName, answer.require);
      const outcomes = await runGradedTests(question.publicTests, impl, { questionId: id, suite: "public", testTimeoutMs: 20_000 });
      for (const o of outcomes) if (!o.passed) failures.push(`${id} "${o.testName}": ${o.message}`);
    }
  }
  for (const id of wanted) if (!seen.has(id)) failures.push(`${id}: no answer cell in the master notebooks`);
  return { recorded: stopRecording(), failures };
}

/** Record in a child process of the master's compiled library (`dist/`). */
export function recordExpectationsInChild(request: RecordingRequest, nodeModules: string, timeoutMs = 300_000): RecordingResult {
  const script = __filename.endsWith(".js") ? __filename : path.resolve(__dirname, "..", "..", "dist", "grading", "expectation-recorder.js");
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "efflab-record-")), "recorded.json");
  try {
    execFileSync(process.execPath, [script, JSON.stringify(request), out], { env: { ...process.env, NODE_PATH: nodeModules }, timeout: timeoutMs, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim().split("\n").slice(-3).join(" ");
    throw new Error(`Recording the public tests' expected values failed: ${stderr || String(error)}. Run \`npm run build\` first.`);
  }
  const result = JSON.parse(fs.readFileSync(out, "utf8")) as RecordingResult;
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return result;
}

if (require.main === module) {
  const [requestText, out] = process.argv.slice(2);
  recordExpectations(JSON.parse(requestText!) as RecordingRequest).then(
    (result) => fs.writeFileSync(out!, JSON.stringify(result)),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
