/**
 * A ring of simulated workers that run one program each: the SPMD view of a collective.
 *
 * Real collectives (MPI, NCCL, torch.distributed) are written as the code *one* worker
 * runs: it sees its own buffer, its rank i and the number of workers n, and it talks to
 * the others only through messages. Here each worker gets a `RingCommunicator`:
 *
 *   comm.send(data)    sends a copy of `data` to worker (i + 1) mod n (it does not wait);
 *   await comm.recv()  returns the next message from worker (i − 1) mod n, in the order sent.
 *
 * `runRingProgram(program, buffers)` starts `program(comm, x)` on every worker at once
 * (each `await comm.recv()` lets the others run) and records every message in a trace,
 * in the vocabulary of trace.ts. Steps are counted per worker: a worker's step k runs
 * from its (k − 1)-th receive to its k-th, so a message belongs to step
 * 1 + (messages its sender had received when sending it). In a ring all-reduce every
 * worker sends exactly one chunk of about L/n floats per step, for 2(n − 1) steps
 * (Patarasuk & Yuan 2009, J. Parallel Distrib. Comput. 69(2), §4; ring.ts).
 *
 * The run also records which workers' data reached each worker through the messages it
 * received (directly or forwarded), so a checker can tell a worker that combined what it
 * received from one that used data no message brought it.
 */
import { chunkBoundaries, type ChunkBounds } from "./chunks";
import { FLOAT32_BYTES } from "../foundation/units";
import { collectiveResult, type CollectiveMessage, type CollectiveResult } from "./trace";
import { expectEqualBuffers } from "./validate";

/** What one worker of the ring sees. */
export interface RingCommunicator {
  /** i: this worker's index, 0..n−1. */
  readonly rank: number;
  /** n: the number of workers in the ring. */
  readonly size: number;
  /** Send a copy of `data` (e.g. `x.subarray(start, end)`) to worker (rank + 1) mod n. Does not wait. */
  send(data: Float32Array): void;
  /** The next message from worker (rank − 1) mod n (a Float32Array of its own), in the order it was sent. */
  recv(): Promise<Float32Array>;
}

/** The program every worker runs: it leaves its result in `x`, its own buffer, in place. */
export type RingProgram = (comm: RingCommunicator, x: Float32Array) => void | Promise<void>;

/** A program's run on the ring: outputs and trace, plus what each worker received. */
export interface RingRun extends CollectiveResult {
  /** messagesReceived[w]: how many messages worker w took with recv(). */
  readonly messagesReceived: number[];
  /**
   * informedBy[w][j]: true when worker j's data reached worker w through messages w
   * received (directly, or forwarded by workers between them); informedBy[w][w] is true.
   */
  readonly informedBy: boolean[][];
}

/** Options of runRingProgram. */
export interface RingRunOptions {
  /**
   * Stop a program that keeps sending after this many messages per worker (a ring
   * all-reduce sends 2(n − 1)). @default 4n + 16
   */
  readonly maxMessagesPerWorker?: number;
  /**
   * Stop when no worker has sent, received or finished for this long while some wait on
   * something other than comm.recv(). @default 10 (seconds)
   */
  readonly idleSeconds?: number;
}

/** One worker's communicator: an object of its own class, so that code handed it keeps this very object. */
class SimulatedRingCommunicator implements RingCommunicator {
  readonly #send: (data: Float32Array) => void;
  readonly #recv: () => Promise<Float32Array>;
  constructor(
    readonly rank: number,
    readonly size: number,
    endpoints: { send(data: Float32Array): void; recv(): Promise<Float32Array> },
  ) {
    this.#send = endpoints.send;
    this.#recv = endpoints.recv;
  }
  send(data: Float32Array): void {
    this.#send(data);
  }
  recv(): Promise<Float32Array> {
    return this.#recv();
  }
}

/** A message on its way: a copy of the data and what the sender knew when sending it. */
interface InFlight {
  readonly data: Float32Array;
  readonly informedBy: readonly boolean[];
}

/** One worker's side of the simulation. */
interface WorkerState {
  readonly inbox: InFlight[];
  waiting: ((data: Float32Array) => void) | undefined;
  sent: number;
  received: number;
  done: boolean;
  readonly informedBy: boolean[];
}

/**
 * Where `data` lies in `x`: a view of x's memory gives its exact position; a copy is
 * matched, by value, against the chunks of the same length (a view of a whole copy of x
 * counts as a view of x). Returns the element range
 * (0 to its length when the position is unknown) and the chunk index: which of
 * chunkBoundaries(L, n) it is, or -1 when it is none of them or empty (empty chunks
 * cannot be told apart).
 */
function locateMessage(x: Float32Array, data: Float32Array, bounds: readonly ChunkBounds[]): { chunk: number; start: number; end: number } {
  let start = -1;
  if (data.buffer === x.buffer || (x.byteOffset === 0 && data.buffer.byteLength === x.byteLength)) {
    // a view of x, or of a copy of the whole of x (x.slice()): its offset is its position
    const offset = (data.byteOffset - (data.buffer === x.buffer ? x.byteOffset : 0)) / FLOAT32_BYTES;
    if (Number.isInteger(offset) && offset >= 0 && offset + data.length <= x.length) start = offset;
  }
  if (start < 0) {
    const same = bounds.filter((b) => b.end - b.start === data.length && data.every((v, j) => Object.is(v, x[b.start + j])));
    if (same.length === 1) start = same[0]!.start;
  }
  if (start < 0) return { chunk: -1, start: 0, end: data.length }; // position unknown: only the size is recorded
  const chunk = bounds.findIndex((b) => b.start === start && b.end === start + data.length && data.length > 0);
  return { chunk, start, end: start + data.length };
}

/** The next turn of Node's event loop: every pending promise continuation has run by then. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Run `program` on n = buffers.length workers connected in a ring; worker i starts with a
 * copy of buffers[i] as its `x`.
 * @returns the workers' buffers after the program (outputs), every message (trace, steps
 *   counted per worker as above), bytes per worker, and what each worker received
 * @throws when a program throws (naming the worker), when every unfinished worker waits in
 *   recv() for a message nobody sends (a deadlock), or when a worker sends far too many messages
 * @example
 *   const run = await runRingProgram(async (comm, x) => { ... }, [new Float32Array([1, 2]), new Float32Array([3, 4])]);
 *   run.outputs; run.trace; run.bytesSent;
 */
export async function runRingProgram(program: RingProgram, buffers: readonly Float32Array[], options: RingRunOptions = {}): Promise<RingRun> {
  const length = expectEqualBuffers(buffers);
  const n = buffers.length;
  const maxMessages = options.maxMessagesPerWorker ?? 4 * n + 16;
  const bounds = chunkBoundaries(length, n);
  const xs = buffers.map((b) => b.slice());
  const trace: CollectiveMessage[] = [];
  const workers: WorkerState[] = xs.map((_, i) => ({
    inbox: [],
    waiting: undefined,
    sent: 0,
    received: 0,
    done: false,
    informedBy: Array.from({ length: n }, (_, j) => j === i),
  }));
  let progress = 0; // grows with every send, receive and finished program
  let failure: Error | undefined;

  const communicator = (i: number): RingCommunicator => {
    const me = workers[i]!;
    const right = (i + 1) % n;
    return new SimulatedRingCommunicator(i, n, {
      send(data: Float32Array): void {
        if (!(data instanceof Float32Array)) {
          throw new Error(`comm.send expects a Float32Array (e.g. x.subarray(start, end)), got ${Array.isArray(data) ? "a plain array" : typeof data}.`);
        }
        if (me.sent >= maxMessages) {
          throw new Error(`worker ${i} sent more than ${maxMessages} messages; a ring all-reduce sends 2(n − 1) = ${2 * (n - 1)}.`);
        }
        const step = me.received + 1; // a worker's step k ends with its k-th receive
        const phase = step <= n - 1 ? "reduce-scatter" : "all-gather";
        const { chunk, start, end } = locateMessage(xs[i]!, data, bounds);
        trace.push({ step, phase, from: i, to: right, chunk, start, end, bytes: data.length * FLOAT32_BYTES });
        me.sent += 1;
        progress += 1;
        const message: InFlight = { data: data.slice(), informedBy: me.informedBy.slice() };
        const receiver = workers[right]!;
        if (receiver.waiting !== undefined) {
          const deliver = receiver.waiting;
          receiver.waiting = undefined;
          take(right, message);
          deliver(message.data);
        } else {
          receiver.inbox.push(message);
        }
      },
      recv(): Promise<Float32Array> {
        if (me.waiting !== undefined) return Promise.reject(new Error(`worker ${i} called comm.recv() again before the previous one returned: await each receive.`));
        const message = me.inbox.shift();
        if (message !== undefined) {
          take(i, message);
          return Promise.resolve(message.data);
        }
        return new Promise((resolve) => (me.waiting = resolve));
      },
    });
  };

  /** Worker w takes a message: what the sender knew now reaches w. */
  const take = (w: number, message: InFlight): void => {
    const me = workers[w]!;
    me.received += 1;
    progress += 1;
    message.informedBy.forEach((known, j) => (me.informedBy[j] = me.informedBy[j]! || known));
  };

  xs.forEach((x, i) => {
    void (async () => program(communicator(i), x))().then(
      () => {
        workers[i]!.done = true;
        progress += 1;
      },
      (error: unknown) => {
        const text = error instanceof Error ? error.message : String(error);
        failure ??= new Error(`worker ${i}: ${text}`, { cause: error });
      },
    );
  });

  const idleMs = 1000 * (options.idleSeconds ?? 10);
  let lastProgress = { count: progress, at: Date.now() };
  for (;;) {
    const before = progress;
    await nextTurn();
    if (failure !== undefined) throw failure;
    if (workers.every((w) => w.done)) break;
    if (progress !== lastProgress.count) lastProgress = { count: progress, at: Date.now() };
    else if (Date.now() - lastProgress.at > idleMs) {
      const busy = workers.flatMap((w, i) => (w.done || w.waiting !== undefined ? [] : [i]));
      throw new Error(`no worker sent or received anything for ${idleMs / 1000} s: worker ${busy.join(", ")} waits for something other than comm.recv().`);
    }
    const stuck = workers.every((w) => w.done || (w.waiting !== undefined && w.inbox.length === 0));
    if (progress === before && stuck) {
      const waiting = workers.flatMap((w, i) => (w.done ? [] : [i]));
      throw new Error(
        `deadlock: worker${waiting.length > 1 ? "s" : ""} ${waiting.join(", ")} wait${waiting.length > 1 ? "" : "s"} in comm.recv() for a message nobody sends ` +
          `(messages sent per worker: [${workers.map((w) => w.sent).join(", ")}]). In each ring step every worker first sends, then receives.`,
      );
    }
  }
  trace.sort((a, b) => a.step - b.step || a.from - b.from); // stable: a worker's messages of one step stay in the order sent
  return {
    ...collectiveResult(xs, trace),
    messagesReceived: workers.map((w) => w.received),
    informedBy: workers.map((w) => w.informedBy),
  };
}
