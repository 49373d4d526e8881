/**
 * What a simulated timeline costs: time lost to bubbles and activations held.
 *
 * With p stages, makespan T and busy time b_s of stage s (DESIGN.md, "Pipeline metrics"):
 *   bubbleFraction   = Σ_s (T − b_s) / (p · T)           idle share of all stage-time
 *   ideal            = m · (T_F + T_B + T_W)              one stage's work with no bubble
 *   bubbleOverIdeal  = (T − ideal) / ideal
 * For GPipe with uniform costs T = (m + p − 1)(T_F + T_B + T_W), which gives
 * bubbleFraction = (p − 1)/(m + p − 1) (Huang et al. 2019, §2.3) and
 * bubbleOverIdeal = (p − 1)/m (Narayanan et al. 2021, §2.2.1).
 *
 * In flight: a (micro-batch, chunk) pair is in flight on stage s from the start of
 * its forward until the end of its last backward op there (B, or W when the
 * backward is split, since W still reads the stored input), so its activations
 * are held for that long. `peakInFlight[s]` is the largest count; 1F1B keeps it
 * at p − s (Narayanan et al. 2021, §2.2.1: in PipeDream-Flush the outstanding forward
 * passes never exceed the number of pipeline stages), GPipe at m.
 */
import { type PipelineOp } from "./op";
import type { PipelineTimeline } from "./simulate";
import { assertNever } from "../foundation/assert-never";

export interface PipelineMetrics {
  /** T: end of the last op. */
  readonly makespan: number;
  /** m · (T_F + T_B + T_W). */
  readonly ideal: number;
  /** b_s: time stage s spends computing. [p] */
  readonly busy: readonly number[];
  /** Σ_s (T − b_s) / (p · T). */
  readonly bubbleFraction: number;
  /** (T − ideal) / ideal. */
  readonly bubbleOverIdeal: number;
  /** Most (micro-batch, chunk) pairs in flight on each stage at once. [p] */
  readonly peakInFlight: readonly number[];
}

/** In-flight activations on one stage, as a step function of time. */
export interface PipelineInFlightSeries {
  readonly stage: number;
  /** Times at which the count changes, ascending (starting at 0). */
  readonly time: readonly number[];
  /** (micro-batch, chunk) pairs held from `time[i]` on. */
  readonly inFlight: readonly number[];
  /** Activations held in units of one micro-batch through a whole stage: inFlight / v. */
  readonly activations: readonly number[];
}

/** Whether `op` is the last backward op of its (micro-batch, chunk) on its stage. */
function releasesActivations(op: PipelineOp, splitBackward: boolean): boolean {
  switch (op.kind) {
    case "forward":
      return false;
    case "backward":
      return !splitBackward;
    case "weight":
      return true;
    default:
      return assertNever(op);
  }
}

/**
 * The in-flight count of every stage over time. Each stage runs one op at a time,
 * so walking its ops in order visits its events in time order: +1 at a forward's
 * start, −1 at the end of the op that releases the activations.
 */
export function pipelineInFlightOverTime(timeline: PipelineTimeline): PipelineInFlightSeries[] {
  const { splitBackward, chunks } = timeline.schedule;
  return timeline.schedule.perStage.map((ops, stage) => {
    const starts = timeline.startTimes[stage]!;
    const ends = timeline.endTimes[stage]!;
    const time = [0];
    const inFlight = [0];
    let count = 0;
    const record = (t: number): void => {
      if (time[time.length - 1] === t) inFlight[inFlight.length - 1] = count;
      else {
        time.push(t);
        inFlight.push(count);
      }
    };
    for (let n = 0; n < ops.length; n++) {
      const op = ops[n]!;
      if (op.kind === "forward") {
        count += 1;
        record(starts[n]!);
      } else if (releasesActivations(op, splitBackward)) {
        count -= 1;
        record(ends[n]!);
      }
    }
    return { stage, time, inFlight, activations: inFlight.map((n) => n / chunks) };
  });
}

/** b_s: the time stage s spends computing, Σ (end − start) over its ops. [p] */
function stageBusyTimes(timeline: PipelineTimeline): number[] {
  return timeline.startTimes.map((starts, s) => {
    const ends = timeline.endTimes[s]!;
    let sum = 0;
    for (let n = 0; n < starts.length; n++) sum += ends[n]! - starts[n]!;
    return sum;
  });
}

/**
 * Bubble fraction: the idle share of all stage-time, Σ_s (T − b_s) / (p · T), 0 for an
 * empty timeline (DESIGN.md, "Pipeline metrics"; GPipe with uniform costs:
 * (p − 1)/(m + p − 1), Huang et al. 2019, §2.3).
 * The answer to the graded question `pipeline.bubbleFraction`.
 * @example
 *   pipelineBubbleFraction(simulatePipeline(gpipeSchedule(4, 8))); // 3/11
 */
export function pipelineBubbleFraction(timeline: PipelineTimeline): number {
  // BEGIN SOLUTION pipeline.bubbleFraction
  const T = timeline.makespan;
  const p = timeline.schedule.stages;
  const idle = stageBusyTimes(timeline).reduce((sum, b) => sum + (T - b), 0); // Σ_s (T − b_s)
  return T === 0 ? 0 : idle / (p * T);
  // STUDENT EDITION
  // return yours.answer<typeof pipelineBubbleFraction>("bubbleFraction")(timeline);
  // END SOLUTION
}

/**
 * Makespan, bubble and peak in-flight micro-batches of a simulated schedule.
 * @example
 *   const metrics = pipelineMetrics(simulatePipeline(oneFOneBSchedule(4, 8)));
 *   metrics.bubbleOverIdeal; // (p − 1)/m = 3/8
 *   metrics.peakInFlight;    // [4, 3, 2, 1]
 */
export function pipelineMetrics(timeline: PipelineTimeline): PipelineMetrics {
  // BEGIN SOLUTION pipeline.bubbleFraction
  const { schedule, costs, makespan } = timeline;
  const ideal = schedule.microbatches * (costs.forward + costs.backward + costs.weight);
  const peakInFlight = pipelineInFlightOverTime(timeline).map((series) => series.inFlight.reduce((a, b) => Math.max(a, b), 0));
  return {
    makespan,
    ideal,
    busy: stageBusyTimes(timeline),
    bubbleFraction: pipelineBubbleFraction(timeline),
    bubbleOverIdeal: (makespan - ideal) / ideal,
    peakInFlight,
  };
  // STUDENT EDITION KEEPS THIS BODY
  // END SOLUTION
}
