import { beforeAll, describe, expect, it } from "vitest";
import { dpQuestions } from "../../src/grading/questions/dp";
import { chunkBoundaries, ringAllGather, ringAllReduceWorker, type RingCommunicator } from "../../src/parallel";
import { dpHiddenTests } from "./hidden/dp.hidden";
import { proveGradedLab, runQuestionSuite } from "./graded-suite";
import { initTensors } from "../../src/tensor";

// The replicas update their buffers with the optimization unit's tensor rules.
beforeAll(async () => {
  await initTensors();
});

/**
 * The reference answers, written as the notebook's answer cells are: the ring is the
 * library's program of one worker (the same send/recv schedule as the notebook's
 * solution), the step and ZeRO-1 by hand.
 */
const reference = {
  ringAllReduce: ringAllReduceWorker,
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

  it("a ring that sums directly (everything added into one array and copied back) now loses every point: no chunk was sent", async () => {
    const everyone: Float32Array[] = [];
    const direct = async (comm: RingCommunicator, x: Float32Array) => {
      everyone[comm.rank] = x.slice();
      await Promise.resolve(); // every worker has shared its buffer
      x.fill(0);
      for (let w = 0; w < comm.size; w++) everyone[w]!.forEach((v, j) => (x[j] = x[j]! + v));
    };
    const ring = dpQuestions[0]!;
    const outcomes = await runQuestionSuite(ring, dpHiddenTests, { ringAllReduce: direct });
    expect(outcomes.filter((o) => o.passed).map((o) => o.name)).toEqual([]);
    expect(outcomes[0]!.message).toBe(
      "ringAllReduce on 2 workers × 2 floats: no chunk was sent: this is not a ring. Worker 0 summed data it never received: the other workers' buffers reach it only through comm.recv(). " +
        "In each of the 2(n − 1) = 2 steps every worker sends one chunk (comm.send) to worker (i + 1) mod n, then takes one with await comm.recv() (Patarasuk & Yuan 2009, §4).",
    );
  });

  it("a ring that takes contributions from outside the ring is told which worker summed data it never received", async () => {
    // one real ring step (each worker sends its chunk i − 1 and receives one), then every
    // worker adds up the buffers the others left in a shared array
    const shared: Float32Array[] = [];
    const peeks = async (comm: RingCommunicator, x: Float32Array) => {
      shared[comm.rank] = x.slice();
      const chunk = chunkBoundaries(x.length, comm.size)[(comm.rank + comm.size - 1) % comm.size]!;
      comm.send(x.subarray(chunk.start, chunk.end));
      await comm.recv();
      x.fill(0);
      shared.forEach((b) => b.forEach((v, j) => (x[j] = x[j]! + v)));
    };
    const outcomes = await runQuestionSuite(dpQuestions[0]!, [], { ringAllReduce: peeks });
    expect(outcomes.every((o) => !o.passed)).toBe(true);
    // with 4 workers, worker 0 has heard from worker 3 (its left neighbour) only
    expect(outcomes[1]!.message).toMatch(
      /^ringAllReduce on 4 workers × 10 floats: worker 0 summed data it never received: its result holds the values of workers 1, 2, but no chunk from them reached worker 0 through comm\.recv\(\)/,
    );
  });

  it("an old-style answer that takes all buffers and returns the sums is told what went wrong, not credited", async () => {
    const oldStyle = (buffers: Float32Array[]) => buffers.map((b) => b.slice());
    const outcomes = await runQuestionSuite(dpQuestions[0]!, [], { ringAllReduce: oldStyle });
    expect(outcomes.every((o) => !o.passed)).toBe(true);
    expect(outcomes[0]!.message).toBe(
      "ringAllReduce on 2 workers × 2 floats: worker 0: ringAllReduce threw an error: buffers.map is not a function. " +
        "ringAllReduce(comm, x) is the program of one worker: it gets this worker's communicator and its own buffer x, not all the buffers.",
    );
  });

  it("the ring diagnosis reads contributions off base-8 codes (worker j holds 8^j): a contribution counted twice is named", async () => {
    // n = 2, L = 2: worker 1 adds its own chunk-0 value once more, so its element 0 reads
    // 8^0 + 2·8^1 = 17 = "21" in base 8: worker 0 once, worker 1 twice.
    const addsTwice = async (comm: RingCommunicator, x: Float32Array) => {
      const own = x.slice();
      await ringAllReduceWorker(comm, x);
      if (comm.rank !== 1) return;
      const chunk0 = chunkBoundaries(x.length, comm.size)[0]!;
      for (let j = chunk0.start; j < chunk0.end; j++) x[j] = x[j]! + own[j]!; // worker 1 adds its own chunk-0 value again
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
