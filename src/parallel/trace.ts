/**
 * What a collective did, message by message.
 *
 * Every collective in this unit moves data between per-worker `Float32Array`
 * buffers and records each message: in which step it was sent, by whom, to whom,
 * which chunk (a contiguous slice of the buffer) and how many bytes. From the
 * trace we count bytes sent and received per worker, the quantity the cost model
 * (cost-model.ts) multiplies by β.
 */
import { FLOAT32_BYTES } from "../foundation/units";


/** The phase of a collective a message belongs to. */
export type CollectivePhase = "reduce-scatter" | "all-gather" | "gather" | "reduce" | "broadcast";

/** One message: `from` sends `chunk` (elements [start, end)) to `to` during `step`. */
export interface CollectiveMessage {
  /** 1-based step; messages of the same step travel at the same time. */
  readonly step: number;
  readonly phase: CollectivePhase;
  readonly from: number;
  readonly to: number;
  /** Index of the chunk sent, or -1 when the whole buffer is sent. */
  readonly chunk: number;
  /** First element sent. */
  readonly start: number;
  /** One past the last element sent. */
  readonly end: number;
  /** bytes = (end − start) · 4 */
  readonly bytes: number;
}

/** The outcome of a collective on n workers. */
export interface CollectiveResult {
  /** One output buffer per worker (new arrays, unless the caller asked to reduce in place). */
  readonly outputs: Float32Array[];
  /** Every message, in step order. */
  readonly trace: CollectiveMessage[];
  /** Number of communication steps. */
  readonly steps: number;
  /** bytes sent by each worker, [n] */
  readonly bytesSent: number[];
  /** bytes received by each worker, [n] */
  readonly bytesReceived: number[];
}

/** Append a message to `trace` and return it. */
export function recordCollectiveMessage(
  trace: CollectiveMessage[],
  step: number,
  phase: CollectivePhase,
  from: number,
  to: number,
  chunk: number,
  start: number,
  end: number,
): CollectiveMessage {
  const message: CollectiveMessage = { step, phase, from, to, chunk, start, end, bytes: (end - start) * FLOAT32_BYTES };
  trace.push(message);
  return message;
}

/** Sum the trace into bytes sent and received per worker. */
export function countTraceBytes(trace: readonly CollectiveMessage[], workers: number): {
  bytesSent: number[];
  bytesReceived: number[];
} {
  const bytesSent = new Array<number>(workers).fill(0);
  const bytesReceived = new Array<number>(workers).fill(0);
  for (const m of trace) {
    bytesSent[m.from]! += m.bytes;
    bytesReceived[m.to]! += m.bytes;
  }
  return { bytesSent, bytesReceived };
}

/** Assemble a result from outputs and trace. */
export function collectiveResult(outputs: Float32Array[], trace: CollectiveMessage[]): CollectiveResult {
  const steps = trace.reduce((s, m) => Math.max(s, m.step), 0);
  return { outputs, trace, steps, ...countTraceBytes(trace, outputs.length) };
}
