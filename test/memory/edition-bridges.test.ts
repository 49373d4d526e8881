/**
 * Lab 04's own student edition runs the student's memory answers (src/memory/your-answers.ts):
 * fed the master notebook's answers, the edition's library gives the master library's
 * numbers bit for bit, for the functions the notebook calls and those built on them;
 * fed a wrong answer, it shows the mistake; what an answer cannot express is refused
 * with a message.
 *
 * The edition's library is written and compiled as `efflab release --lab 04` does
 * (writeStudentLibrary) and loaded in a child process whose `globalThis.__tslab__`
 * holds the answers, as the kernel does.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, test } from "vitest";
import { answerMarkerId, cellSourceText, type NotebookJson } from "../../src/grading/notebook-cells";
import { courseQuestions } from "../../src/grading/questions";
import { referenceEditionOf } from "../../src/grading/solution-markers";
import { writeStudentLibrary } from "../../src/grading/student-library";
import * as master from "../../src/memory";
import { zeroFormulaBytes } from "../../src/parallel/zero";

const ROOT = path.resolve(__dirname, "..", "..");
let edition = "";

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-lab04-bridges-"));
  for (const entry of ["package.json", "tsconfig.json", "tsconfig.build.json", "src"]) fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  writeStudentLibrary(ROOT, dir, courseQuestions, 4);
  edition = path.join(dir, "dist", "index.js");
}, 300_000);

/** The master notebook's answer cells, compiled to JavaScript as the kernel runs them. */
function masterAnswers(): string {
  const notebook = referenceEditionOf(JSON.parse(fs.readFileSync(path.join(ROOT, "notebooks", "04-memory.ipynb"), "utf8")) as NotebookJson);
  return notebook.cells
    .filter((cell) => cell.cell_type === "code" && answerMarkerId(cellSourceText(cell.source)) !== undefined)
    .map((cell) => ts.transpileModule(cellSourceText(cell.source), { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText)
    .join("\n");
}

const ANSWER_NAMES = ["bytesPerParameter", "zeroPerDevice", "activationsPerLayer", "fitsOnGpu"];

interface Call {
  readonly fn: string;
  readonly args: readonly unknown[];
}

/** Each call on the edition's library, with `answers` (JavaScript defining the answer functions) as the kernel's definitions. */
function onEdition(answers: string, calls: readonly Call[]): { value?: unknown; error?: string }[] {
  const script = `
    const [library, answers, names, calls] = process.argv.slice(1);
    const defined = new Function(answers + "; return { " + JSON.parse(names).join(", ") + " };")();
    globalThis.__tslab__ = { exports: defined };
    const lab = require(library);
    const revive = (a) => (a && a.gpu !== undefined ? lab.findGpu(a.gpu) : a && a.node !== undefined ? lab.findNode(a.node) : a && a.model !== undefined ? lab.findModel(a.model) : a);
    const out = JSON.parse(calls).map((c) => {
      try { return { value: lab[c.fn](...c.args.map(revive)) }; } catch (e) { return { error: e.message }; }
    });
    console.log(JSON.stringify(out));`;
  const stdout = execFileSync(process.execPath, ["-e", script, edition, answers, JSON.stringify(ANSWER_NAMES), JSON.stringify(calls)], {
    encoding: "utf8",
    env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split("\n").pop()!) as { value?: unknown; error?: string }[];
}

/** The same call on the master library (catalog entries looked up by name), as JSON would carry it. */
function onMaster(call: Call): unknown {
  const revive = (a: unknown): unknown => {
    const r = a as { gpu?: string; node?: string; model?: string } | null;
    if (r?.gpu !== undefined) return master.findGpu(r.gpu);
    if (r?.node !== undefined) return master.findNode(r.node);
    if (r?.model !== undefined) return master.findModel(r.model);
    return a;
  };
  const library = { ...master, zeroFormulaBytes } as unknown as Record<string, (...args: unknown[]) => unknown>;
  const fn = library[call.fn]!;
  return JSON.parse(JSON.stringify(fn(...call.args.map(revive))));
}

const RECIPES = [...master.RECIPE_NAMES, master.customRecipe("lecture (yours)", 2, 2, 16)];
const SHAPES = [
  { seq: 2048, batch: 1, hidden: 12288, heads: 96 }, // GPT-3 (Brown et al. 2020, Table 2.1)
  { seq: 4096, batch: 3, hidden: 4096, heads: 32 },
  { seq: 1000, batch: 7, hidden: 1600, heads: 25 },
];

function masterCalls(): Call[] {
  const calls: Call[] = RECIPES.map((recipe) => ({ fn: "bytesPerParameter", args: [recipe] }));
  for (const recipe of RECIPES) {
    for (const stage of [0, 1, 2, 3]) {
      for (const N of [1, 3, 64, 1000]) {
        calls.push({ fn: "zeroModelStates", args: [7.5e9, recipe, stage, N] }, { fn: "zeroModelStates", args: [123_456_789, recipe, stage, N] });
        calls.push({ fn: "modelStateMemory", args: [174.6e9, { recipe, zeroStage: stage, dataParallel: N, tensorParallel: 8, pipelineParallel: 3 }] });
      }
    }
  }
  for (const stage of [0, 1, 2, 3]) {
    calls.push({ fn: "zeroFormulaBytes", args: [stage, 1234, 4] }, { fn: "zeroFormulaBytes", args: [stage, 7.5e9, 64, { param: 2, grad: 2, optimizer: 12 }] });
  }
  for (const shape of SHAPES) {
    for (const tensorParallel of [1, 2, 8]) {
      for (const sequenceParallel of [false, true]) {
        for (const recompute of ["none", "selective", "full"]) {
          const options = { tensorParallel, sequenceParallel, recompute };
          calls.push({ fn: "deviceActivationBytes", args: [shape, { ...options, layers: 96, pipelineParallel: 4, microbatches: 8, interleavedChunks: 2 }] });
          calls.push({
            fn: "deviceMemory",
            args: [30e9, { recipe: "bf16-adam-fp32-grads", zeroStage: 1, dataParallel: 16, tensorParallel, pipelineParallel: 2, activations: { ...shape, microBatch: shape.batch, layers: 48, recompute, sequenceParallel } }],
          });
        }
      }
    }
  }
  // 68,609,370,073 bytes: x / 1e9 * 1e9 is not x again, so a capacity handed over in GB would not be exact
  for (const gpu of [{ gpu: "a100-40gb" }, { gpu: "a100-80gb" }, { gpu: "a40" }, 80e9, 16 * 2 ** 30, 68_609_370_073, 3e9]) {
    for (const required of [0, 20e9, 30e9, 42.5e9, 75e9, 85e9]) {
      calls.push({ fn: "fitsOnGpu", args: [required, gpu] }, { fn: "fitsOnGpu", args: [required, gpu, { overheadBytes: 0, fragmentationFraction: 0 }] });
    }
  }
  calls.push({ fn: "planParallelism", args: [{ model: "gpt2-1.5b" }, { node: "delta-a100x4" }, { gpus: 16, globalBatch: 64 }] });
  calls.push({ fn: "footprintTable", args: [] });
  return calls;
}

describe("lab 04's edition, with the master notebook's answers", () => {
  test("gives the master library's numbers exactly: bytes per parameter, ZeRO states, activations, device memory, fit verdicts, the planner", () => {
    const calls = masterCalls();
    const results = onEdition(masterAnswers(), calls);
    const differences = calls.flatMap((call, i) => {
      const got = results[i]!;
      const expected = onMaster(call);
      if (got.error !== undefined) return [`${call.fn}(${JSON.stringify(call.args)}) threw: ${got.error}`];
      return JSON.stringify(got.value) === JSON.stringify(expected) ? [] : [`${call.fn}(${JSON.stringify(call.args)}): ${JSON.stringify(got.value)} instead of ${JSON.stringify(expected)}`];
    });
    expect(differences).toEqual([]);
    expect(calls.length).toBeGreaterThan(300);
  }, 120_000);

  test("layerActivationBytes gives the master's total; a term of Table 2, which the answer does not return, throws saying so", () => {
    const calls: Call[] = SHAPES.flatMap((shape) =>
      [1, 8].flatMap((tensorParallel) => ["none", "selective", "full"].map((recompute) => ({ fn: "layerActivationBytes", args: [shape, { tensorParallel, sequenceParallel: tensorParallel > 1, recompute }] }))),
    );
    const results = onEdition(masterAnswers(), calls);
    calls.forEach((call, i) => expect(results[i]).toEqual({ value: { total: (onMaster(call) as { total: number }).total } }));

    const script = `${masterAnswers()}; globalThis.__tslab__ = { exports: { activationsPerLayer } };
      const b = require(${JSON.stringify(edition)}).layerActivationBytes({ seq: 2048, batch: 1, hidden: 12288, heads: 96 });
      try { b.attentionScores; } catch (e) { console.log(e.message); }`;
    const message = execFileSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") } }).trim();
    expect(message).toContain("layerActivationBytes(...).attentionScores is not known here");
    expect(message).toContain("gives the layer's total (2868903936 bytes)");
  }, 60_000);

  test("refuses what the answers cannot express: a recipe with no named dtypes, a headroom larger than the card", () => {
    const [adam8bit, tiny] = onEdition(masterAnswers(), [
      { fn: "bytesPerParameter", args: [master.customRecipe("adam-8bit", 2, 2, 6)] },
      { fn: "fitsOnGpu", args: [1e9, 0.5e9] },
    ]);
    expect(adam8bit!.error).toContain(`got "adam-8bit" with 2 + 2 + 6`);
    expect(adam8bit!.error).toContain("Pass a named recipe");
    expect(tiny!.error).toContain("the library counts 0 bytes available there, which your answer cannot say");
  }, 60_000);
});

describe("lab 04's edition runs the student's answers, not a hidden reference", () => {
  test("a ZeRO answer that never divides the gradients shows in zeroModelStates, modelStateMemory and zeroFormulaBytes", () => {
    const wrong = masterAnswers().replace(/const gradients = stage >= 2 \? \(bytes\.gradients \* psi\) \/ N : /, "const gradients = ");
    expect(wrong).not.toEqual(masterAnswers());
    const [states, memory, formula] = onEdition(wrong, [
      { fn: "zeroModelStates", args: [7.5e9, "mixed-adam", 2, 64] },
      { fn: "modelStateMemory", args: [7.5e9, { zeroStage: 2, dataParallel: 64 }] },
      { fn: "zeroFormulaBytes", args: [2, 1000, 4] },
    ]);
    expect((states!.value as { gradients: number }).gradients).toBe(2 * 7.5e9); // 2Ψ instead of 2Ψ/N
    expect((memory!.value as { gradients: number }).gradients).toBe(2 * 7.5e9);
    expect((formula!.value as { gradBytes: number }).gradBytes).toBe(4 * 1000);
  }, 60_000);

  test("without the answers every bridged function throws its exercise's stub message", () => {
    const results = onEdition("const bytesPerParameter = 0, zeroPerDevice = 0, activationsPerLayer = 0, fitsOnGpu = 0", [
      { fn: "bytesPerParameter", args: ["mixed-adam"] },
      { fn: "deviceMemory", args: [1e9] },
      { fn: "deviceActivationBytes", args: [SHAPES[0], { layers: 4 }] },
      { fn: "fitsOnGpu", args: [1e9, 40e9] },
    ]);
    expect(results.map((r) => r.error)).toEqual([
      "Not implemented in the student edition: this is exercise memory.bytesPerParameter of lab 04",
      "Not implemented in the student edition: this is exercise memory.zeroPerDevice of lab 04",
      "Not implemented in the student edition: this is exercise memory.activationsPerLayer of lab 04",
      "Not implemented in the student edition: this is exercise memory.fitsOnGpu of lab 04",
    ]);
  }, 60_000);
});
