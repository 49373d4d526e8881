import { beforeAll, describe, expect, it } from "vitest";
import { dpQuestions } from "../../src/grading/questions/dp";
import { chunkBoundaries, ringAllGather, ringAllReduce as libraryRingAllReduce } from "../../src/parallel";
import { dpHiddenTests } from "./hidden/dp.hidden";
import { proveGradedLab, runQuestionSuite } from "./graded-suite";
import { initTensors } from "../../src/tensor";

// The replicas update their buffers with the optimization unit's tensor rules.
beforeAll(async () => {
  await initTensors();
});

/**
 * The reference answers, written as the notebook's answer cells are: the ring through the
 * library's ring (an oracle with the same chunk schedule), the step and ZeRO-1 by hand.
 */
const reference = {
  ringAllReduce: (buffers: Float32Array[]) => libraryRingAllReduce(buffers).outputs,
  dpStep(params: Float32Array[], grads: Float32Array[], shardSizes: number[], lr: number, allReduce: (b: Float32Array[]) => Float32Array[]) {
    const B = shardSizes.reduce((a, b) => a + b, 0);
    const g = allReduce(grads.map((gi, i) => gi.map((v) => (shardSizes[i]! / B) * v)));
    params.forEach((theta, i) => theta.forEach((v, j) => (theta[j] = v - lr * g[i]![j]!)));
  },
  zeroStage1Step(
    params: Float32Array[],
    grads: Float32Array[],
    partitions: { start: number; end: number }[],
    update: (rank: number, w: Float32Array, g: Float32Array) => void,
    allGather: (pieces: Float32Array[]) => Float32Array[],
  ) {
    params.forEach((theta, i) => update(i, theta.subarray(partitions[i]!.start, partitions[i]!.end), grads[i]!.subarray(partitions[i]!.start, partitions[i]!.end)));
    const gathered = allGather(params.map((theta, i) => theta.slice(partitions[i]!.start, partitions[i]!.end)));
    params.forEach((theta, i) => theta.set(gathered[i]!));
  },
};

describe("lab 3 (data parallelism) graded questions", () => {
  proveGradedLab({ lab: "dp", questions: dpQuestions, hidden: dpHiddenTests, reference, ids: ["dp.ringAllReduce", "dp.step", "dp.zeroStage1"] });

  it("a ring that sums directly passes (the values are what is graded), and one returning a single buffer is told to return one per worker", async () => {
    const direct = (buffers: Float32Array[]) => {
      const sum = new Float32Array(buffers[0]!.length);
      for (const b of buffers) b.forEach((v, j) => (sum[j] = sum[j]! + v));
      return buffers.map(() => sum.slice());
    };
    const ring = dpQuestions[0]!;
    expect((await runQuestionSuite(ring, [], { ringAllReduce: direct })).every((o) => o.passed)).toBe(true);
    const single = await runQuestionSuite(ring, [], { ringAllReduce: (b: Float32Array[]) => b[0] });
    expect(single.every((o) => !o.passed && /one Float32Array per worker/.test(o.message))).toBe(true);
  });

  it("the ring diagnosis reads contributions off base-8 codes (worker j holds 8^j): a contribution counted twice is named", async () => {
    // n = 2, L = 2: worker 1 adds its own chunk-0 value once more, so its element 0 reads
    // 8^0 + 2·8^1 = 17 = "21" in base 8: worker 0 once, worker 1 twice.
    const addsTwice = (buffers: Float32Array[]) => {
      const out = libraryRingAllReduce(buffers).outputs;
      const bounds = chunkBoundaries(out[0]!.length, buffers.length);
      for (let j = bounds[0]!.start; j < bounds[0]!.end; j++) out[1]![j] = out[1]![j]! + buffers[1]![j]!; // worker 1 adds its own chunk-0 value again
      return out;
    };
    const outcomes = await runQuestionSuite(dpQuestions[0]!, [], { ringAllReduce: addsTwice });
    expect(outcomes.some((o) => /reduced twice: worker 1's element 0 \(chunk 0 of .*\) counts the contribution of worker 1 more than once/.test(o.message))).toBe(true);
  });

  it("the ZeRO-1 harness's oracle holds: all-gathering each worker's partition of θ rebuilds θ on every worker", () => {
    const theta = Float32Array.from({ length: 10 }, (_, j) => j + 0.5);
    const pieces = chunkBoundaries(10, 4).map((b) => theta.slice(b.start, b.end));
    for (const out of ringAllGather(pieces).outputs) expect(Array.from(out)).toEqual(Array.from(theta));
  });

});
