/**
 * The answer's view of the library (src/grading/answer-library.ts), the copies
 * `callAnswer` passes (src/grading/question.ts), and the snapshot of the library
 * and tf (src/grading/intrinsics-guard.ts), each on its own.
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as library from "../../src";
import { answerLibrary } from "../../src/grading/answer-library";
import { libraryModuleObjects, snapshotIntrinsics, tamperedIntrinsics, tamperingMessage, tensorFlowObjects, tensorKernelProbe } from "../../src/grading/intrinsics-guard";
import { AnswerRuleError, callAnswer, GradingError } from "../../src/grading/question";
import { initTensors, tf } from "../../src/tensor";

beforeAll(async () => {
  await initTensors();
});

const HIDDEN = new Map([
  ["adamStep", "adam.step"],
  ["AdamOptimizer", "adam.step"],
]);

describe("the library an answer sees", () => {
  test("a hidden reference is a stub that throws the rule's message, called or constructed, and records it", () => {
    const answer = answerLibrary(library, HIDDEN);
    expect(answer.brokenRule()).toBeUndefined();
    const adamStep = answer.lab["adamStep"] as () => unknown;
    expect(() => adamStep()).toThrow(new AnswerRuleError("The answer uses lab.adamStep, the reference for adam.step; write the update yourself."));
    const AdamOptimizer = answer.lab["AdamOptimizer"] as new () => unknown;
    expect(() => new AdamOptimizer()).toThrow(/uses lab\.AdamOptimizer, the reference for adam\.step/);
    expect(answer.brokenRule()).toBe("The answer uses lab.adamStep, the reference for adam.step; write the update yourself.");
  });

  test("every other export is the library's own; check and checkAll do nothing", async () => {
    const answer = answerLibrary(library, HIDDEN);
    expect(answer.lab["gdStep"]).toBe(library.gdStep);
    expect(answer.lab["adamMoments"]).toBe(library.adamMoments);
    expect((answer.lab["tf"] as typeof tf).add).toBe(tf.add);
    expect(await (answer.lab["check"] as (id: string) => Promise<unknown>)("gd.step")).toBeUndefined();
  });

  test("lab and lab.tf are frozen copies: the library and tf stay untouched", () => {
    const answer = answerLibrary(library, HIDDEN);
    expect(() => Object.assign(answer.lab, { gdStep: () => 0 })).toThrow(TypeError);
    expect(() => Object.assign(answer.lab["tf"] as object, { add: () => 0 })).toThrow(TypeError);
    expect(library.gdStep).toBe(answer.lab["gdStep"]);
  });

  test("require resolves the library only", () => {
    const answer = answerLibrary(library, HIDDEN);
    expect(answer.require("ai-efficiency-labs")).toBe(answer.lab);
    expect(() => answer.require("node:fs")).toThrow(/require\("node:fs"\) is not available to an answer/);
    expect(() => answer.require("../dist/optim/adam.js")).toThrow(AnswerRuleError);
  });
});

describe("callAnswer", () => {
  test("a broken rule keeps its message; other errors are wrapped", async () => {
    const rule = { f: () => { throw new AnswerRuleError("The answer uses lab.gdStep, the reference for gd.step; write the update yourself."); } };
    await expect(callAnswer(rule, "gd.step", "f")).rejects.toThrow(new GradingError("The answer uses lab.gdStep, the reference for gd.step; write the update yourself."));
    await expect(callAnswer({ f: () => { throw new TypeError("x is undefined"); } }, "gd.step", "f")).rejects.toThrow("f threw an error: x is undefined");
  });

  test("the answer gets copies: consuming an array, editing an object or disposing a tensor leaves the grader's inputs intact", async () => {
    const batches = [[0, 1], [2]];
    const state = { t: 0, m: tf.zeros([2]) };
    const w = tf.tensor1d([1, 2]);
    const gradient = (x: number): number => x;
    let received: unknown;
    const answer = {
      f: (b: number[][], s: { t: number; m: tf.Tensor }, x: tf.Tensor, g: unknown) => {
        received = g;
        b.shift();
        s.t = 99;
        s.m.dispose();
        x.dispose();
        return b.length;
      },
    };
    expect(await callAnswer(answer, "gd.sgdEpoch", "f", batches, state, w, gradient)).toBe(1);
    expect(batches).toEqual([[0, 1], [2]]);
    expect(state.t).toBe(0);
    expect(state.m.isDisposed).toBe(false);
    expect(Array.from(w.dataSync())).toEqual([1, 2]);
    expect(received).toBe(gradient);
  });

  test("objects with methods are passed as they are, so a communicator records what the answer did", async () => {
    const communicator = { sent: [] as number[], send(x: number) { this.sent.push(x); } };
    await callAnswer({ ring: (c: typeof communicator) => { c.send(1); c.send(2); } }, "dp.ringAllReduce", "ring", communicator);
    expect(communicator.sent).toEqual([1, 2]);
  });

  test("typed arrays are copied and their contents written back (in-place answers such as dp.step)", async () => {
    const params = [new Float32Array([1, 2]), new Float32Array([3, 4])];
    let seen: Float32Array[] = [];
    await callAnswer({ step: (p: Float32Array[]) => { seen = p; p.forEach((x) => x.fill(0)); } }, "dp.step", "step", params);
    expect(seen[0]).not.toBe(params[0]);
    expect(params.map((p) => Array.from(p))).toEqual([[0, 0], [0, 0]]);
  });
});

describe("the snapshot of the library and tf", () => {
  const watch = () => snapshotIntrinsics({ objects: tensorFlowObjects(tf), probes: [tensorKernelProbe(tf)] });

  test("a library module's patched export, or a patched method of its class, is named", () => {
    class Optimizer {
      step(): number {
        return 1;
      }
    }
    const adamModule: Record<string, unknown> = { adamBiasCorrection: () => 1, Optimizer };
    const cache = { "/lab/dist/optim/adam.js": { exports: adamModule }, "/lab/node_modules/x/index.js": { exports: {} } };
    const before = snapshotIntrinsics({ objects: libraryModuleObjects(cache, "/lab") });
    adamModule["adamBiasCorrection"] = () => 2;
    (Optimizer.prototype as unknown as Record<string, unknown>)["step"] = () => 2;
    expect(tamperedIntrinsics(before)).toEqual(["dist/optim/adam.js.adamBiasCorrection", "dist/optim/adam.js.Optimizer.prototype.step"]);
  });

  test("nothing changes when nothing is patched", () => {
    expect(tamperedIntrinsics(watch())).toEqual([]);
  });

  test("a patched tensor method and a replaced backend kernel are named", () => {
    const before = watch();
    const proto = tf.Tensor.prototype as unknown as Record<string, unknown>;
    const original = proto["toString"];
    const backend = tf.getBackend();
    const kernel = tf.getKernel("Sqrt", backend)!;
    try {
      tf.unregisterKernel("Sqrt", backend);
      tf.registerKernel({ ...kernel, kernelFunc: kernel.kernelFunc });
      expect(tamperedIntrinsics(before)).toEqual([]); // the same function again: not a change
      proto["toString"] = () => "patched";
      tf.unregisterKernel("Sqrt", backend);
      tf.registerKernel({ ...kernel, kernelFunc: (args) => kernel.kernelFunc(args) });
      const changed = tamperedIntrinsics(before);
      expect(changed).toContain("tf.Tensor.prototype.toString");
      expect(changed).toContain("tf kernel Sqrt");
      expect(tamperingMessage(changed)).toMatch(/^The answer changed the grader's library \(.*tf\.Tensor\.prototype\.toString/);
    } finally {
      proto["toString"] = original;
      tf.unregisterKernel("Sqrt", backend);
      tf.registerKernel(kernel);
    }
    expect(tamperedIntrinsics(before)).toEqual([]);
  });

  test("built-ins keep their wording", () => {
    expect(tamperingMessage(["Math.random", "Array.prototype.sum (added)"])).toMatch(/^The answer changed built-in Math\.random, Array\.prototype\.sum \(added\);/);
  });
});
