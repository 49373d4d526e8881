/**
 * Lab 5 (notebooks/05-pipeline.ipynb): the graded questions on pipeline and tensor parallelism.
 *
 * Answer cells define exactly these functions, on the library's own types (src/pipeline/,
 * src/parallel/tensor-parallel.ts), so the notebook can hand the student's results to the
 * validator, the simulator and the plots:
 *
 *   pipeline.gpipe          gpipeSchedule(stages, microbatches)      -> PipelineSchedule
 *                           stage s runs F0 … F(m−1) B0 … B(m−1) (Huang et al. 2019, §2.2)
 *   pipeline.oneFOneB       oneFOneBSchedule(stages, microbatches)   -> PipelineSchedule
 *                           warm-up min(p − s − 1, m) forwards, steady F B pairs, cool-down
 *                           (Narayanan et al. 2021, §2.2.1; Megatron-LM's
 *                           forward_backward_pipelining_without_interleaving)
 *   pipeline.bubbleFraction bubbleFraction(timeline)                 -> number
 *                           Σ_s (T − b_s) / (p · T) (DESIGN.md, "Pipeline metrics")
 *   pipeline.columnRowSplit columnRowSplit(weights, t)               -> TensorParallelMlpShard[]
 *                           A by columns, B by rows (Shoeybi et al. 2019, §3, Figure 3a)
 *
 * A wrong schedule is compared with the schedules typical mistakes produce (warm-up of p
 * forwards, backward before forward, the other schedule, …) and the matching mistake is named.
 */
import { tf } from "../../tensor";
import { gpipeSchedule as referenceGpipe } from "../../pipeline/gpipe";
import { oneFOneBSchedule as referenceOneFOneB } from "../../pipeline/one-f-one-b";
import { naiveSchedule } from "../../pipeline/naive";
import { zbH1Schedule } from "../../pipeline/zero-bubble";
import { interleavedSchedule } from "../../pipeline/interleaved";
import { pipelineOp, pipelineOpLetter, type PipelineOp, type PipelineSchedule } from "../../pipeline/op";
import { findPipelineScheduleError } from "../../pipeline/validate";
import { simulatePipeline, type PipelineCosts, type PipelineTimeline } from "../../pipeline/simulate";
import { pipelineMetrics } from "../../pipeline/metrics";
import { splitMlpWeights, tensorParallelMlpForward, unsplitMlpForward, type MlpWeights } from "../../parallel/tensor-parallel";
import { createRng } from "../../foundation/random";
import { GradingError, type GradedTest, type Implementation, type Question } from "../question";
import { callGradedAnswer, isGradedTensor } from "./gd";

/** A graded test with the usual fields. */
export function pipelineTest(name: string, points: number, hint: string, run: (impl: Implementation) => void | Promise<void>): GradedTest {
  return { name, points, hint, run: async (impl) => run(impl) };
}

// ---------------------------------------------------------------------------------------
// Schedules: shape checks, text form, known mistakes
// ---------------------------------------------------------------------------------------

/** "F0 F1 B0 B1" (with chunks "F0.1"), at most `limit` ops. */
export function pipelineOpsText(ops: readonly PipelineOp[], limit = 16): string {
  const shown = ops.slice(0, limit).map((op) => `${pipelineOpLetter(op.kind)}${op.microbatch}${op.chunk === 0 ? "" : `.${op.chunk}`}`);
  return shown.join(" ") + (ops.length > limit ? " …" : "");
}

function sameOps(a: readonly PipelineOp[], b: readonly PipelineOp[]): boolean {
  return a.length === b.length && a.every((op, i) => op.kind === b[i]!.kind && op.microbatch === b[i]!.microbatch && op.chunk === b[i]!.chunk && op.stage === b[i]!.stage);
}

function sameSchedule(a: PipelineSchedule, b: PipelineSchedule): boolean {
  return a.perStage.length === b.perStage.length && a.perStage.every((ops, s) => sameOps(ops, b.perStage[s]!));
}

/** A schedule a typical mistake produces, and what to call it (completes "Looks like ..."). */
export interface ScheduleMistake {
  readonly schedule: PipelineSchedule;
  readonly description: string;
}

/** Build a schedule from a per-stage op list maker. */
function scheduleOf(name: string, p: number, m: number, opsOf: (s: number) => PipelineOp[]): PipelineSchedule {
  return { name, stages: p, microbatches: m, chunks: 1, splitBackward: false, perStage: Array.from({ length: p }, (_, s) => opsOf(s)) };
}

/** 1F1B with a warm-up rule `warmup(s)` and, optionally, B before F in the steady phase. */
function oneFOneBWith(p: number, m: number, warmup: (s: number) => number, backwardFirst = false): PipelineSchedule {
  return scheduleOf("1f1b", p, m, (s) => {
    const w = Math.max(0, Math.min(warmup(s), m));
    const ops: PipelineOp[] = [];
    for (let j = 0; j < w; j++) ops.push(pipelineOp("forward", s, j)); // warm-up
    for (let i = 0; i < m - w; i++) {
      const pair = [pipelineOp("forward", s, w + i), pipelineOp("backward", s, i)]; // steady 1F1B
      ops.push(...(backwardFirst ? pair.reverse() : pair));
    }
    for (let j = m - w; j < m; j++) ops.push(pipelineOp("backward", s, j)); // cool-down
    return ops;
  });
}

/** GPipe-shaped schedules with a given order of forwards and backwards. */
function gpipeWith(p: number, m: number, order: "backwards-first" | "backwards-reversed" | "f-b-per-microbatch"): PipelineSchedule {
  return scheduleOf("gpipe", p, m, (s) => {
    const F = Array.from({ length: m }, (_, j) => pipelineOp("forward", s, j));
    const B = Array.from({ length: m }, (_, j) => pipelineOp("backward", s, j));
    switch (order) {
      case "backwards-first":
        return [...B, ...F];
      case "backwards-reversed":
        return [...F, ...B.reverse()];
      case "f-b-per-microbatch":
        return F.flatMap((f, j) => [f, B[j]!]);
    }
  });
}

/** The schedules typical mistakes give for GPipe. */
export function gpipeMistakes(p: number, m: number): ScheduleMistake[] {
  return [
    { schedule: gpipeWith(p, m, "backwards-first"), description: "the backwards run before the forwards: a backward needs its own forward's activations, so run all m forwards first" },
    { schedule: gpipeWith(p, m, "backwards-reversed"), description: "the backwards run last micro-batch first (B(m−1) … B0); GPipe as drawn in Narayanan et al. 2021, Figure 3 runs B0 … B(m−1)" },
    { schedule: gpipeWith(p, m, "f-b-per-microbatch"), description: "each micro-batch's backward follows right after its forward (F0 B0 F1 B1 …): that is naive model parallelism repeated m times; GPipe runs all forwards, then all backwards" },
    { schedule: referenceOneFOneB(p, m), description: "this is 1F1B (warm-up, then alternating F and B), not GPipe: GPipe runs all forwards, then all backwards" },
  ];
}

/** The schedules typical mistakes give for 1F1B. */
export function oneFOneBMistakes(p: number, m: number): ScheduleMistake[] {
  return [
    { schedule: oneFOneBWith(p, m, () => p), description: "every stage warms up with p forwards instead of p − s − 1 (warm-up = min(p − s − 1, m), s = the stage's rank): the schedule is valid but holds more micro-batches than 1F1B" },
    { schedule: oneFOneBWith(p, m, (s) => p - s), description: "stage s warms up with p − s forwards, one too many: warm-up = min(p − s − 1, m)" },
    { schedule: oneFOneBWith(p, m, (s) => s), description: "the warm-up counts from the wrong end: the FIRST stage needs the longest warm-up, p − s − 1 (p − 1 on stage 0, none on the last stage)" },
    { schedule: oneFOneBWith(p, m, (s) => p - s - 1, true), description: "the steady phase runs backward before forward: each steady step is one forward F(w + i), THEN one backward B(i)" },
    { schedule: referenceGpipe(p, m), description: "this is GPipe (all forwards, then all backwards), not 1F1B" },
    {
      schedule: scheduleOf("1f1b", p, m, (s) => {
        const ops = [...referenceOneFOneB(p, m).perStage[s]!];
        const w = Math.min(p - s - 1, m);
        return [...ops.slice(0, ops.length - w), ...ops.slice(ops.length - w).reverse()];
      }),
      description: "the cool-down backwards run in reverse order: finish the backwards oldest micro-batch first, B(m − w) … B(m − 1)",
    },
  ];
}

/** Check the returned value has the shape of a PipelineSchedule (fields, one op list per stage). */
function expectScheduleShape(value: unknown, p: number, m: number, what: string): PipelineSchedule {
  if (typeof value !== "object" || value === null) throw new GradingError(`${what} should return a PipelineSchedule object, got ${value === null ? "null" : typeof value}.`);
  const schedule = value as Partial<PipelineSchedule>;
  if (!Array.isArray(schedule.perStage)) throw new GradingError(`${what}.perStage should be an array with one op list per stage, got ${typeof schedule.perStage}.`);
  if (schedule.perStage.length !== p) {
    throw new GradingError(`${what}.perStage has ${schedule.perStage.length} op lists, expected one per stage (p = ${p}).`, String(p), String(schedule.perStage.length));
  }
  const fields: [keyof PipelineSchedule, unknown][] = [["stages", p], ["microbatches", m], ["chunks", 1], ["splitBackward", false]];
  for (const [field, expected] of fields) {
    if (schedule[field] !== expected) {
      throw new GradingError(`${what}.${field} should be ${String(expected)}, got ${String(schedule[field])}. Fill in every field of PipelineSchedule (chunks 1 and splitBackward false without interleaving or W ops).`, String(expected), String(schedule[field]));
    }
  }
  schedule.perStage.forEach((ops, s) => {
    if (!Array.isArray(ops)) throw new GradingError(`${what}.perStage[${s}] should be an array of ops, got ${typeof ops}.`);
    ops.forEach((op: unknown, i) => {
      const o = op as Partial<PipelineOp> | null;
      if (typeof o !== "object" || o === null || typeof o.kind !== "string" || typeof o.stage !== "number" || typeof o.microbatch !== "number" || typeof o.chunk !== "number") {
        throw new GradingError(`${what}.perStage[${s}][${i}] is not an op: build ops with lab.pipelineOp(kind, stage, microbatch), which fills kind, stage, microbatch and chunk.`);
      }
    });
  });
  return schedule as PipelineSchedule;
}

/** Compare a student's schedule with the reference; name a known mistake or the first difference. */
function expectSchedule(received: PipelineSchedule, expected: PipelineSchedule, mistakes: readonly ScheduleMistake[], what: string): void {
  if (sameSchedule(received, expected)) return;
  const mistake = mistakes.find((k) => sameSchedule(received, k.schedule) && !sameSchedule(k.schedule, expected));
  const invalid = findPipelineScheduleError(received);
  const s = expected.perStage.findIndex((ops, stage) => !sameOps(received.perStage[stage]!, ops));
  const why = mistake ? ` Looks like ${mistake.description}.` : invalid !== undefined ? ` The validator says: ${invalid}` : "";
  throw new GradingError(
    `${what}: stage ${s} runs ${pipelineOpsText(received.perStage[s]!)}, not the expected order.${why}`,
    pipelineOpsText(expected.perStage[s]!),
    pipelineOpsText(received.perStage[s]!),
  );
}

// ---------------------------------------------------------------------------------------
// pipeline.gpipe
// ---------------------------------------------------------------------------------------

/** Check `gpipeSchedule(p, m)`; shared by public and hidden tests. */
export async function checkGpipeCase(impl: Implementation, p: number, m: number): Promise<void> {
  const what = `gpipeSchedule(${p}, ${m})`;
  const schedule = expectScheduleShape(await callGradedAnswer(impl, "pipeline.gpipe", "gpipeSchedule", p, m), p, m, what);
  expectSchedule(schedule, referenceGpipe(p, m), gpipeMistakes(p, m), what);
}

export const pipelineGpipeQuestion: Question = {
  id: "pipeline.gpipe",
  notebook: "05-pipeline.ipynb",
  title: "GPipe as data: all forwards, then all backwards, on every stage",
  exports: ["gpipeSchedule"],
  publicTests: [
    pipelineTest("p = 2, m = 2: both stages run F0 F1 B0 B1", 1, "Build each op with lab.pipelineOp(kind, s, j); stage s's list holds only ops with stage s.", (impl) => checkGpipeCase(impl, 2, 2)),
    pipelineTest("p = 4, m = 8: every stage runs F0 … F7, then B0 … B7", 2, "Two loops per stage: all forwards j = 0..m−1, then all backwards j = 0..m−1.", (impl) => checkGpipeCase(impl, 4, 8)),
    pipelineTest("p = 1..6 and m = 1..9, including m < p: the same pattern", 2, "Nothing depends on whether m ≥ p; fill name, stages, microbatches, chunks: 1, splitBackward: false.", async (impl) => {
      for (let p = 1; p <= 6; p++) for (const m of [1, 2, 3, 5, 9]) await checkGpipeCase(impl, p, m);
    }),
  ],
};

// ---------------------------------------------------------------------------------------
// pipeline.oneFOneB
// ---------------------------------------------------------------------------------------

/** Check `oneFOneBSchedule(p, m)`; shared by public and hidden tests. */
export async function checkOneFOneBCase(impl: Implementation, p: number, m: number): Promise<void> {
  const what = `oneFOneBSchedule(${p}, ${m})`;
  const schedule = expectScheduleShape(await callGradedAnswer(impl, "pipeline.oneFOneB", "oneFOneBSchedule", p, m), p, m, what);
  expectSchedule(schedule, referenceOneFOneB(p, m), oneFOneBMistakes(p, m), what);
}

export const pipelineOneFOneBQuestion: Question = {
  id: "pipeline.oneFOneB",
  notebook: "05-pipeline.ipynb",
  title: "1F1B (PipeDream-Flush): warm-up, steady one-forward-one-backward, cool-down",
  exports: ["oneFOneBSchedule"],
  publicTests: [
    pipelineTest("p = 3, m = 4: stage 0 runs F0 F1 | F2 B0 F3 B1 | B2 B3, the last stage F0 B0 F1 B1 …", 2, "Stage s warms up with w = min(p − s − 1, m) forwards, then m − w pairs F(w + i) B(i), then the w backwards left.", (impl) =>
      checkOneFOneBCase(impl, 3, 4),
    ),
    pipelineTest("p = 4, m = 8: the schedule of Narayanan et al. 2021, Figure 4 (top)", 2, "The last stage has no warm-up: it alternates F and B from the start.", (impl) => checkOneFOneBCase(impl, 4, 8)),
    pipelineTest("p = 1..6 and m = 1..9, including m < p (warm-up capped at m)", 2, "When m < p − s − 1 the warm-up is all m forwards and there is no steady phase.", async (impl) => {
      for (let p = 1; p <= 6; p++) for (const m of [1, 2, 3, 5, 9]) await checkOneFOneBCase(impl, p, m);
    }),
  ],
};

// ---------------------------------------------------------------------------------------
// pipeline.bubbleFraction
// ---------------------------------------------------------------------------------------

/** The bubble fraction the right answer and typical mistakes give for a timeline. */
export function bubbleFractionOutcomes(timeline: PipelineTimeline): { expected: number; mistakes: { value: number; description: string }[] } {
  const metrics = pipelineMetrics(timeline);
  const T = metrics.makespan;
  const p = timeline.schedule.stages;
  const totalIdle = metrics.busy.reduce((sum, b) => sum + (T - b), 0); // Σ_s (T − b_s)
  const totalBusy = metrics.busy.reduce((sum, b) => sum + b, 0);
  return {
    expected: metrics.bubbleFraction,
    mistakes: [
      { value: totalIdle / T, description: "the idle time was divided by the makespan T only: divide by the total stage-time p · T" },
      { value: totalBusy / (p * T), description: "this is the busy share, 1 − bubble: count the time stages are idle, T − b_s" },
      {
        // every stage does the same work, so b_s = ideal and (T − ideal)/ideal = Σ_s (T − b_s) / Σ_s b_s
        value: metrics.bubbleOverIdeal,
        description: "the idle time was divided by the busy time, which gives the bubble over ideal, (T − ideal)/ideal, a different metric: divide the idle stage-time by the total stage-time p · T",
      },
    ],
  };
}

/** Check `bubbleFraction(timeline)` against the library's metric. */
export async function checkBubbleFractionCase(impl: Implementation, timeline: PipelineTimeline, label: string): Promise<void> {
  const what = `bubbleFraction(${label})`;
  const received = await callGradedAnswer(impl, "pipeline.bubbleFraction", "bubbleFraction", timeline);
  if (typeof received !== "number") throw new GradingError(`${what} should return a number, got ${typeof received}.`);
  const { expected, mistakes } = bubbleFractionOutcomes(timeline);
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  if (close(received, expected)) return;
  const mistake = mistakes.find((k) => close(received, k.value) && !close(k.value, expected));
  const why = mistake ? ` Looks like ${mistake.description}.` : Number.isNaN(received) ? " It is NaN: check for a division by zero or an undefined field." : "";
  throw new GradingError(`${what} is not the idle share of all stage-time.${why}`, String(expected), String(received));
}

/** Timelines of the public tests, with their labels. */
export function bubbleFractionCase(kind: "gpipe" | "1f1b" | "naive" | "zb-h1" | "interleaved", p: number, m: number, costs: PipelineCosts = {}): [PipelineTimeline, string] {
  const schedule = ((): PipelineSchedule => {
    switch (kind) {
      case "gpipe":
        return referenceGpipe(p, m);
      case "1f1b":
        return referenceOneFOneB(p, m);
      case "naive":
        return naiveSchedule(p, m);
      case "zb-h1":
        return zbH1Schedule(p, m);
      case "interleaved":
        return interleavedSchedule(p, m, 2);
    }
  })();
  const costText = Object.keys(costs).length === 0 ? "" : `, ${Object.entries(costs).map(([k, v]) => `${k} ${v}`).join(", ")}`;
  return [simulatePipeline(schedule, costs), `${kind} p = ${p}, m = ${m}${costText}`];
}

export const pipelineBubbleFractionQuestion: Question = {
  id: "pipeline.bubbleFraction",
  notebook: "05-pipeline.ipynb",
  title: "Bubble fraction from a simulated timeline: idle stage-time ÷ (stages × makespan)",
  exports: ["bubbleFraction"],
  publicTests: [
    pipelineTest("naive model parallelism, p = 4: each stage idles 3/4 of the time, bubble 0.75", 1, "Each stage computes F and B of the one batch (2 of 8 time units); sum T − b_s over the stages.", (impl) =>
      checkBubbleFractionCase(impl, ...bubbleFractionCase("naive", 4, 1)),
    ),
    pipelineTest("GPipe p = 4, m = 8 with F = B = 1: (p − 1)/(m + p − 1) = 3/11", 2, "b_s = Σ (end − start) over stage s's ops; divide Σ_s (T − b_s) by p · T.", (impl) =>
      checkBubbleFractionCase(impl, ...bubbleFractionCase("gpipe", 4, 8)),
    ),
    pipelineTest("1F1B and ZB-H1 with unequal costs and communication time", 2, "Read each op's start and end from timeline.perStage[s] (b_s = Σ (end − start)); sum T − b_s over all p stages.", async (impl) => {
      await checkBubbleFractionCase(impl, ...bubbleFractionCase("1f1b", 3, 5, { forward: 1, backward: 2, communication: 0.25 }));
      await checkBubbleFractionCase(impl, ...bubbleFractionCase("zb-h1", 4, 6, { forward: 1, backward: 1, weight: 1 }));
    }),
  ],
};

// ---------------------------------------------------------------------------------------
// pipeline.columnRowSplit
// ---------------------------------------------------------------------------------------

/** MLP weights A [h, f] and B [f, h] from a seeded normal generator. */
export function pipelineMlpWeights(seed: number, h: number, f: number): MlpWeights {
  const rng = createRng(seed);
  return { A: tf.tensor2d(rng.normalArray(h * f), [h, f]), B: tf.tensor2d(rng.normalArray(f * h), [f, h]) };
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let d = 0;
  for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return Number.isNaN(d) ? Infinity : d;
}

/** Check `columnRowSplit({ A, B }, t)`: shapes, ranks, contiguous blocks, and Σ_i GeLU(X A_i) B_i = GeLU(X A) B. */
export async function checkColumnRowSplitCase(impl: Implementation, h: number, f: number, t: number, seed: number): Promise<void> {
  const what = `columnRowSplit(A [${h}, ${f}], B [${f}, ${h}], t = ${t})`;
  const weights = pipelineMlpWeights(seed, h, f);
  const expected = splitMlpWeights(weights, t);
  const X = tf.tensor2d(createRng(seed + 1).normalArray(3 * h), [3, h]);
  const created: tf.Tensor[] = [weights.A, weights.B, X, ...expected.flatMap((s) => [s.A, s.B])];
  try {
    const received = await callGradedAnswer(impl, "pipeline.columnRowSplit", "columnRowSplit", weights, t);
    if (!Array.isArray(received)) throw new GradingError(`${what} should return an array of t shards { rank, A, B }, got ${typeof received}.`);
    if (received.length !== t) throw new GradingError(`${what} returned ${received.length} shards, expected one per device (t = ${t}).`, String(t), String(received.length));
    received.forEach((shard: unknown, i) => {
      const sh = shard as { rank?: unknown; A?: tf.Tensor; B?: tf.Tensor } | null;
      if (typeof sh !== "object" || sh === null || !isGradedTensor(sh.A) || !isGradedTensor(sh.B)) {
        throw new GradingError(`${what}[${i}] should be { rank, A, B } with tfjs tensors A and B.`);
      }
      if (sh.rank !== i) throw new GradingError(`${what}[${i}].rank should be ${i} (shard i belongs to device i), got ${String(sh.rank)}.`, String(i), String(sh.rank));
      const shapeA = sh.A.shape.join(", ");
      const shapeB = sh.B.shape.join(", ");
      if (shapeA !== `${h}, ${f / t}`) {
        const why =
          shapeA === `${h / t}, ${f}`
            ? " Looks like A was split by rows (axis 0): Megatron splits the first weight A by COLUMNS (axis 1), so GeLU(X A_i) needs no communication."
            : shapeA === `${h}, ${f}`
              ? " Looks like A was not split: each device holds only f/t columns of A."
              : "";
        throw new GradingError(`${what}[${i}].A has shape [${shapeA}], expected [${h}, ${f / t}].${why}`, `[${h}, ${f / t}]`, `[${shapeA}]`);
      }
      if (shapeB !== `${f / t}, ${h}`) {
        const why =
          shapeB === `${f}, ${h / t}`
            ? " Looks like B was split by columns (axis 1): Megatron splits the second weight B by ROWS (axis 0), matching A's columns, so the partial outputs add up."
            : shapeB === `${f}, ${h}`
              ? " Looks like B was not split: each device holds only the f/t rows of B that match its columns of A."
              : "";
        throw new GradingError(`${what}[${i}].B has shape [${shapeB}], expected [${f / t}, ${h}].${why}`, `[${f / t}, ${h}]`, `[${shapeB}]`);
      }
    });
    const shards = received as { rank: number; A: tf.Tensor2D; B: tf.Tensor2D }[];
    created.push(...shards.flatMap((sh) => [sh.A, sh.B]));
    const tol = 1e-6;
    for (let i = 0; i < t; i++) {
      if (maxAbsDiff(shards[i]!.A, expected[i]!.A) > tol) {
        const j = expected.findIndex((e) => maxAbsDiff(shards[i]!.A, e.A) <= tol);
        const why = j >= 0 ? ` It holds the columns of device ${j}: device i holds columns i·f/t … (i + 1)·f/t − 1, in rank order.` : " Device i holds the contiguous block of columns i·f/t … (i + 1)·f/t − 1 (tf.split(A, t, 1)).";
        throw new GradingError(`${what}: device ${i}'s A_i is not the expected block of A's columns.${why}`);
      }
      if (maxAbsDiff(shards[i]!.B, expected[i]!.B) > tol) {
        const j = expected.findIndex((e) => maxAbsDiff(shards[i]!.B, e.B) <= tol);
        const why =
          j >= 0
            ? ` It holds the rows of device ${j}: A_i and B_i must come from the SAME block (B_i's rows match A_i's columns), or Σ_i GeLU(X A_i) B_i is not GeLU(X A) B.`
            : " Device i holds the contiguous block of rows i·f/t … (i + 1)·f/t − 1 (tf.split(B, t, 0)).";
        throw new GradingError(`${what}: device ${i}'s B_i is not the expected block of B's rows.${why}`);
      }
    }
    // the point of the split: the all-reduced partial outputs equal the unsplit MLP
    const parallel = tensorParallelMlpForward(X, shards);
    const unsplit = unsplitMlpForward(X, weights);
    created.push(parallel.output, ...parallel.partialOutputs, unsplit);
    const err = maxAbsDiff(parallel.output, unsplit);
    if (!(err <= 1e-4)) throw new GradingError(`${what}: Σ_i GeLU(X A_i) B_i differs from GeLU(X A) B by ${err.toExponential(2)}.`);
  } finally {
    created.forEach((x) => x.dispose());
  }
}

export const pipelineColumnRowSplitQuestion: Question = {
  id: "pipeline.columnRowSplit",
  notebook: "05-pipeline.ipynb",
  title: "Megatron's MLP split: A by columns, B by rows",
  exports: ["columnRowSplit"],
  publicTests: [
    pipelineTest("h = 2, f = 4, t = 2: A_i is [2, 2] and B_i is [2, 2]", 1, "A_i = columns of A (tf.split(A, t, 1)); B_i = rows of B (tf.split(B, t, 0)).", (impl) => checkColumnRowSplitCase(impl, 2, 4, 2, 501)),
    pipelineTest("h = 4, f = 16, t = 4: contiguous blocks in rank order, and Σ_i GeLU(X A_i) B_i = GeLU(X A) B", 2, "Shard i is { rank: i, A: A_i, B: B_i }, with A_i and B_i from the same block i.", (impl) => checkColumnRowSplitCase(impl, 4, 16, 4, 502)),
    pipelineTest("t = 1 keeps the whole layer; t = f gives one column per device", 1, "Nothing special about the edges: tf.split with t pieces.", async (impl) => {
      await checkColumnRowSplitCase(impl, 3, 6, 1, 503);
      await checkColumnRowSplitCase(impl, 3, 6, 6, 504);
    }),
  ],
};

/** Lab 5's questions, in notebook order. */
export const pipelineQuestions: readonly Question[] = [pipelineGpipeQuestion, pipelineOneFOneBQuestion, pipelineBubbleFractionQuestion, pipelineColumnRowSplitQuestion];
