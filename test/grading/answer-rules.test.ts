/**
 * The forbidden-call rule on the answer cell's syntax tree (src/grading/answer-rules.ts):
 * each way of reaching a reference or loading code is named with its line, and
 * correct answers written in other styles pass untouched.
 */
import { describe, expect, test } from "vitest";
import { answerRulesFor, answerRuleViolations, labNumberOf, referencesHiddenFrom, type AnswerRules } from "../../src/grading/answer-rules";
import { compileAnswerCells } from "../../src/grading/answer-compiler";
import type { Question } from "../../src/grading/question";
import { courseQuestions } from "../../src/grading/questions";

const question = (id: string, notebook: string, references: string[], forbidden: Question["forbidden"] = []): Question => ({ id, notebook, title: id, exports: [], publicTests: [], references, forbidden });
const GD_STEP = question("gd.step", "01-gradient-descent.ipynb", ["gdStep"]);
const ADAM_STEP = question("adam.step", "02-adam.ipynb", ["adamStep", "AdamOptimizer"], [{ name: "tf.train", why: "write the update yourself instead of calling a TensorFlow.js optimizer" }]);
const ADAM_MOMENTS = question("adam.moments", "02-adam.ipynb", ["adamMoments"]);
const GPIPE = question("pipeline.gpipe", "05-pipeline.ipynb", ["gpipeSchedule"]);
const ALL = [GD_STEP, ADAM_MOMENTS, ADAM_STEP, GPIPE];
const ADAM_RULES: AnswerRules = answerRulesFor(ADAM_STEP, ALL);

/** The violations of an adam.step cell whose body is `body` (line 1 is the marker, line 2 the body's first line). */
function violations(body: string, rules = ADAM_RULES): string[] {
  return answerRuleViolations(`// @answer adam.step\n${body}\n`, rules);
}

describe("which references a question hides", () => {
  test("the lab number is the two digits the notebook starts with", () => {
    expect(labNumberOf(ADAM_STEP)).toBe(2);
    expect(labNumberOf({ notebook: "toy.ipynb" })).toBeUndefined();
  });

  test("references of the question's lab and later labs are hidden, earlier labs' stay", () => {
    const hidden = referencesHiddenFrom(ADAM_STEP, ALL);
    expect([...hidden.keys()].sort()).toEqual(["AdamOptimizer", "adamMoments", "adamStep", "gpipeSchedule"]);
    expect(hidden.get("adamMoments")).toBe("adam.moments");
    expect(hidden.has("gdStep")).toBe(false);
    expect([...referencesHiddenFrom(GPIPE, ALL).keys()]).toEqual(["gpipeSchedule"]);
  });
});

describe("a cell that breaks the rule names the rule and the line", () => {
  const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
    ["calls the reference", "function adamStep(w, g, s, hp) { return lab.adamStep(w, g, s, hp); }", /^line 2: uses lab\.adamStep, the reference for adam\.step; write the update yourself\.$/],
    ["destructures the reference", "const { adamStep: ref } = lab;\nfunction adamStep(w, g, s, hp) { return ref(w, g, s, hp); }", /^line 2: uses lab\.adamStep, the reference for adam\.step/],
    ["uses a same-lab reference", "function adamStep(w, g, s, hp) { const mv = lab.adamMoments(s.m, s.v, g, hp.beta1, hp.beta2); return mv; }", /uses lab\.adamMoments, the reference for adam\.moments/],
    ["uses a later lab's reference", "const schedule = lab.gpipeSchedule;", /uses lab\.gpipeSchedule, the reference for pipeline\.gpipe/],
    ["drives the optimizer class", "function adamStep(w, g, s, hp) { const o = new lab.AdamOptimizer(hp); return o; }", /uses lab\.AdamOptimizer, the reference for adam\.step/],
    ["reaches a name by computing it", 'function adamStep(w, g, s, hp) { return lab["adam" + "Step"](w, g, s, hp); }', /line 2: uses lab\[…\] \(computed member access\): write the name out/],
    ["indexes lab with a literal", 'const f = lab["adamStep"];', /computed member access/],
    ["indexes tf", 'const op = tf["tr" + "ain"];', /uses tf\[…\] \(computed member access\)/],
    ["indexes globalThis", 'const e = globalThis["ev" + "al"];', /uses globalThis\[…\]/],
    ["enumerates lab", "const f = Object.values(lab).find((x) => true);", /uses lab as a value/],
    ["aliases lab", "const L = lab;", /uses lab as a value/],
    ["spreads lab", "const copy = { ...lab };", /uses lab as a value/],
    ["requires a module", 'const fs = require("fs");', /line 2: uses require: an answer may only use the library/],
    ["requires a compiled file", 'const ofob = require("../dist/pipeline/one-f-one-b.js");', /uses require/],
    ["imports dynamically", 'const m = import("node:fs");', /uses import\(…\)/],
    ["imports another module", 'import * as fs from "node:fs";', /imports "node:fs": an answer may only import the library/],
    ["import = require", 'import fs = require("fs");', /uses require/],
    ["evaluates text", 'const x = eval("1 + 1");', /uses eval: answers may not run code built from text/],
    ["builds a function", 'const f = new Function("return 1");', /uses Function: answers may not build functions from text/],
    ["reaches Function through .constructor", 'const f = (() => 0).constructor("return process")();', /uses \.constructor/],
    ["reaches Function through [\"constructor\"]", 'const f = (() => 0)["constructor"];', /uses \["constructor"\]/],
    ["calls process.binding", 'const b = process.binding("fs");', /uses process\.binding, which reaches Node's internals/],
    ["calls process.getBuiltinModule", 'const fs = process.getBuiltinModule("fs");', /uses process\.getBuiltinModule/],
    ["uses a forbidden name", "function adamStep(w, g, s, hp) { const o = tf.train.adam(hp.lr); return o; }", /uses tf\.train: write the update yourself instead of calling a TensorFlow\.js optimizer\./],
    ["uses a forbidden name through lab.tf", "const opt = lab.tf.train.adam(0.1);", /uses tf\.train:/],
    ["uses a forbidden name after destructuring", "function f() { const { train } = tf; return train; }", /uses tf\.train:/],
    ["extends the reference class", "class MyAdam extends lab.AdamOptimizer {}", /uses lab\.AdamOptimizer, the reference for adam\.step/],
    ["imports the reference by name", 'import { adamStep as a } from "ai-efficiency-labs";', /uses lab\.adamStep, the reference for adam\.step/],
    ["imports the library again and indexes it", 'import * as L from "ai-efficiency-labs";\nconst f = L["adam" + "Step"];', /line 3: uses lab\[…\] \(computed member access\)/],
    ["uses eval through globalThis", 'const r = globalThis.eval("1");', /uses eval/],
  ];
  test.each(cases)("%s", (_name, body, message) => {
    const found = violations(body);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join("\n")).toMatch(message);
  });
});

describe("correct answers in other styles keep the rules", () => {
  const styles: ReadonlyArray<readonly [string, string]> = [
    ["tf ops", "function adamStep(w, g, s, hp) { const t = s.t + 1; const m = tf.add(tf.mul(hp.beta1, s.m), tf.mul(1 - hp.beta1, g)); return { w, m, v: s.v, t }; }"],
    ["destructuring tf from lab", "function adamStep(w, g, s, hp) { const { tf } = lab; return tf.tidy(() => ({ w: tf.sub(w, g), m: s.m, v: s.v, t: s.t + 1 })); }"],
    ["destructuring other ops", "const { add, mul, sqrt } = tf;\nconst step = (w, g) => add(w, mul(-0.1, sqrt(g)));"],
    ["loops on typed arrays", "function adamStep(w, g, s, hp) { const a = w.dataSync(); const out = new Float32Array(a.length); for (let i = 0; i < a.length; i++) out[i] = a[i] * 2; return tf.tensor(out, w.shape); }"],
    ["a class with a constructor", "class Moments { constructor(public m: number) {} }\nfunction adamStep(w, g, s, hp) { return new Moments(1); }"],
    ["helper functions and arrow functions", "const hat = (x, beta, t) => tf.div(x, 1 - beta ** t);\nfunction adamStep(w, g, s, hp) { return hat(s.m, hp.beta1, s.t + 1); }"],
    ["indexing arrays", "function f(xs: number[], i: number) { const k = 'a'; const o = { a: 1 }; return xs[i] + o[k]; }"],
    ["earlier labs' library functions", "function adamStep(w, g, s, hp) { return lab.gdStep(w, w, w, hp.lr, (X, y, v) => g); }"],
    ["types from lab", "function adamStep(w: lab.tf.Tensor, g: lab.tf.Tensor): lab.tf.Tensor { return w; }\ntype T = typeof lab.tf;"],
    ["check calls", 'await check("adam.step");\nawait lab.check("adam.step");\ncheckAll();'],
    ["process.env and Math", "const n = Math.sqrt(2) + Number(process.env.SEED ?? 0);"],
    ["a property named like a banned name", "const o = { require: 1, eval: 2 }; const r = o.require + o.eval;"],
  ];
  test.each(styles)("%s", (_name, body) => {
    expect(violations(body)).toEqual([]);
  });

  test("a type-only import from another module is allowed (it is erased)", () => {
    expect(violations('import type { Tensor } from "@tensorflow/tfjs";')).toEqual([]);
  });
});

describe("the rule in the compile step", () => {
  test("a cell that breaks the rule does not compile, with the rule's message; the next cell is unaffected", () => {
    const [cheat, fine] = compileAnswerCells([
      { questionId: "adam.step", source: "// @answer adam.step\nfunction adamStep(w, g, s, hp) {\n  return lab.adamStep(w, g, s, hp);\n}\n", exports: ["adamStep"], rules: ADAM_RULES },
      { questionId: "gd.step", source: "// @answer gd.step\nfunction gdStep(X, y, w, lr, gradient) {\n  return tf.sub(w, tf.mul(lr, gradient(X, y, w)));\n}\n", exports: ["gdStep"], rules: answerRulesFor(GD_STEP, ALL) },
    ]);
    expect(cheat?.kind).toBe("compile-error");
    expect(cheat?.kind === "compile-error" && cheat.message).toMatch(/breaks the grading rules[\s\S]*line 3: uses lab\.adamStep, the reference for adam\.step; write the update yourself/);
    expect(fine?.kind).toBe("compiled");
  });

  test("check calls in an answer cell compile, also with top-level await (as in the notebook)", () => {
    const [r] = compileAnswerCells([
      { questionId: "gd.step", source: '// @answer gd.step\nfunction gdStep(X, y, w, lr, gradient) {\n  return tf.sub(w, tf.mul(lr, gradient(X, y, w)));\n}\nawait check("gd.step");\nawait checkAll();\n', exports: ["gdStep"], rules: answerRulesFor(GD_STEP, ALL) },
    ]);
    expect(r?.kind === "compile-error" ? r.message : "compiled").toBe("compiled");
  });
});

describe("this course's memory questions refuse the library's unmarked formulas", () => {
  test("lab.zeroStateBytes in memory.zeroPerDevice and lab.availableDeviceBytes in memory.fitsOnGpu cost the question, however they are reached", () => {
    const rulesOf = (id: string): AnswerRules => answerRulesFor(courseQuestions.find((q) => q.id === id)!, courseQuestions);
    const zero = (body: string): string[] => answerRuleViolations(`// @answer memory.zeroPerDevice\n${body}\n`, rulesOf("memory.zeroPerDevice"));
    expect(zero("function zeroPerDevice(psi, bytes, stage, N) { return lab.zeroStateBytes(stage, psi, N, bytes); }")).toEqual([
      "line 2: uses lab.zeroStateBytes: it is the library's ZeRO byte model (lab 03); write the per-device bytes of each stage yourself.",
    ]);
    expect(zero("const { zeroStateBytes: z } = lab;\nfunction zeroPerDevice(psi, bytes, stage, N) { return z(stage, psi, N, bytes); }")[0]).toMatch(/^line 2: uses lab\.zeroStateBytes: /);
    const fit = (body: string): string[] => answerRuleViolations(`// @answer memory.fitsOnGpu\n${body}\n`, rulesOf("memory.fitsOnGpu"));
    expect(fit("function fitsOnGpu(r, c, unit, h) { return r <= lab.availableDeviceBytes(c * 1e9, h); }")[0]).toMatch(/^line 2: uses lab\.availableDeviceBytes: /);
    expect(fit("function fitsOnGpu(r, c, unit, h) { return r <= c; }")).toEqual([]);
  });
});
