import { describe, expect, it } from "vitest";
import { noRingProblem, ringBytesProblem, ringScheduleProblem, unreceivedDataProblem } from "../../src/grading/questions/dp/ring-trace";
import { chunkBoundaries, ringAllReduceWorker, runRingProgram, type RingProgram, type RingRun } from "../../src/parallel";

const zeros = (n: number, length: number) => Array.from({ length: n }, () => new Float32Array(length));

/** Every problem the checks find in a run, in the grader's order. */
function problems(run: RingRun, length: number, summed: boolean[] = run.outputs.map(() => false)): (string | undefined)[] {
  return [noRingProblem(run, summed), unreceivedDataProblem(run, summed), ringScheduleProblem(run, length), ringBytesProblem(run, length)];
}

describe("the checks of a ring all-reduce's trace (Patarasuk & Yuan 2009, §4)", () => {
  it("find nothing wrong with the ring, for 1 to 6 workers and lengths n does and does not divide", async () => {
    for (let n = 1; n <= 6; n++) {
      for (const length of [0, 1, 6, 7, 12]) {
        const run = await runRingProgram(ringAllReduceWorker, zeros(n, length));
        expect(problems(run, length), `n = ${n}, L = ${length}`).toEqual([undefined, undefined, undefined, undefined]);
      }
    }
  });

  it("name a step skipped: worker 0 receives twice before it sends its second chunk", async () => {
    // 2 workers, 2 floats: worker 1 follows the ring; worker 0 sends at steps 1 and 3 only
    const skips: RingProgram = async (comm, x) => {
      if (comm.rank !== 0) return ringAllReduceWorker(comm, x);
      comm.send(x.subarray(1, 2));
      await comm.recv();
      await comm.recv();
      comm.send(x.subarray(0, 1));
    };
    const run = await runRingProgram(skips, zeros(2, 2));
    expect(run.trace.filter((m) => m.from === 0).map((m) => m.step)).toEqual([1, 3]);
    expect(ringScheduleProblem(run, 2)).toMatch(/^worker 0 sent nothing in step 2 but received; every step of the ring sends one chunk before it receives one\./);
  });

  it("name a deadlock when a worker receives where its neighbour waits for a chunk", async () => {
    // 3 workers, 6 floats: worker 1 sends 2 of the 4 chunks its right neighbour waits for
    const starves: RingProgram = async (comm, x) => {
      if (comm.rank !== 1) return ringAllReduceWorker(comm, x);
      comm.send(x.subarray(0, 2));
      await comm.recv();
      await comm.recv();
      comm.send(x.subarray(2, 4));
      await comm.recv();
      await comm.recv();
    };
    await expect(runRingProgram(starves, zeros(3, 6))).rejects.toThrow(/^deadlock: workers 0, 2 wait in comm\.recv\(\) for a message nobody sends \(messages sent per worker: \[\d, 2, \d\]\)/);
  });

  it("name a worker that sends in too few steps, and one that leaves chunks unread", async () => {
    // every worker runs only the reduce-scatter: n − 1 of the 2(n − 1) steps
    const halfRing: RingProgram = async (comm, x) => {
      const chunks = chunkBoundaries(x.length, comm.size);
      for (let k = 1; k < comm.size; k++) {
        const c = chunks[(comm.rank - k + 2 * comm.size) % comm.size]!;
        comm.send(x.subarray(c.start, c.end));
        await comm.recv();
      }
    };
    const half = await runRingProgram(halfRing, zeros(4, 8));
    expect(ringScheduleProblem(half, 8)).toBe(
      "worker 0 sent chunks in 3 steps; a ring all-reduce takes 2(n − 1) = 6 steps: n − 1 = 3 to reduce-scatter, then n − 1 = 3 to all-gather (Patarasuk & Yuan 2009, §4).",
    );
    // the whole ring, except that worker 2 never reads its last chunk
    const leaves: RingProgram = async (comm, x) => {
      const chunks = chunkBoundaries(x.length, comm.size);
      const n = comm.size;
      for (let s = 1; s <= 2 * (n - 1); s++) {
        const c = chunks[(comm.rank - s + 2 * n) % n]!;
        comm.send(x.subarray(c.start, c.end));
        if (comm.rank !== 2 || s < 2 * (n - 1)) await comm.recv();
      }
    };
    expect(ringScheduleProblem(await runRingProgram(leaves, zeros(3, 6)), 6)).toBe("worker 2 took 3 of the 4 chunks sent to it; every step ends with await comm.recv().");
  });

  it("name a chunk of the wrong size, and a ring with one worker that sends to itself", async () => {
    const tooBig: RingProgram = async (comm, x) => {
      for (let k = 1; k <= 2 * (comm.size - 1); k++) {
        comm.send(x.subarray(0, 3)); // 3 floats where L/n = 2
        await comm.recv();
      }
    };
    expect(ringScheduleProblem(await runRingProgram(tooBig, zeros(2, 4)), 4)).toMatch(/^worker 0 sent 3 floats in step 1; a ring step sends one chunk of about L\/n = 2 floats \(lab\.chunkBoundaries\(4, 2\)\)/);
    const toItself: RingProgram = async (comm, x) => {
      comm.send(x);
      await comm.recv();
    };
    expect(ringScheduleProblem(await runRingProgram(toItself, zeros(1, 3)), 3)).toBe(
      "worker 0 sent 1 chunk to itself; with one worker there is nothing to send (2(n − 1) = 0 steps).",
    );
  });

  it("count the bytes: every element sent 2(n − 1) times in all, 2(n − 1)/n · S bytes per worker", async () => {
    // chunks of ⌊7/3⌋ = 2 floats leave the 7th float out: 2 · 2 · 3 · 2 = 24 floats sent instead of 2 · 2 · 7 = 28
    const floorChunks: RingProgram = async (comm, x) => {
      for (let k = 1; k <= 2 * (comm.size - 1); k++) {
        const c = ((comm.rank - k) % comm.size + comm.size) % comm.size;
        comm.send(x.subarray(2 * c, 2 * c + 2));
        await comm.recv();
      }
    };
    const run = await runRingProgram(floorChunks, zeros(3, 7));
    expect(ringScheduleProblem(run, 7)).toBeUndefined();
    expect(ringBytesProblem(run, 7)).toBe(
      "the workers sent 24 floats in all; a ring all-reduce sends every element 2(n − 1) times: 28 floats, about 2(n − 1)/n · S = 37.3 bytes per worker " +
        "(Patarasuk & Yuan 2009, §4). Cut the buffer with lab.chunkBoundaries(7, 3).",
    );
  });

  it("say 'not a ring' only when nothing was sent, and name data no message brought only for a worker that summed it", async () => {
    const silent: RingProgram = () => undefined;
    const run = await runRingProgram(silent, zeros(3, 3));
    expect(noRingProblem(run, [false, false, false])).toMatch(/^no chunk was sent: this is not a ring\. In each of the 2\(n − 1\) = 4 steps/);
    expect(noRingProblem(run, [false, true, false])).toMatch(/^no chunk was sent: this is not a ring\. Worker 1 summed data it never received/);
    expect(unreceivedDataProblem(run, [false, false, false])).toBeUndefined();
    expect(unreceivedDataProblem(run, [false, false, true])).toMatch(/^worker 2 summed data it never received: its result holds the values of workers 0, 1, but no chunk from them reached worker 2/);
    expect(noRingProblem(await runRingProgram(silent, zeros(1, 3)), [true])).toBeUndefined(); // one worker: nothing to send
  });
});
