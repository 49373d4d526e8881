/**
 * An answer may consume or change what it is given: empty the `batches` array with
 * `batches.shift()`, bump `state.t`, dispose an input tensor, splice the replicas out of
 * `params`. The grader computes every expectation before the answer runs, from its own
 * inputs, and hands the answer copies, so a right answer written that way still gets
 * full marks (issue 12: "expected: [0], received: [0.84]" came from an emptied array).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { adamMoments, adamStep, type AdamHyperparameters } from "../../src/optim";
import { mseGradient } from "../../src/optim/mse";
import { dynamicLossScalerStep, type LossScalerState } from "../../src/precision";
import { splitMlpWeights, type MlpWeights } from "../../src/parallel/tensor-parallel";
import { initTensors, tf } from "../../src/tensor";
import type { HiddenTests, Implementation, Question } from "../../src/grading/question";
import { courseQuestions } from "../../src/grading/questions";
import { adamHiddenTests } from "./hidden/adam.hidden";
import { dpHiddenTests } from "./hidden/dp.hidden";
import { gdHiddenTests } from "./hidden/gd.hidden";
import { pipelineHiddenTests } from "./hidden/pipeline.hidden";
import { precisionHiddenTests } from "./hidden/precision.hidden";
import { runQuestionSuite } from "./graded-suite";

const HIDDEN: readonly HiddenTests[] = [...gdHiddenTests, ...adamHiddenTests, ...dpHiddenTests, ...pipelineHiddenTests, ...precisionHiddenTests];

beforeAll(async () => {
  await initTensors();
});

function question(id: string): Question {
  return courseQuestions.find((q) => q.id === id)!;
}

async function failures(id: string, impl: Implementation): Promise<string[]> {
  return (await runQuestionSuite(question(id), HIDDEN, impl)).filter((o) => !o.passed).map((o) => `${o.name}: ${o.message}`);
}

type Gradient = (X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

describe("a right answer that consumes or changes its inputs keeps full marks", () => {
  it("gd.sgdEpoch: takes the batches off the array with batches.shift()", async () => {
    const sgdEpoch = (X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D, lr: number, batches: number[][], gradient: Gradient) => {
      let wt = w;
      while (batches.length > 0) {
        const idx = tf.tensor1d(batches.shift()!, "int32");
        wt = tf.sub(wt, tf.mul(lr, gradient(tf.gather(X, idx), tf.gather(y, idx), wt)));
      }
      return wt;
    };
    expect(await failures("gd.sgdEpoch", { sgdEpoch })).toEqual([]);
  });

  it("gd.mseGradient and gd.step: dispose their input tensors once done", async () => {
    const disposing = (X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D) => {
      const g = mseGradient(X, y, w);
      X.dispose();
      y.dispose();
      return g;
    };
    const gdStep = (X: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D, lr: number, gradient: Gradient) => {
      const next = tf.sub(w, tf.mul(lr, gradient(X, y, w)));
      X.dispose();
      w.dispose();
      return next;
    };
    expect(await failures("gd.mseGradient", { mseGradient: disposing })).toEqual([]);
    expect(await failures("gd.step", { gdStep })).toEqual([]);
  });

  it("adam.moments and adam.step: dispose the old moments, advance state.t in place", async () => {
    const moments = (m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, beta1: number, beta2: number) => {
      const next = adamMoments(m, v, g, beta1, beta2);
      m.dispose();
      v.dispose();
      return next;
    };
    const step = (w: tf.Tensor, g: tf.Tensor, state: { m: tf.Tensor; v: tf.Tensor; t: number }, hp: AdamHyperparameters) => {
      const next = adamStep(w, g, { ...state }, hp);
      Object.assign(state, { m: next.m, v: next.v, t: next.t }); // the caller's state object now reads t + 1
      w.dispose();
      return next;
    };
    expect(await failures("adam.moments", { adamMoments: moments })).toEqual([]);
    expect(await failures("adam.step", { adamStep: step })).toEqual([]);
  });

  it("dp.step and dp.zeroStage1: splice the workers' arrays out of the lists they are given", async () => {
    const dpStep = (params: Float32Array[], grads: Float32Array[], shardSizes: number[], lr: number, allReduce: (b: Float32Array[]) => Float32Array[]) => {
      const sizes = shardSizes.splice(0);
      const B = sizes.reduce((a, b) => a + b, 0);
      const g = allReduce(grads.splice(0).map((gi, i) => gi.map((v) => (sizes[i]! / B) * v)));
      params.splice(0).forEach((theta, i) => theta.forEach((v, j) => (theta[j] = v - lr * g[i]![j]!)));
    };
    const zeroStage1Step = (
      params: Float32Array[],
      grads: Float32Array[],
      partitions: { start: number; end: number }[],
      update: (rank: number, w: Float32Array, g: Float32Array) => void,
      allGather: (pieces: Float32Array[]) => Float32Array[],
    ) => {
      const [replicas, gs, parts] = [params.splice(0), grads.splice(0), partitions.splice(0)];
      replicas.forEach((theta, i) => update(i, theta.subarray(parts[i]!.start, parts[i]!.end), gs[i]!.subarray(parts[i]!.start, parts[i]!.end)));
      const gathered = allGather(replicas.map((theta, i) => theta.slice(parts[i]!.start, parts[i]!.end)));
      replicas.forEach((theta, i) => theta.set(gathered[i]!));
    };
    expect(await failures("dp.step", { dpStep })).toEqual([]);
    expect(await failures("dp.zeroStage1", { zeroStage1Step })).toEqual([]);
  });

  it("pipeline.columnRowSplit disposes the weights it split; precision.lossScaler overwrites its state and empties the gradients", async () => {
    const columnRowSplit = (weights: MlpWeights, t: number) => {
      const shards = splitMlpWeights(weights, t).map((s) => ({ rank: s.rank, A: tf.clone(s.A), B: tf.clone(s.B) }));
      weights.A.dispose();
      weights.B.dispose();
      return shards;
    };
    const lossScalerStep = (state: LossScalerState, grads: number[], options: { growthFactor: number; backoffFactor: number; growthInterval: number }) => {
      const result = dynamicLossScalerStep({ ...state }, [...grads], options);
      Object.assign(state, { scale: 0, growthTracker: -1 });
      grads.length = 0;
      return result;
    };
    expect(await failures("pipeline.columnRowSplit", { columnRowSplit })).toEqual([]);
    expect(await failures("precision.lossScaler", { lossScalerStep })).toEqual([]);
  });
});

describe("dp.zeroStage1 checks that each worker moves only its own shard", () => {
  const right = (
    params: Float32Array[],
    grads: Float32Array[],
    partitions: { start: number; end: number }[],
    update: (rank: number, w: Float32Array, g: Float32Array) => void,
    allGather: (pieces: Float32Array[]) => Float32Array[],
  ) => {
    params.forEach((theta, i) => update(i, theta.subarray(partitions[i]!.start, partitions[i]!.end), grads[i]!.subarray(partitions[i]!.start, partitions[i]!.end)));
    return allGather(params.map((theta, i) => theta.slice(partitions[i]!.start, partitions[i]!.end)));
  };

  it("the whole vector updated on every worker loses points: plain data parallelism, not ZeRO", async () => {
    const zeroStage1Step = (params: Float32Array[], grads: Float32Array[], _p: unknown, update: (rank: number, w: Float32Array, g: Float32Array) => void) => {
      params.forEach((theta, i) => update(i, theta, grads[i]!));
    };
    const outcomes = await runQuestionSuite(question("dp.zeroStage1"), HIDDEN, { zeroStage1Step });
    // only with one worker is the whole vector that worker's own partition
    expect(outcomes.filter((o) => o.passed).map((o) => o.name)).toEqual(["one worker owns everything: ZeRO stage 1 is plain Adam"]);
    for (const o of outcomes.filter((x) => !x.passed)) expect(o.message).toMatch(/own partition only .*updating the whole vector on every worker is plain data parallelism, not ZeRO/);
  });

  it("copying the updated shards between replicas directly, without the all-gather, loses points", async () => {
    const zeroStage1Step = (params: Float32Array[], grads: Float32Array[], partitions: { start: number; end: number }[], update: (rank: number, w: Float32Array, g: Float32Array) => void) => {
      params.forEach((theta, i) => update(i, theta.subarray(partitions[i]!.start, partitions[i]!.end), grads[i]!.subarray(partitions[i]!.start, partitions[i]!.end)));
      for (const theta of params) partitions.forEach((p, k) => theta.set(params[k]!.subarray(p.start, p.end), p.start));
    };
    const failed = await failures("dp.zeroStage1", { zeroStage1Step });
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(f).toMatch(/allGather was never called.*copying between params\[\] directly is not a collective/);
  });

  it("every shard updated from worker 0's replica loses points: each worker updates its own replica", async () => {
    const zeroStage1Step = (
      params: Float32Array[],
      grads: Float32Array[],
      partitions: { start: number; end: number }[],
      update: (rank: number, w: Float32Array, g: Float32Array) => void,
      allGather: (pieces: Float32Array[]) => Float32Array[],
    ) => {
      partitions.forEach((p, i) => update(i, params[0]!.subarray(p.start, p.end), grads[0]!.subarray(p.start, p.end)));
      const gathered = allGather(partitions.map((p) => params[0]!.slice(p.start, p.end)));
      params.forEach((theta, i) => theta.set(gathered[i]!));
    };
    const failed = await failures("dp.zeroStage1", { zeroStage1Step });
    expect(failed.some((f) => /worker 1 ran its optimizer on a slice of worker 0's parameters/.test(f))).toBe(true);
  });

  it("the all-gather of whole replicas instead of the updated partitions loses points", async () => {
    const zeroStage1Step = (
      params: Float32Array[],
      grads: Float32Array[],
      partitions: { start: number; end: number }[],
      update: (rank: number, w: Float32Array, g: Float32Array) => void,
      allGather: (pieces: Float32Array[]) => Float32Array[],
    ) => {
      params.forEach((theta, i) => update(i, theta.subarray(partitions[i]!.start, partitions[i]!.end), grads[i]!.subarray(partitions[i]!.start, partitions[i]!.end)));
      allGather(params.map((theta) => theta.slice()));
      const gathered = right(params.map((t) => t.slice()), grads, partitions, () => undefined, allGather);
      params.forEach((theta, i) => theta.set(gathered[i]!));
    };
    const failed = await failures("dp.zeroStage1", { zeroStage1Step });
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.join("\n")).toMatch(/allGather was called 2 times|sends only its own partition/);
  });
});
