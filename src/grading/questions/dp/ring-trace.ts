/**
 * What the grader checks in the trace of a ring all-reduce written as one worker's
 * program (src/parallel/ring-communicator.ts): the algorithm, not only the sums.
 *
 * For n workers and buffers of L floats (S = 4L bytes), the ring all-reduce of
 * Patarasuk & Yuan 2009 ("Bandwidth optimal all-reduce algorithms for clusters of
 * workstations", J. Parallel Distrib. Comput. 69(2), §4; the byte count is optimal by
 * their §3 lower bound, and is the ring term of the α-β cost model, cost-model.ts) takes
 *   - 2(n − 1) steps: n − 1 of reduce-scatter, then n − 1 of all-gather;
 *   - in each step, every worker sends exactly one chunk of about L/n floats to worker
 *     (i + 1) mod n and receives one from worker (i − 1) mod n;
 *   - so each worker sends 2(n − 1)/n · S bytes, and the workers send every element
 *     2(n − 1) times in all (2(n − 1)·L floats);
 *   - and a worker's result holds only data that reached it through the messages it
 *     received.
 * Each function returns the first violation as a sentence for the student, or undefined.
 */
import { FLOAT32_BYTES } from "../../../foundation/units";
import type { RingRun } from "../../../parallel/ring-communicator";

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;

/** "In each of the 2(n − 1) = 6 steps ..." — the rule, stated for n workers. */
export function ringStepRule(n: number): string {
  return (
    `In each of the 2(n − 1) = ${2 * (n - 1)} steps every worker sends one chunk (comm.send) to worker (i + 1) mod n, ` +
    `then takes one with await comm.recv() (Patarasuk & Yuan 2009, §4).`
  );
}

/**
 * Nothing was sent although n > 1: the answer is not a ring. `summedAnyway[w]` says whether
 * worker w ended with the full sum (which it can only have taken from outside the ring).
 */
export function noRingProblem(run: RingRun, summedAnyway: readonly boolean[]): string | undefined {
  const n = run.outputs.length;
  if (n <= 1 || run.trace.length > 0) return undefined;
  const summed = summedAnyway.findIndex(Boolean);
  const why = summed >= 0 ? ` Worker ${summed} summed data it never received: the other workers' buffers reach it only through comm.recv().` : "";
  return `no chunk was sent: this is not a ring.${why} ${ringStepRule(n)}`;
}

/**
 * A worker ended with the full sum although some worker's data never reached it through
 * the messages it received: it used data from outside the ring (a shared variable).
 */
export function unreceivedDataProblem(run: RingRun, summedAnyway: readonly boolean[]): string | undefined {
  for (let w = 0; w < run.outputs.length; w++) {
    const never = run.informedBy[w]!.map((known, j) => (known ? -1 : j)).filter((j) => j >= 0);
    if (never.length > 0 && summedAnyway[w]) {
      return (
        `worker ${w} summed data it never received: its result holds the values of worker${never.length > 1 ? "s" : ""} ${never.join(", ")}, ` +
        `but no chunk from ${never.length > 1 ? "them" : "it"} reached worker ${w} through comm.recv(), directly or forwarded. ` +
        `A worker sees only its own buffer and what it receives.`
      );
    }
  }
  return undefined;
}

/**
 * The shape of the schedule: one chunk of ⌊L/n⌋ or ⌈L/n⌉ floats per worker per step, in
 * steps 1, 2, …, 2(n − 1) with none skipped, and every message sent to a worker taken by it.
 */
export function ringScheduleProblem(run: RingRun, length: number): string | undefined {
  const n = run.outputs.length;
  const steps = 2 * (n - 1);
  const small = Math.floor(length / n);
  const large = Math.ceil(length / n);
  for (let w = 0; w < n; w++) {
    const mine = run.trace.filter((m) => m.from === w);
    for (let step = 1; step <= Math.max(steps, ...mine.map((m) => m.step)); step++) {
      const sent = mine.filter((m) => m.step === step);
      if (sent.length > 1) {
        return (
          `worker ${w} sent ${sent.length} chunks in step ${step}; a ring step sends one chunk to the next worker, then receives one. ` +
          `Send a chunk, await comm.recv(), and only then send the next.`
        );
      }
      const m = sent[0];
      if (m !== undefined && (m.bytes / FLOAT32_BYTES < small || m.bytes / FLOAT32_BYTES > large)) {
        const floats = m.bytes / FLOAT32_BYTES;
        const whole = floats === length && n > 1 ? " (its whole buffer)" : "";
        const size = small === large ? plural(small, "float") : `${small} or ${large} floats`;
        return (
          `worker ${w} sent ${plural(floats, "float")}${whole} in step ${step}; a ring step sends one chunk of about L/n = ${size} ` +
          `(lab.chunkBoundaries(${length}, ${n})), so that each worker sends 2(n − 1)/n · S bytes in all, not (n − 1) · S.`
        );
      }
      if (m === undefined && step <= steps && mine.some((later) => later.step > step)) {
        return `worker ${w} sent nothing in step ${step} but received; every step of the ring sends one chunk before it receives one. ${ringStepRule(n)}`;
      }
    }
    if (n > 1 && mine.length !== steps) {
      return (
        `worker ${w} sent chunks in ${plural(mine.length, "step")}; a ring all-reduce takes 2(n − 1) = ${steps} steps: ` +
        `n − 1 = ${n - 1} to reduce-scatter, then n − 1 = ${n - 1} to all-gather (Patarasuk & Yuan 2009, §4).`
      );
    }
    if (n === 1 && mine.length > 0) {
      return `worker 0 sent ${plural(mine.length, "chunk")} to itself; with one worker there is nothing to send (2(n − 1) = 0 steps).`;
    }
    if (run.messagesReceived[w] !== steps && n > 1) {
      return `worker ${w} took ${run.messagesReceived[w]} of the ${steps} chunks sent to it; every step ends with await comm.recv().`;
    }
  }
  return undefined;
}

/** Bytes: every element is sent 2(n − 1) times in all, 2(n − 1)/n · S bytes per worker when n divides L. */
export function ringBytesProblem(run: RingRun, length: number): string | undefined {
  const n = run.outputs.length;
  const floats = run.bytesSent.reduce((a, b) => a + b, 0) / FLOAT32_BYTES;
  if (floats === 2 * (n - 1) * length) return undefined;
  const perWorker = ((2 * (n - 1)) / n) * length * FLOAT32_BYTES;
  return (
    `the workers sent ${floats} floats in all; a ring all-reduce sends every element 2(n − 1) times: ${2 * (n - 1) * length} floats, ` +
    `about 2(n − 1)/n · S = ${Number(perWorker.toFixed(1))} bytes per worker (Patarasuk & Yuan 2009, §4). Cut the buffer with lab.chunkBoundaries(${length}, ${n}).`
  );
}
