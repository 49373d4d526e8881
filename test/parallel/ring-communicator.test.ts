import { describe, expect, it } from "vitest";
import { createRng } from "../../src/foundation/random";
import { chunkBoundaries, ringAllReduce, ringAllReduceWorker, runRingProgram, wrapIndex, type RingProgram } from "../../src/parallel";

function randomBuffers(n: number, length: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.normalArray(length));
}

describe("the ring program of one worker (ringAllReduceWorker) run on simulated workers", () => {
  it("gives the same bits and the same trace as the lock-step ringAllReduce, for 1 to 9 workers and lengths n does and does not divide", async () => {
    for (let n = 1; n <= 9; n++) {
      for (const length of [0, 1, 5, 8, 13, 36]) {
        const buffers = randomBuffers(n, length, 10 * n + length);
        const lockStep = ringAllReduce(buffers);
        const run = await runRingProgram(ringAllReduceWorker, buffers);
        expect(run.outputs, `n = ${n}, L = ${length}`).toEqual(lockStep.outputs);
        // an empty message (L < n) cannot tell which empty chunk it is: the program's trace records chunk -1
        expect(run.trace).toEqual(lockStep.trace.map((m) => (m.bytes === 0 ? { ...m, chunk: -1 } : m)));
        expect([run.steps, run.bytesSent, run.bytesReceived]).toEqual([lockStep.steps, lockStep.bytesSent, lockStep.bytesReceived]);
      }
    }
  });

  it("takes 2(n − 1) steps, one chunk of L/n floats per worker per step: 2(n − 1)/n · S bytes per worker (Patarasuk & Yuan 2009, §4)", async () => {
    // n = 4, L = 8 floats, S = 32 bytes: 6 steps of one 2-float (8-byte) chunk → 48 bytes = 2 · 3/4 · 32
    const run = await runRingProgram(ringAllReduceWorker, randomBuffers(4, 8, 1));
    expect(run.steps).toBe(6);
    for (let w = 0; w < 4; w++) {
      for (let step = 1; step <= 6; step++) {
        const sent = run.trace.filter((m) => m.from === w && m.step === step);
        expect(sent.map((m) => [m.to, m.bytes])).toEqual([[(w + 1) % 4, 8]]);
      }
    }
    expect(run.bytesSent).toEqual([48, 48, 48, 48]);
    expect(run.messagesReceived).toEqual([6, 6, 6, 6]);
    expect(run.informedBy.every((row) => row.every(Boolean))).toBe(true);
  });

  it("leaves the caller's buffers untouched and gives every worker its own output", async () => {
    const buffers = [new Float32Array([1, 2]), new Float32Array([3, 4])];
    const run = await runRingProgram(ringAllReduceWorker, buffers);
    expect(Array.from(buffers[0]!)).toEqual([1, 2]);
    expect(run.outputs.map((o) => Array.from(o))).toEqual([[4, 6], [4, 6]]);
    expect(run.outputs[0]).not.toBe(run.outputs[1]);
  });

  it("records a copied chunk at its place in the buffer when its values identify it, and the size alone otherwise", async () => {
    const copies: RingProgram = async (comm, x) => {
      const chunks = chunkBoundaries(x.length, comm.size);
      const own = chunks[comm.rank]!;
      comm.send(x.slice(own.start, own.end)); // a copy of the own chunk: found by value
      comm.send(new Float32Array([42])); // values found nowhere: position unknown
      await comm.recv();
      await comm.recv();
    };
    const run = await runRingProgram(copies, [new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8])]);
    expect(run.trace.filter((m) => m.from === 1).map((m) => [m.step, m.chunk, m.start, m.end, m.bytes])).toEqual([
      [1, 1, 2, 4, 8],
      [1, -1, 0, 1, 4],
    ]);
  });

  it("records the chunks of a program that works on a copy of its buffer (as a grader that copies inputs hands it) at their places", async () => {
    const onCopy: RingProgram = async (comm, x) => {
      expect(Object.getPrototypeOf(comm)).not.toBe(Object.prototype); // a communicator of its own class: copied by no one
      const copy = x.slice();
      await ringAllReduceWorker(comm, copy);
      x.set(copy);
    };
    const buffers = randomBuffers(4, 10, 8);
    const run = await runRingProgram(onCopy, buffers);
    expect(run.trace).toEqual(ringAllReduce(buffers).trace);
  });

  it("records whose data reached each worker: a worker that reads a shared array was informed by nobody", async () => {
    const shared: Float32Array[] = [];
    const readsShared: RingProgram = async (comm, x) => {
      shared[comm.rank] = x.slice();
      await Promise.resolve(); // every worker has stored its buffer
      x.fill(0);
      for (const b of shared) b.forEach((v, j) => (x[j] += v));
    };
    const run = await runRingProgram(readsShared, [new Float32Array([1]), new Float32Array([2]), new Float32Array([3])]);
    expect(run.outputs.map((o) => o[0])).toEqual([6, 6, 6]); // the right sums ...
    expect(run.trace).toEqual([]); // ... without a single message
    expect(run.informedBy).toEqual([
      [true, false, false],
      [false, true, false],
      [false, false, true],
    ]);
  });

  it("names a deadlock: every worker receives before it sends", async () => {
    const receivesFirst: RingProgram = async (comm, x) => {
      const got = await comm.recv();
      comm.send(x);
      x.set(got);
    };
    await expect(runRingProgram(receivesFirst, randomBuffers(3, 3, 2))).rejects.toThrow(/deadlock: workers 0, 1, 2 wait in comm.recv\(\) for a message nobody sends/);
  });

  it("names the worker whose program threw, and stops a worker that never stops sending", async () => {
    const throws: RingProgram = (comm) => {
      if (comm.rank === 2) throw new Error("index out of range");
    };
    await expect(runRingProgram(throws, randomBuffers(3, 3, 3))).rejects.toThrow(/^worker 2: index out of range/);
    const chatty: RingProgram = async (comm, x) => {
      for (;;) {
        comm.send(x);
        await comm.recv();
      }
    };
    await expect(runRingProgram(chatty, randomBuffers(2, 2, 4))).rejects.toThrow(/worker \d sent more than 24 messages; a ring all-reduce sends 2\(n − 1\) = 2/);
  });

  it("stops a program that waits for something other than a message", async () => {
    const waitsForever: RingProgram = async (comm) => {
      if (comm.rank === 1) await new Promise(() => {}); // never resolves
    };
    await expect(runRingProgram(waitsForever, randomBuffers(2, 2, 7), { idleSeconds: 0.05 })).rejects.toThrow(
      /no worker sent or received anything for 0.05 s: worker 1 waits for something other than comm.recv\(\)/,
    );
  });

  it("rejects a message that is not a Float32Array, and buffers of different lengths", async () => {
    const sendsArray: RingProgram = (comm) => comm.send([1, 2] as unknown as Float32Array);
    await expect(runRingProgram(sendsArray, randomBuffers(2, 2, 5))).rejects.toThrow(/comm.send expects a Float32Array .* got a plain array/);
    await expect(runRingProgram(ringAllReduceWorker, [new Float32Array(3), new Float32Array(2)])).rejects.toThrow(/got 2 on worker 1/);
  });

  it("delivers messages in the order sent: a worker may send its step's chunk before awaiting the previous one", async () => {
    // each worker sends its own value twice, then receives twice: FIFO order, steps 1 and 1
    const order: number[][] = [];
    const twice: RingProgram = async (comm, x) => {
      comm.send(Float32Array.of(comm.rank, 0));
      comm.send(Float32Array.of(comm.rank, 1));
      const a = await comm.recv();
      const b = await comm.recv();
      order[comm.rank] = [a[1]!, b[1]!, a[0]!];
      x.fill(0);
    };
    const run = await runRingProgram(twice, randomBuffers(3, 2, 6));
    expect(order).toEqual([[0, 1, 2], [0, 1, 0], [0, 1, 1]]);
    expect(run.trace.map((m) => m.step)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(wrapIndex(-1, 3)).toBe(2);
  });
});
