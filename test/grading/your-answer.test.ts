/**
 * The per-lab edition's library running the student's answers: the `STUDENT EDITION`
 * sections of library solutions (solution-markers.ts) and their runtime
 * (foundation/your-answer.ts), including the rule that an answer may not call the
 * library's solution of its own lab, in the notebook as in the grader.
 */
import { afterEach, describe, expect, test } from "vitest";
import { asAnswer, libraryStubMessage, runAsAnswer, yourAnswerIn } from "../../src/foundation/your-answer";
import { runCheck } from "../../src/grading/check";
import type { Question } from "../../src/grading/question";
import { librarySolutionBlocks, removedLines, stripLibrarySolutions } from "../../src/grading/solution-markers";

/** The notebook's definitions, as tslab keeps them. */
function defineInKernel(definitions: Record<string, unknown>): void {
  (globalThis as { __tslab__?: unknown }).__tslab__ = { exports: definitions };
}
afterEach(() => {
  delete (globalThis as { __tslab__?: unknown }).__tslab__;
});

const RULE = /^Your answer to (\S+) calls lab\.(\S+), the library's solution of (\S+) \(lab \d\d\)\. In this edition it runs your own answer, and the grader gives 0 to an answer that calls it: write \1 without it\.$/;

describe("yourAnswerIn: the library's body in the edition", () => {
  const square = (x: number): number => x * x;

  test("runs the notebook's function by its name", () => {
    defineInKernel({ square });
    expect(yourAnswerIn("toy.square", 2, "libSquare").answer<typeof square>("square")(7)).toBe(49);
  });

  test("throws the exercise's stub message while the answer is not defined, or is not a function", () => {
    expect(() => yourAnswerIn("toy.square", 2, "libSquare").answer("square")).toThrow(libraryStubMessage("toy.square", 2));
    defineInKernel({ square: 3 });
    expect(() => yourAnswerIn("toy.square", 2, "libSquare").answer("square")).toThrow(libraryStubMessage("toy.square", 2));
    expect(() => yourAnswerIn("toy.square", 2, "libSquare").require(["square"])).toThrow(libraryStubMessage("toy.square", 2));
    defineInKernel({ square });
    expect(() => yourAnswerIn("toy.square", 2, "libSquare").require(["square"])).not.toThrow();
  });

  test("refuses to run inside an answer of its lab or a later one, naming the rule; an earlier lab's solution is allowed", () => {
    defineInKernel({ square });
    expect(() => runAsAnswer("toy.cube", 2, () => yourAnswerIn("toy.square", 2, "libSquare"))).toThrow(RULE);
    expect(() => runAsAnswer("toy.cube", 2, () => yourAnswerIn("toy.later", 3, "libLater"))).toThrow(/calls lab\.libLater, the library's solution of toy\.later \(lab 03\)/);
    expect(runAsAnswer("toy.cube", 2, () => yourAnswerIn("toy.earlier", 1, "libEarlier").answer<typeof square>("square")(3))).toBe(9);
  });

  test("an answer that calls the library back ends with the rule's message instead of recursing", () => {
    const lib = { square: (x: number): number => yourAnswerIn("toy.square", 2, "square").answer<typeof square>("square")(x) };
    defineInKernel({ square: (x: number) => lib.square(x) });
    expect(() => lib.square(3)).toThrow("Your answer to toy.square calls lab.square, the library's solution of toy.square (lab 02).");
  });

  test("the context follows awaits: concurrent asynchronous answers (ring workers) run side by side, and a call back after an await is refused", async () => {
    const worker = async (rank: number): Promise<number> => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return rank * 10;
    };
    defineInKernel({ worker });
    const lib = (rank: number): Promise<number> => yourAnswerIn("toy.ring", 3, "ringWorker").answer<typeof worker>("worker")(rank);
    expect(await Promise.all([0, 1, 2, 3].map(lib))).toEqual([0, 10, 20, 30]);
    const callsBack = async (rank: number): Promise<number> => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return lib(rank);
    };
    defineInKernel({ worker: callsBack });
    await expect(lib(1)).rejects.toThrow(RULE);
  });
});

describe("check() holds answers to the same rule", () => {
  const question: Question = {
    id: "toy.double",
    notebook: "02-toy.ipynb",
    title: "double",
    exports: ["double"],
    publicTests: [{ name: "double(2) = 4", points: 1, hint: "2x", run: (impl) => expect((impl["double"] as (x: number) => number)(2)).toBe(4) }],
  };
  /** The edition's library function that solves toy.double with the student's answer. */
  const libDouble = (x: number): number => yourAnswerIn("toy.double", 2, "double").answer<(x: number) => number>("double")(x);

  test("an answer of its own passes; one that calls the library's solution fails with the rule's message", async () => {
    const own = await runCheck("toy.double", { double: (x: number) => 2 * x }, { questions: [question] });
    expect(own.passed).toBe(1);
    defineInKernel({ double: (x: number) => 2 * x });
    const shortcut = await runCheck("toy.double", { double: (x: number) => libDouble(x) }, { questions: [question] });
    expect(shortcut.passed).toBe(0);
    expect(shortcut.outcomes[0]!.message).toMatch(/Your answer to toy\.double calls lab\.double, the library's solution of toy\.double \(lab 02\)/);
  });

  test("asAnswer keeps the function's this and arguments", () => {
    const counter = { n: 5, add(k: number): number { return this.n + k; } };
    expect(asAnswer("toy.add", 1, counter.add).call(counter, 2)).toBe(7);
  });
});

describe("STUDENT EDITION sections of library solutions", () => {
  const source = [
    'import { tf } from "../tensor";',
    "",
    "export function moments(m: number, g: number): number {",
    "  // BEGIN SOLUTION toy.moments",
    "  const decayed = 0.9 * m + 0.1 * g; // the secret line",
    "  return decayed;",
    "  // STUDENT EDITION",
    '  // return yours.answer<typeof moments>("moments")(m, g);',
    "  // END SOLUTION",
    "}",
    "export function optimizerStep(m: number, g: number): number {",
    "  // BEGIN SOLUTION toy.moments",
    "  return moments(m, g);",
    "  // STUDENT EDITION KEEPS THIS BODY",
    "  // END SOLUTION",
    "}",
    "export function plain(): number {",
    "  // BEGIN SOLUTION toy.other",
    "  return 1;",
    "  // END SOLUTION",
    "}",
  ].join("\n");

  test("are read as the edition's body, kept body, or stub", () => {
    const [bridge, keep, stub] = librarySolutionBlocks(source, "optim/toy.ts");
    expect(bridge!.body).toEqual(["  const decayed = 0.9 * m + 0.1 * g; // the secret line", "  return decayed;"]);
    expect(bridge!.edition).toEqual({ kind: "bridge", lines: ['  return yours.answer<typeof moments>("moments")(m, g);'] });
    expect(keep!.edition).toEqual({ kind: "keep" });
    expect(stub!.edition).toEqual({ kind: "stub" });
    expect(removedLines(bridge!)).toEqual(bridge!.body);
    expect(removedLines(keep!)).toEqual([]);
  });

  test("become the edition's code: your answer, the kept body after a check, the stub; one import, after the module's imports", () => {
    const edition = stripLibrarySolutions(source, "optim/toy.ts", (block) => ({ lab: 2, exports: ["moments"], libraryName: block.begin === 3 ? "moments" : block.begin === 11 ? "optimizerStep" : "plain" }));
    const lines = edition.split("\n");
    expect(lines[1]).toBe('import { yourAnswerIn } from "../foundation/your-answer";');
    expect(edition).toContain('  const yours = yourAnswerIn("toy.moments", 2, "moments"); // this edition runs your own answer to toy.moments\n  return yours.answer<typeof moments>("moments")(m, g);\n}');
    expect(edition).toContain('  yourAnswerIn("toy.moments", 2, "optimizerStep").require(["moments"]); // this edition: the same body, run on your answers\n  return moments(m, g);\n}');
    expect(edition).toContain(`  throw new Error("${libraryStubMessage("toy.other", 2)}");`);
    expect(edition).not.toMatch(/the secret line|BEGIN SOLUTION|STUDENT EDITION/);
    // Blocks the edition keeps as they are leave the file as the master wrote it, markers aside.
    expect(stripLibrarySolutions(source, "optim/toy.ts", () => undefined)).not.toContain("yourAnswerIn");
  });

  test("a line of the edition's body that is also in the solution is not counted as removed", () => {
    const shared = source.replace('  // return yours.answer<typeof moments>("moments")(m, g);', '  // return yours.answer<typeof moments>("moments")(m, g);\n  // return decayed;');
    expect(removedLines(librarySolutions(shared)[0]!)).toEqual(["  const decayed = 0.9 * m + 0.1 * g; // the secret line"]);
  });

  test("malformed sections are refused, naming the file and line", () => {
    const uncommented = source.replace('  // return yours.answer<typeof moments>("moments")(m, g);', '  return yours.answer<typeof moments>("moments")(m, g);');
    expect(() => librarySolutionBlocks(uncommented, "optim/toy.ts")).toThrow(/optim\/toy\.ts:4: after "\/\/ STUDENT EDITION", every line is commented out/);
    const empty = source.replace('  // return yours.answer<typeof moments>("moments")(m, g);\n', "");
    expect(() => librarySolutionBlocks(empty, "optim/toy.ts")).toThrow(/optim\/toy\.ts:4: "\/\/ STUDENT EDITION" is followed by no line/);
    const keepNotLast = source.replace("  // STUDENT EDITION KEEPS THIS BODY\n", "  // STUDENT EDITION KEEPS THIS BODY\n  // return 2;\n");
    expect(() => librarySolutionBlocks(keepNotLast, "optim/toy.ts")).toThrow(/optim\/toy\.ts:12: "\/\/ STUDENT EDITION KEEPS THIS BODY" is the block's last line/);
  });
});

/** The blocks of the toy source. */
function librarySolutions(source: string): ReturnType<typeof librarySolutionBlocks> {
  return librarySolutionBlocks(source, "optim/toy.ts");
}
