/**
 * This course's per-lab releases (`efflab release --lab NN`), each built once for a
 * state of the checkout and shared by every test file that reads it, in the unit and
 * the browser suites: an edition takes 15–20 s to build on 2 cores, and six test files
 * read the same seven editions.
 *
 * The cache lives in `<tmpdir>/efflab-release-cache/<checkout>-<inputs>/lab-NN/`, where
 * `<inputs>` is a SHA-256 of every file a release reads: the entries copied into the
 * student edition (package files, README, bin/, scripts/, src/, data/, docs/), the master
 * notebooks, the hidden suites (test/graded/), the compiled library (dist/, which the
 * expectation recorder and the stub probe load) and the installed packages' lock file.
 * Any edit to those builds a new release; an unchanged checkout reuses the old one.
 * A build holds a lock (a folder made atomically, naming its process) and writes
 * `manifest.json` last, so a file running in parallel waits for it instead of reading
 * a half-built edition, and a build left half-done by a killed run is done again.
 *
 * A shared release is read-only: a test that writes into an edition (a `node_modules`
 * link, a planted file) takes its own copy with `copyRelease`.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { questionLabNumber } from "../../src/grading/library-solutions";
import { courseQuestions } from "../../src/grading/questions";
import { buildRelease, notebookLabNumber, type ReleaseManifest } from "../../src/grading/release";
import { libraryCompileCache, type LibraryCompileCache } from "../../src/grading/student-library";
import { ensureGraderBuilt, ROOT } from "./built-grader";

/** What a release reads from the checkout (release.ts: STUDENT_ENTRIES, notebooks, hidden suites, dist/). */
const INPUTS: readonly string[] = [
  "package.json",
  "package-lock.json",
  "README.md",
  "LICENSE",
  "tsconfig.json",
  "tsconfig.build.json",
  "bin",
  "scripts",
  "src",
  "data",
  "docs",
  "notebooks",
  path.join("test", "graded"),
  "dist",
  path.join("node_modules", ".package-lock.json"),
];

const CACHE = path.join(os.tmpdir(), "efflab-release-cache");
/** Cache folders unused for this long are removed. */
const STALE_MS = 24 * 3600 * 1000;

/** Parsed declarations shared by the builds of this process. */
let compileCache: LibraryCompileCache | undefined;

function hashInputs(hash: ReturnType<typeof createHash>, relative: string): void {
  const file = path.join(ROOT, relative);
  if (!fs.existsSync(file)) return;
  if (fs.statSync(file).isDirectory()) {
    for (const entry of fs.readdirSync(file).sort()) {
      if (entry !== "node_modules" && entry !== "__answers__") hashInputs(hash, path.join(relative, entry));
    }
    return;
  }
  hash.update(`${relative}\0`).update(fs.readFileSync(file)).update("\0");
}

/** The cache folder of this checkout in its current state. */
function cacheDir(): string {
  const checkout = createHash("sha256").update(ROOT).digest("hex").slice(0, 12);
  const inputs = createHash("sha256");
  for (const relative of INPUTS) hashInputs(inputs, relative);
  const dir = path.join(CACHE, `${checkout}-${inputs.digest("hex").slice(0, 24)}`);
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    // Builds of any checkout (CI clones into new folders) unused for a day go.
    for (const old of fs.readdirSync(CACHE).filter((d) => path.join(CACHE, d) !== dir)) {
      const oldDir = path.join(CACHE, old);
      const used = fs.statSync(oldDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - used > STALE_MS) fs.rmSync(oldDir, { recursive: true, force: true });
    }
  }
  const now = new Date();
  fs.utimesSync(dir, now, now);
  return dir;
}

/** The lab a release without `--lab` builds: the last one (as `buildRelease` chooses it). */
export function lastLab(): number {
  const masters = fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
  const labs = [...masters.map(notebookLabNumber), ...courseQuestions.map(questionLabNumber)].filter((l): l is number => l !== undefined);
  return Math.max(...labs);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Take the build lock of `slot`; false when another live process holds it. */
function tryLock(lock: string): boolean {
  try {
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const pid = Number(fs.readFileSync(path.join(lock, "pid"), { encoding: "utf8", flag: "a+" }) || NaN);
  if (Number.isNaN(pid) || processAlive(pid)) return false;
  // The holder died mid-build: move its lock aside (only one waiter succeeds), then retry.
  try {
    fs.renameSync(lock, `${lock}.stale-${process.pid}-${Date.now()}`);
  } catch {
    return false;
  }
  return tryLock(lock);
}

function readManifest(file: string, slot: string): ReleaseManifest {
  const stored = JSON.parse(fs.readFileSync(file, "utf8")) as ReleaseManifest;
  const at = (relative: string): string => path.join(slot, relative);
  return { ...stored, studentDir: at(stored.studentDir), autograderDir: at(stored.autograderDir), classroomDir: at(stored.classroomDir) };
}

/**
 * The release of `lab` (without it, of the last lab, which is what `efflab release`
 * builds without `--lab`), built with `buildRelease` from this checkout once and then
 * shared. Read-only: copy it with `copyRelease` to write into it.
 */
export function cachedRelease(lab?: number): ReleaseManifest {
  ensureGraderBuilt();
  const wanted = lab ?? lastLab();
  const slot = path.join(cacheDir(), `lab-${wanted}`);
  const manifestFile = path.join(slot, "manifest.json");
  const lock = `${slot}.lock`;
  const deadline = Date.now() + 15 * 60 * 1000;
  while (!fs.existsSync(manifestFile)) {
    if (tryLock(lock)) {
      try {
        if (fs.existsSync(manifestFile)) break;
        fs.rmSync(slot, { recursive: true, force: true });
        compileCache ??= libraryCompileCache();
        const built = buildRelease({ outDir: path.join(slot, "release"), root: ROOT, lab, compileCache });
        if (built.lab !== wanted) throw new Error(`Expected the release to be of lab ${wanted}, got lab ${built.lab}.`);
        const relative = (dir: string): string => path.relative(slot, dir);
        const stored = { ...built, studentDir: relative(built.studentDir), autograderDir: relative(built.autograderDir), classroomDir: relative(built.classroomDir) };
        fs.writeFileSync(`${manifestFile}.tmp`, JSON.stringify(stored));
        fs.renameSync(`${manifestFile}.tmp`, manifestFile);
      } finally {
        fs.rmSync(lock, { recursive: true, force: true });
      }
      break;
    }
    if (Date.now() > deadline) throw new Error(`Waited 15 minutes for ${lock} (another test run building the release of lab ${wanted}).`);
    sleep(500);
  }
  return readManifest(manifestFile, slot);
}

/** A private, writable copy of `manifest`'s release in `dir` (a new folder), with the manifest's paths moved there. */
export function copyRelease(manifest: ReleaseManifest, dir: string): ReleaseManifest {
  const from = path.dirname(manifest.studentDir);
  fs.cpSync(from, dir, { recursive: true, verbatimSymlinks: true });
  const moved = (p: string): string => path.join(dir, path.relative(from, p));
  return { ...manifest, studentDir: moved(manifest.studentDir), autograderDir: moved(manifest.autograderDir), classroomDir: moved(manifest.classroomDir) };
}
