/**
 * The grader runs its sandboxes from compiled JavaScript (dist/grading/), as the
 * `efflab` command does. `npm test` builds first; when a test file runs alone, this
 * rebuilds if any grading source is newer than its compiled file.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const TOY_QUESTIONS = path.join(ROOT, "test", "fixtures", "toy", "toy.questions.ts");
export const TOY_HIDDEN = path.join(ROOT, "test", "fixtures", "toy", "toy.hidden.ts");
export const TOY_MASTER = path.join(ROOT, "test", "fixtures", "toy", "toy.ipynb");
export const TOY_SUBMISSIONS = path.join(ROOT, "test", "fixtures", "submissions", "toy");

function mtime(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
}

/** Build dist/ if a file of src/grading is newer than its compiled JavaScript. */
export function ensureGraderBuilt(): void {
  const srcDir = path.join(ROOT, "src", "grading");
  const stale = fs
    .readdirSync(srcDir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .some((f) => mtime(path.join(srcDir, f)) > mtime(path.join(ROOT, "dist", "grading", f.replace(/\.ts$/, ".js"))));
  if (!stale) return;
  try {
    execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "ignore" });
  } catch {
    // Type errors elsewhere in src/ do not stop the emit; the tests below fail if the grader is broken.
  }
}

/** The toy lab's grading setup. */
export const TOY_SETUP = { questionModules: [TOY_QUESTIONS], hiddenModules: [TOY_HIDDEN] } as const;
