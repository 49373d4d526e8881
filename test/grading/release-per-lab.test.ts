/**
 * `efflab release --lab NN` on a three-lab course (test/fixtures/release-course): the
 * edition of each lab has notebooks 00..NN, a library in which the references of lab NN
 * and later labs throw "Not implemented in the student edition" in `src/` and in the
 * `dist/` compiled from it, while earlier labs' references compute what the master's do;
 * its Gradescope bundle and Classroom workflow cover lab NN only; and the release stops
 * when a removed body survives anywhere or a stub is not reachable.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { courseQuestions } from "../../src/grading/questions";
import { librarySolutions, markedDeclarationsIn, referenceMarkingProblems } from "../../src/grading/library-solutions";
import { buildRelease, type ReleaseManifest } from "../../src/grading/release";
import { releaseLeaks } from "../../src/grading/release-leaks";
import { librarySolutionBlocks, libraryStubMessage } from "../../src/grading/solution-markers";
import { distinctiveLines } from "../../src/grading/removed-bodies";
import { compileLibrary, libraryCompileCache } from "../../src/grading/student-library";
import { runStubProbe, stubProblems } from "../../src/grading/stub-probe";
import * as master from "../fixtures/release-course/src";
import { releaseCourseQuestions as questions } from "../fixtures/release-course/questions";
import { ensureGraderBuilt, ROOT } from "./built-grader";

const COURSE = path.join(ROOT, "test", "fixtures", "release-course");
const LABS = [1, 2, 3] as const;
const releases = new Map<number, ReleaseManifest>();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-per-lab-"));

/** Copy of the course in a scratch folder, with `edit` applied to its files. */
function editedCourse(name: string, edit: (dir: string) => void): string {
  const dir = path.join(scratch, name);
  fs.cpSync(COURSE, dir, { recursive: true });
  edit(dir);
  return dir;
}

function release(lab: number, root = COURSE, name = `lab-${lab}`): ReleaseManifest {
  // The hidden suites import the grader by a path inside this checkout: edited copies use the originals.
  return buildRelease({ outDir: path.join(scratch, name), root, lab, questions, hiddenDir: path.join(COURSE, "hidden") });
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

/** Calls made in a child process on a compiled library: each call's JSON result or thrown message. */
function callInChild(library: string, calls: readonly { name: string; args: unknown[]; construct?: { args: unknown[]; method: string } }[]): { value?: unknown; error?: string }[] {
  const script = `
    const lib = require(${JSON.stringify(library)});
    const out = [];
    for (const c of JSON.parse(process.argv[1])) {
      try {
        const value = c.construct ? new lib[c.name](...c.construct.args)[c.construct.method](...c.args) : lib[c.name](...c.args);
        out.push({ value });
      } catch (e) { out.push({ error: e.message }); }
    }
    console.log(JSON.stringify(out));`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script, JSON.stringify(calls)], { encoding: "utf8" })) as { value?: unknown; error?: string }[];
}

beforeAll(() => {
  ensureGraderBuilt(); // the stub probe runs dist/grading/stub-probe.js
  const started = Date.now();
  for (const lab of LABS) releases.set(lab, release(lab));
  console.log(`three-lab course: 3 releases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 300_000);

describe("the student edition of lab NN", () => {
  test.each(LABS)("lab %i has the notebooks 00..NN and no later one", (lab) => {
    const manifest = releases.get(lab)!;
    const expected = ["00-welcome.ipynb", "01-gradient-descent.ipynb", "02-adam.ipynb", "03-ring.ipynb"].slice(0, lab + 1);
    expect(fs.readdirSync(path.join(manifest.studentDir, "notebooks")).sort()).toEqual(expected);
    expect(manifest.notebooks).toEqual(expected);
    const readme = fs.readFileSync(path.join(manifest.studentDir, "README.md"), "utf8");
    expect(readme).toContain(`notebooks/${expected[lab]!}`);
    expect(readme).not.toContain(`notebooks/0${lab + 1}-`);
  });

  test.each(LABS)("lab %i: in a child process, this lab's and later references throw the stub message, earlier ones compute what the master computes", (lab) => {
    const calls = [
      { name: "gdStep", args: [[1, 2], [1, 1], 0.5] },
      { name: "adamStep", args: [[1], [3], { m: [0], v: [0], t: 0 }, 0.1] },
      { name: "AdamOptimizer", args: [[1, 1], [3, -3]], construct: { args: [2, 0.1], method: "step" } },
      { name: "ringSum", args: [[[1, 2], [3, 4], [5, 6]]] },
    ];
    const inMaster = [
      master.gdStep([1, 2], [1, 1], 0.5),
      master.adamStep([1], [3], { m: [0], v: [0], t: 0 }, 0.1),
      new master.AdamOptimizer(2, 0.1).step([1, 1], [3, -3]),
      master.ringSum([[1, 2], [3, 4], [5, 6]]),
    ];
    const labOf = [1, 2, 2, 3];
    const ids = ["gd.step", "adam.step", "adam.step", "dp.ringSum"];
    const got = callInChild(path.join(releases.get(lab)!.studentDir, "dist", "index.js"), calls);
    got.forEach((result, i) => {
      if (labOf[i]! >= lab) expect(result, calls[i]!.name).toEqual({ error: libraryStubMessage(ids[i]!, labOf[i]!) });
      else expect(result, calls[i]!.name).toEqual({ value: JSON.parse(JSON.stringify(inMaster[i])) });
    });
    // The release itself called every stubbed export: functions, the constructor, the method, the accessor, the static method.
    expect(releases.get(lab)!.stubCalls).toBe([4 + 1 + 1 + 1, 1 + 4 + 1, 1][lab - 1]);
  });

  test("names the shipped notebooks' cells that call a stubbed reference (they would stop Run All)", () => {
    expect(releases.get(2)!.cellsCallingStubs).toEqual(["02-adam.ipynb, code cell 4: lab.AdamOptimizer"]);
    expect(releases.get(3)!.cellsCallingStubs).toEqual([]);
  });

  test("an ungraded function built on a stubbed exercise stops with the exercise's message", () => {
    const [result] = callInChild(path.join(releases.get(3)!.studentDir, "dist", "index.js"), [{ name: "meanGradient", args: [[[1], [3]]] }]);
    expect(result).toEqual({ error: libraryStubMessage("dp.ringSum", 3) });
  });

  test.each(LABS)("lab %i: no line of a removed body, and no marker, in src/, dist/ (.js, .d.ts, source maps) or anywhere else", (lab) => {
    const manifest = releases.get(lab)!;
    const stubbedIds = questions.filter((q) => Number(q.notebook.slice(0, 2)) >= lab).map((q) => q.id);
    const removed = fs
      .readdirSync(path.join(COURSE, "src"))
      .flatMap((f) => librarySolutionBlocks(fs.readFileSync(path.join(COURSE, "src", f), "utf8"), f))
      .filter((b) => stubbedIds.includes(b.questionId))
      .flatMap((b) => distinctiveLines(b.body));
    expect(removed.length).toBeGreaterThanOrEqual(2);
    expect(releaseLeaks(manifest.studentDir, [...removed, "BEGIN SOLUTION", "END SOLUTION"])).toEqual([]);
    const dist = filesUnder(path.join(manifest.studentDir, "dist"));
    expect(dist).toEqual(expect.arrayContaining(["adam.js", "adam.d.ts", "adam.js.map", "index.js"]));
    for (const map of dist.filter((f) => f.endsWith(".map"))) expect(JSON.parse(fs.readFileSync(path.join(manifest.studentDir, "dist", map), "utf8"))).not.toHaveProperty("sourcesContent");
    // The stub is in the compiled library, not only in src/.
    expect(fs.readFileSync(path.join(manifest.studentDir, "dist", "ring.js"), "utf8")).toContain(libraryStubMessage("dp.ringSum", 3));
  });

  test("stubbing changes no declaration: every .d.ts of lab 1's edition equals the one compiled with every reference kept", () => {
    const everything = path.join(releases.get(1)!.studentDir, "dist");
    const nothing = path.join(releases.get(3)!.autograderDir, "source", "dist"); // lab 3's bundle keeps every reference
    const declarations = filesUnder(everything).filter((f) => f.endsWith(".d.ts"));
    expect(declarations.length).toBe(4);
    for (const f of declarations) expect(fs.readFileSync(path.join(everything, f), "utf8"), f).toBe(fs.readFileSync(path.join(nothing, f), "utf8"));
    expect(fs.readFileSync(path.join(nothing, "adam.js"), "utf8")).not.toContain("Not implemented");
  });

  test("an edition compiled from a shared first edition is byte for byte the edition compiled alone", () => {
    const alone = path.join(scratch, "alone");
    fs.cpSync(releases.get(2)!.studentDir, alone, { recursive: true });
    fs.rmSync(path.join(alone, "dist"), { recursive: true });
    compileLibrary(COURSE, alone, libraryCompileCache());
    const shared = path.join(releases.get(2)!.studentDir, "dist");
    expect(filesUnder(path.join(alone, "dist"))).toEqual(filesUnder(shared));
    for (const f of filesUnder(shared)) expect(fs.readFileSync(path.join(alone, "dist", f), "utf8"), f).toBe(fs.readFileSync(path.join(shared, f), "utf8"));
  });
});

describe("the Gradescope bundle and the Classroom workflow of lab NN", () => {
  test.each(LABS)("lab %i: only this lab's hidden suite and questions, its references working, later labs' stubbed", (lab) => {
    const manifest = releases.get(lab)!;
    const suite = ["gd", "adam", "ring"][lab - 1]!;
    const prefix = ["gd", "adam", "dp"][lab - 1]!;
    expect(manifest.hiddenFiles).toEqual([`hidden/${suite}.hidden.ts`]);
    expect(fs.readdirSync(path.join(manifest.autograderDir, "source", "hidden"))).toEqual([`${suite}.hidden.ts`]);
    expect(fs.readFileSync(path.join(manifest.autograderDir, "run_autograder"), "utf8")).toMatch(new RegExp(`efflab\\.js grade .* --lab ${prefix} \\\\\\n\\s+--hidden /autograder/source/hidden `));
    const workflow = fs.readFileSync(path.join(manifest.classroomDir, ".github", "workflows", "classroom.yml"), "utf8");
    expect(workflow).toContain(`efflab.js grade notebooks/${manifest.notebooks[lab]!} --out grading-results --jobs 2 --lab ${prefix} `);
    const bundle = callInChild(path.join(manifest.autograderDir, "source", "dist", "index.js"), [
      { name: "adamStep", args: [[1], [3], { m: [0], v: [0], t: 0 }, 0.1] },
      { name: "ringSum", args: [[[1], [2]]] },
    ]);
    expect(bundle[0]!.error === undefined).toBe(lab >= 2);
    expect(bundle[1]).toEqual(lab >= 3 ? { value: [[3], [3]] } : { error: libraryStubMessage("dp.ringSum", 3) });
    expect(fs.readdirSync(path.join(manifest.autograderDir, "source", "notebooks")).sort()).toEqual(manifest.notebooks);
  });
});

describe("the release stops", () => {
  test("when an unmarked function holds a copy of a removed body (in src/ and in the dist/ compiled from it)", () => {
    const root = editedCourse("copied", (dir) => {
      const file = path.join(dir, "src", "adam.ts");
      const text = fs.readFileSync(file, "utf8");
      const body = /export function adamStep[\s\S]*?\n}\n/.exec(text)![0];
      fs.writeFileSync(file, `${text}\n${body.replace("adamStep", "adamStepCopy").replace(/ *\/\/ (BEGIN|END) SOLUTION.*\n/g, "")}`);
    });
    let message = "";
    try {
      release(2, root, "copied-out");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/would leak 2 secret\(s\)/);
    expect(message).toMatch(/student\/src\/adam\.ts: "a copy of the body of adam\.ts:\d+ adamStep \(adam\.step\) \(5 of its 5 lines\)"/);
    expect(message).toMatch(/student\/dist\/adam\.js: "a copy of the body of adam\.ts:\d+ adamStep \(adam\.step\) \([45] of its 5 lines\)"/);
  });

  test("the search finds a removed line wherever it is planted, e.g. in a declaration comment", () => {
    const manifest = releases.get(3)!;
    const line = "const total = workers[0]?.map((_, i) => workers.reduce((sum, w) => sum + (w[i] ?? 0), 0)) ?? [];";
    const declarations = path.join(manifest.studentDir, "dist", "ring.d.ts");
    const original = fs.readFileSync(declarations, "utf8");
    fs.writeFileSync(declarations, `/**\n * ${line}\n */\n${original}`);
    const leaks = releaseLeaks(manifest.studentDir, [line]);
    fs.writeFileSync(declarations, original);
    expect(leaks.map((l) => path.relative(manifest.studentDir, l.file))).toEqual([path.join("dist", "ring.d.ts")]);
  });

  test("when a stubbed reference is not reachable from the library's entry, so its stub cannot be proved", () => {
    const root = editedCourse("unreachable", (dir) => fs.writeFileSync(path.join(dir, "src", "index.ts"), 'export * from "./gradient-descent";\nexport * from "./adam";\n'));
    expect(() => release(3, root, "unreachable-out")).toThrow(/still answers graded questions: ringSum missing; expected it to throw "Not implemented in the student edition: this is exercise dp\.ringSum of lab 03"/);
  });

  test("when markers and references disagree, naming the file, line and what to do", () => {
    const root = editedCourse("unmarked", (dir) => {
      const file = path.join(dir, "src", "ring.ts");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/ *\/\/ (BEGIN|END) SOLUTION.*\n/g, ""));
    });
    expect(() => release(3, root, "unmarked-out")).toThrow(/dp\.ringSum: its reference `ringSum` has no "\/\/ BEGIN SOLUTION dp\.ringSum" block in src\/; mark its body/);
  });

  test("for a lab without a master notebook", () => {
    expect(() => release(4, COURSE, "lab-4")).toThrow(/Expected --lab to name a lab with a master notebook .* got 4; the notebooks are: 00-welcome\.ipynb, 01-gradient-descent\.ipynb, 02-adam\.ipynb, 03-ring\.ipynb/);
  });
});

describe("the stub probe can fail", () => {
  test("a class method that still computes is reported with the call a student would write", () => {
    const file = path.join(scratch, "half-stubbed.js");
    const message = libraryStubMessage("x.y", 1);
    fs.writeFileSync(file, `exports.Half = class Half { constructor() { throw new Error(${JSON.stringify(message)}); } step() { return 42; } };\nexports.f = () => { throw new Error("other"); };\n`);
    const request = { library: file, stubbed: [{ name: "Half", message }, { name: "f", message }], kept: [] };
    expect(stubProblems(request, runStubProbe(request, path.join(ROOT, "node_modules")))).toEqual([
      `Half.prototype.step() returned; expected it to throw "${message}".`,
      `f() threw "other"; expected it to throw "${message}".`,
    ]);
  });
});

describe("markers and references agree", () => {
  test("in the three-lab course", () => {
    expect(referenceMarkingProblems(questions, librarySolutions(path.join(COURSE, "src")))).toEqual([]);
  });

  test("in this course's library", () => {
    expect(referenceMarkingProblems(courseQuestions, librarySolutions(path.join(ROOT, "src")))).toEqual([]);
  });

  test("each way of disagreeing is found", () => {
    const q = [{ ...questions[0]!, references: ["gdStep", "Opt"] }];
    const source = [
      "export function gdStep(w: number): number {\n  const keep = 1;\n  // BEGIN SOLUTION gd.step\n  return w - keep;\n  // END SOLUTION\n}",
      "export function extra(w: number) {\n  // BEGIN SOLUTION gd.step\n  return w;\n  // END SOLUTION\n}",
      "export class Opt {\n  constructor() {\n    // BEGIN SOLUTION gd.step\n    // END SOLUTION\n  }\n  step(): number {\n    return 1;\n  }\n}",
      "export function other(): number {\n  // BEGIN SOLUTION nope.id\n  return 1;\n  // END SOLUTION\n}",
    ].join("\n");
    const problems = referenceMarkingProblems(q, markedDeclarationsIn(source, "x.ts"));
    expect(problems).toEqual([
      "src/x.ts:3 (gd.step): the block must hold the whole body (only a super(...) call may come before it), so the stub runs first.",
      "src/x.ts:8 (gd.step): declare the return type, so the student edition's types stay the master's.",
      "gd.step: `Opt.step` (src/x.ts) is not marked; mark every constructor, method and accessor of a reference class.",
      "src/x.ts:8: `extra` is marked as the solution of gd.step but is not among its references; add it to the question's `references` or remove the markers.",
      'src/x.ts:22: "// BEGIN SOLUTION nope.id" names no question.',
    ]);
    expect(() => markedDeclarationsIn("function f(): void {\n  // BEGIN SOLUTION\n  // END SOLUTION\n}", "y.ts")).toThrow(/y\.ts:2: a library solution names its question/);
  });
});
