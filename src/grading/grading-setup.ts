/**
 * Where the course's questions and hidden tests are, for `efflab grade`.
 *
 * Questions: the compiled registry, `dist/grading/questions/index.js`. Hidden
 * tests: every `*.hidden.ts` in `test/graded/hidden/` of the checkout (or of the
 * folder given with `--hidden`, as in the Gradescope bundle).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { libraryRoot } from "./answer-compiler";
import { compiledGradingDir } from "./question-sandbox";
import type { GradingSetup } from "./submission-grader";

/** Options of `courseGradingSetup`. */
export interface CourseSetupOptions {
  /** Folder of hidden suites. @default `<checkout>/test/graded/hidden` */
  readonly hiddenDir?: string;
  /** Extra question modules (e.g. a lab under development). @default [] */
  readonly questionModules?: readonly string[];
  /** Replace the course registry by `questionModules` only. @default false */
  readonly onlyGiven?: boolean;
  readonly lab?: string;
  readonly limits?: GradingSetup["limits"];
}

/** The hidden suites in a folder: `*.hidden.ts` and `*.hidden.js`, sorted. */
export function hiddenSuitesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.hidden\.(ts|js)$/.test(f) && !f.endsWith(".d.ts"))
    .sort()
    .map((f) => path.resolve(dir, f));
}

/** The setup `efflab grade` uses by default. */
export function courseGradingSetup(options: CourseSetupOptions = {}): GradingSetup {
  const registry = path.join(compiledGradingDir(), "questions", "index.js");
  const given = (options.questionModules ?? []).map((m) => path.resolve(m));
  const hiddenDir = options.hiddenDir ?? path.join(libraryRoot(), "test", "graded", "hidden");
  return {
    questionModules: options.onlyGiven ? given : [registry, ...given],
    hiddenModules: hiddenSuitesIn(hiddenDir),
    lab: options.lab,
    limits: options.limits,
  };
}
