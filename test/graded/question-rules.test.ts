/**
 * Rules every graded question of the course keeps (issue 12, "Messages"; issue 14,
 * one question per file):
 *   - its `references` are exports of the library index, and optimizer questions forbid tf.train;
 *   - a hidden test's message never shows the hidden test's input values (the grader
 *     already hides expected/received; the message text must not leak the inputs either);
 *   - a hidden test's title says what its input is ("a job just too large" does not fit,
 *     "exactly the available bytes" leaves 0 spare, ...);
 *   - where two known mistakes give the same value on an input, the message names both.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as library from "../../src";
import type { HiddenTests, Implementation, Question } from "../../src/grading/question";
import { courseQuestions } from "../../src/grading/questions";
import { checkBytesPerParameterCase } from "../../src/grading/questions/memory/bytes-per-parameter";
import { initTensors } from "../../src/tensor";
import { isGradedTensor } from "../../src/grading/questions/expectations";
import { labOfQuestion } from "../../src/grading/question-registry";
import { adamHiddenTests } from "./hidden/adam.hidden";
import { dpHiddenTests } from "./hidden/dp.hidden";
import { flopsHiddenTests } from "./hidden/flops.hidden";
import { gdHiddenTests } from "./hidden/gd.hidden";
import { memoryHiddenTests } from "./hidden/memory.hidden";
import { pipelineHiddenTests } from "./hidden/pipeline.hidden";
import { precisionHiddenTests } from "./hidden/precision.hidden";
import { loadMutants } from "./graded-suite";

const HIDDEN: readonly HiddenTests[] = [...gdHiddenTests, ...adamHiddenTests, ...dpHiddenTests, ...memoryHiddenTests, ...pipelineHiddenTests, ...flopsHiddenTests, ...precisionHiddenTests];

beforeAll(async () => {
  await initTensors();
});

/** Every number inside an answer's arguments (tensors, typed arrays, arrays, plain objects). */
function numbersIn(value: unknown, out: number[], depth = 0): void {
  if (depth > 6) return;
  if (typeof value === "number") out.push(value);
  else if (isGradedTensor(value)) out.push(...value.dataSync());
  else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) out.push(...Array.from(value as Float64Array));
  else if (Array.isArray(value)) value.forEach((v) => numbersIn(v, out, depth + 1));
  else if (typeof value === "object" && value !== null) Object.values(value).forEach((v) => numbersIn(v, out, depth + 1));
}

/** `impl` with every function export recording the numbers it is called with. */
function recording(impl: Implementation, seen: number[]): Implementation {
  return Object.fromEntries(
    Object.entries(impl).map(([name, value]) => [
      name,
      typeof value === "function"
        ? (...args: unknown[]) => {
            numbersIn(args, seen);
            return (value as (...a: unknown[]) => unknown)(...args);
          }
        : value,
    ]),
  );
}

/** The ways a number can be printed: 38501000000, 38,501,000,000, 3.8501e+10. */
function spellings(v: number): string[] {
  const grouped = Number.isInteger(v) && Math.abs(v) >= 1000 ? [v.toLocaleString("en-US")] : [];
  return [...new Set([String(v), v.toExponential(), ...grouped])];
}

function shows(text: string, v: number): boolean {
  return spellings(v).some((s) => new RegExp(`(?<![\\d.])${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\d])`).test(text));
}

/** Units the messages explain (1 GB = 10^9 bytes, 1 GiB = 2^30 bytes): no secret, even as an input. */
const UNIT_CONSTANTS = new Set([1e9, 2 ** 30]);

/**
 * A number that tells a student something about a hidden input: not a small count (workers,
 * stages, steps up to 64 are in the titles as words or digits), not ±Infinity or NaN, not a unit.
 */
function telling(v: number): boolean {
  return Number.isFinite(v) && (!Number.isInteger(v) || Math.abs(v) > 64) && !UNIT_CONSTANTS.has(v);
}

function hiddenOf(question: Question) {
  return HIDDEN.filter((h) => h.questionId === question.id).flatMap((h) => h.tests);
}

describe("every question of the course", () => {
  it("declares its references, and each is an export of the library index (import * as lab from \"ai-efficiency-labs\")", () => {
    const exported = library as unknown as Record<string, unknown>;
    for (const q of courseQuestions) {
      expect(q.references?.length ?? 0, q.id).toBeGreaterThan(0);
      for (const name of q.references ?? []) expect(`${q.id}: ${name} is ${typeof exported[name]}`).toBe(`${q.id}: ${name} is function`);
    }
  });

  it("optimizer questions forbid TensorFlow.js's optimizers (tf.train), saying why", () => {
    const optimizerQuestions = ["gd.step", "gd.sgdEpoch", "adam.moments", "adam.biasCorrection", "adam.step", "dp.step", "dp.zeroStage1"];
    for (const id of optimizerQuestions) {
      const q = courseQuestions.find((x) => x.id === id)!;
      expect(q.forbidden?.map((f) => f.name), id).toContain("tf.train");
      expect(q.forbidden?.find((f) => f.name === "tf.train")?.why).toMatch(/write the update yourself/);
    }
  });

  it("lives in its own file, src/grading/questions/<lab>/<question>.ts, under 300 lines like every file of the question registry", () => {
    const root = path.join(__dirname, "..", "..", "src", "grading", "questions");
    const files = fs.readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith(".ts"));
    for (const f of files) expect(`${f}: ${fs.readFileSync(path.join(root, f), "utf8").split("\n").length <= 300}`).toBe(`${f}: true`);
    for (const q of courseQuestions) {
      const holders = files.filter((f) => f.startsWith(`${labOfQuestion(q.id)}${path.sep}`) && fs.readFileSync(path.join(root, f), "utf8").includes(`id: "${q.id}"`));
      expect(holders, q.id).toHaveLength(1);
    }
  });
});

describe("hidden tests", () => {
  it("never show their input values in a message: every hidden test failed by every mutant", async () => {
    let checked = 0;
    const leaks: string[] = [];
    for (const lab of [...new Set(courseQuestions.map((q) => labOfQuestion(q.id)))]) {
      for (const mutant of await loadMutants(lab)) {
        const question = courseQuestions.find((q) => q.id === mutant.mutantOf)!;
        for (const test of hiddenOf(question)) {
          const seen: number[] = [];
          let message = "";
          try {
            await test.run(recording(mutant.impl, seen));
            continue;
          } catch (error) {
            message = error instanceof Error ? error.message : String(error);
          }
          checked += 1;
          const leaked = [...new Set(seen.filter(telling))].filter((v) => shows(message, v) && !shows(test.name, v));
          if (leaked.length > 0) leaks.push(`${mutant.file} / "${test.name}": shows ${leaked.join(", ")} in "${message}"`);
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(leaks).toEqual([]);
  });

  it("say what they test: each title that makes a claim about its input holds for that input", async () => {
    /** Run the hidden tests of `id` whose title matches `title`, with `answer` recording each call's arguments. */
    const callsOf = async (id: string, title: RegExp, answer: (...args: never[]) => unknown): Promise<unknown[][]> => {
      const tests = HIDDEN.filter((h) => h.questionId === id).flatMap((h) => h.tests).filter((t) => title.test(t.name));
      expect(tests.length, `${id} ${title}`).toBeGreaterThan(0);
      const calls: unknown[][] = [];
      const name = courseQuestions.find((q) => q.id === id)!.exports[0]!;
      const impl = { [name]: (...args: unknown[]) => (calls.push(args), (answer as (...a: unknown[]) => unknown)(...args)) };
      for (const t of tests) await t.run(impl);
      return calls;
    };
    const GB = 1e9;
    const GiB = 2 ** 30;
    const fits = (required: number, capacity: number, unit: "GB" | "GiB", headroom: { overheadBytes: number; fragmentationFraction: number }) => {
      const v = library.fitsOnGpu(required, capacity * (unit === "GB" ? GB : GiB), headroom);
      return v.kind === "fits" ? { kind: v.kind, availableBytes: v.availableBytes, spareBytes: v.spareBytes } : { kind: v.kind, availableBytes: v.availableBytes, shortfallBytes: v.shortfallBytes };
    };
    const verdicts = async (title: RegExp) => (await callsOf("memory.fitsOnGpu", title, fits)).map((args) => fits(...(args as Parameters<typeof fits>)));

    // "just too large": does not fit, by less than 1% of the job; never an exact fit
    for (const v of await verdicts(/just too large/)) {
      expect(v.kind).toBe("does-not-fit");
      expect(v.kind === "does-not-fit" && v.shortfallBytes > 0 && v.shortfallBytes < 0.01 * v.availableBytes).toBe(true);
    }
    // "exactly the available bytes": fits with 0 bytes spare
    for (const v of await verdicts(/exactly the available/)) expect(v).toMatchObject({ kind: "fits", spareBytes: 0 });
    // "a job that fits" fits; "between 40 GB and 40 GiB" fits in GiB and not in GB
    for (const v of await verdicts(/a job that fits/)) expect(v.kind).toBe("fits");
    expect((await verdicts(/between 40 GB and 40 GiB/)).map((v) => v.kind)).toEqual(["fits", "does-not-fit"]);

    // "m = p exactly": every call has as many micro-batches as stages
    for (const [p, m] of await callsOf("pipeline.oneFOneB", /m = p exactly/, (p: number, m: number) => library.oneFOneBSchedule(p, m))) expect(m).toBe(p);
    // "a single stage never idles": a one-stage timeline, bubble 0
    for (const [timeline] of await callsOf("pipeline.bubbleFraction", /single stage/, (t: library.PipelineTimeline) => library.pipelineMetrics(t).bubbleFraction)) {
      expect((timeline as library.PipelineTimeline).schedule.stages).toBe(1);
      expect(library.pipelineMetrics(timeline as library.PipelineTimeline).bubbleFraction).toBe(0);
    }
    // "N = 1 partitions nothing" and "stage 0 ignores N"
    const zero = (psi: number, b: { parameters: number; gradients: number; optimizerStates: number }, stage: library.ZeroStage, N: number) =>
      library.zeroModelStates(psi, library.customRecipe("t", b.parameters, b.gradients, b.optimizerStates), stage, N);
    for (const args of await callsOf("memory.zeroPerDevice", /N = 1 partitions nothing/, zero)) expect(args[3]).toBe(1);
    for (const args of await callsOf("memory.zeroPerDevice", /stage 0 ignores N/, zero)) expect([args[2], (args[3] as number) > 1]).toEqual([0, true]);
    // "a NaN gradient", "an empty gradient list", "growth interval of 1"
    const scaler = (s: library.LossScalerState, g: number[], o: library.LossScalerOptions) => library.dynamicLossScalerStep(s, g, o);
    for (const args of await callsOf("precision.lossScaler", /NaN gradient/, scaler)) expect((args[1] as number[]).some(Number.isNaN)).toBe(true);
    for (const args of await callsOf("precision.lossScaler", /empty gradient list/, scaler)) expect(args[1]).toEqual([]);
    for (const args of await callsOf("precision.lossScaler", /growth interval of 1/, scaler)) expect((args[2] as { growthInterval: number }).growthInterval).toBe(1);
    // "ties in several binades": every value lies halfway between two fp16 neighbours
    for (const [x] of await callsOf("precision.toFp16", /^ties/, (x: number) => library.toFloat16(x))) {
      const a = Math.abs(x as number);
      const spacing = 2 ** (Math.max(Math.floor(Math.log2(a)), -14) - 10);
      expect((a / spacing) % 1, String(x)).toBe(0.5);
    }
    // "one empty chunk" (3 workers, 2 floats) and "three workers own an empty partition" (8 workers, 5 parameters)
    expect(library.chunkBoundaries(2, 3).filter((c) => c.end === c.start)).toHaveLength(1);
    expect(library.chunkBoundaries(5, 8).filter((c) => c.end === c.start)).toHaveLength(3);
  });
});

describe("messages", () => {
  it("name both mistakes when two known mistakes give the same value on the input", async () => {
    // fp32 weights and gradients with Adam and fp32GradientCopy: counting a master copy for fp32
    // weights and adding a gradient copy for fp32 gradients both give 4 + 4 + 12.
    const impl = { bytesPerParameter: () => ({ parameters: 4, gradients: 4, optimizerStates: 12, total: 20 }) };
    const failure = await checkBytesPerParameterCase(impl, { weights: "fp32", gradients: "fp32", optimizer: "adam", fp32GradientCopy: true }).catch((e: Error) => e.message);
    expect(failure).toMatch(/an fp32 master copy was counted for fp32 weights .* — or an fp32 gradient copy was added for gradients that are already fp32 .*on this input these mistakes give the same value/);
  });
});
