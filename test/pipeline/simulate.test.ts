import { describe, expect, it } from "vitest";
import {
  closedFormBubbleOverIdeal,
  gpipeSchedule,
  pipelineInFlightOverTime,
  interleavedSchedule,
  naiveSchedule,
  oneFOneBSchedule,
  pipelineBubbleFraction,
  pipelineMetrics,
  pipelineOpDependencies,
  simulatePipeline,
  zbH1Schedule,
  type PipelineSchedule,
  type PipelineTimeline,
} from "../../src/pipeline";
import { createRng } from "../../src/foundation/random";
import { stageStrings } from "./helpers";

const GRID_P = [1, 2, 3, 4, 6, 8];
const GRID_M = [1, 2, 3, 4, 5, 8, 12, 16, 32];
const close = (received: number, expected: number): void => expect(received).toBeCloseTo(expected, 9);

/** "F0[0,1]" per op: the timeline in a form a person can check by hand. */
function timelineStrings(timeline: PipelineTimeline): string[] {
  return timeline.perStage.map((ops) =>
    ops.map((op) => `${op.kind[0]!.toUpperCase()}${op.microbatch}[${op.start},${op.end}]`).join(" "),
  );
}

describe("timelines worked by hand", () => {
  it("GPipe with p = 2, m = 2, F = 1, B = 2 takes (m + p − 1)(F + B) = 9", () => {
    // stage 0 streams F0 [0,1], F1 [1,2]; stage 1 runs each forward one step later, then its backwards;
    // stage 0's B0 waits for stage 1's B0 (ends at 5), B1 for stage 1's B1 (ends at 7).
    const timeline = simulatePipeline(gpipeSchedule(2, 2), { forward: 1, backward: 2, weight: 0 });
    expect(timelineStrings(timeline)).toEqual(["F0[0,1] F1[1,2] B0[5,7] B1[7,9]", "F0[1,2] F1[2,3] B0[3,5] B1[5,7]"]);
    expect(timeline.makespan).toBe(9);
    const metrics = pipelineMetrics(timeline);
    // busy 6 of 9 on each stage: bubble fraction 1/3 = (p − 1)/(m + p − 1); ideal 2·3 = 6, over ideal 3/6.
    close(metrics.bubbleFraction, 1 / 3);
    close(metrics.bubbleOverIdeal, 1 / 2);
    expect(metrics.peakInFlight).toEqual([2, 2]);
  });

  it("ZB-H1 with p = 2, m = 2 and F = B = W = 1 fills stage 0's tail with its W ops", () => {
    // stage 1 (last): F0 [1,2], B0 [2,3], F1 [3,4] (stage 0's F1 ended at 2, stage 1 was busy), B1 [4,5],
    //                  then its postponed W0 [5,6] and W1 [6,7]
    // stage 0: F0 [0,1], F1 [1,2], waits for stage 1's B0 (ends 3): B0 [3,4], W0 [4,5] fills the wait,
    //          B1 after stage 1's B1 (ends 5): [5,6], W1 [6,7]
    const timeline = simulatePipeline(zbH1Schedule(2, 2));
    expect(timelineStrings(timeline)).toEqual([
      "F0[0,1] F1[1,2] B0[3,4] W0[4,5] B1[5,6] W1[6,7]",
      "F0[1,2] B0[2,3] F1[3,4] B1[4,5] W0[5,6] W1[6,7]",
    ]);
    // makespan 7 = 3m + (p − 1): bubble over ideal (p − 1)/(3m) = 1/6
    close(pipelineMetrics(timeline).bubbleOverIdeal, 1 / 6);
  });

  it("communication time adds (p − 1)·2c to GPipe's makespan", () => {
    // forwards reach the last stage after (p − 1)(F + c); gradients return after (p − 1)(B + c):
    // T = m(F + B) + (p − 1)(F + B + 2c)
    for (const p of [2, 3, 5]) {
      for (const m of [1, 4, 7]) {
        const costs = { forward: 1.5, backward: 2.5, weight: 0, communication: 0.25 };
        const expected = m * 4 + (p - 1) * (4 + 2 * 0.25);
        close(simulatePipeline(gpipeSchedule(p, m), costs).makespan, expected);
      }
    }
  });
});

describe("closed forms with uniform costs, over a grid of p and m", () => {
  const check = (schedule: PipelineSchedule, expected: number, costs = {}): void => {
    const metrics = pipelineMetrics(simulatePipeline(schedule, costs));
    expect(metrics.bubbleOverIdeal, `${schedule.name} p=${schedule.stages} m=${schedule.microbatches}`).toBeCloseTo(expected, 9);
  };

  it("GPipe: bubble fraction (p − 1)/(m + p − 1) and bubble over ideal (p − 1)/m", () => {
    // Huang et al. 2019, §2.3: bubble overhead O((K − 1)/(M + K − 1)); Narayanan et al. 2021, §2.2.1: (p − 1)/m.
    for (const p of GRID_P) {
      for (const m of GRID_M) {
        const timeline = simulatePipeline(gpipeSchedule(p, m), { forward: 1, backward: 2, weight: 0 });
        const metrics = pipelineMetrics(timeline);
        close(pipelineBubbleFraction(timeline), (p - 1) / (m + p - 1));
        close(metrics.bubbleFraction, (p - 1) / (m + p - 1));
        close(metrics.bubbleOverIdeal, (p - 1) / m);
      }
    }
  });

  it("1F1B: the same (p − 1)/m as GPipe, for several backward/forward ratios", () => {
    // Narayanan et al. 2021, §2.2.1: "the bubble time is the same" for PipeDream-Flush.
    for (const p of GRID_P) {
      for (const m of GRID_M) {
        for (const backward of [1, 2, 3]) check(oneFOneBSchedule(p, m), (p - 1) / m, { forward: 1, backward, weight: 0 });
      }
    }
  });

  it("interleaved 1F1B: (p − 1)/(v·m)", () => {
    // Narayanan et al. 2021, §2.2.2: bubble time (p − 1)(t_f + t_b)/v, i.e. (p − 1)/(v·m) of the ideal m(t_f + t_b).
    for (const p of [1, 2, 3, 4, 8]) {
      for (const multiple of [1, 2, 3, 4]) {
        const m = p * multiple;
        for (const v of [1, 2, 3, 4]) {
          check(interleavedSchedule(p, m, v), (p - 1) / (v * m), { forward: 1, backward: 2, weight: 0 });
          check(interleavedSchedule(p, m, v), (p - 1) / (v * m), { forward: 1, backward: 1, weight: 1 });
        }
      }
    }
  });

  it("ZB-H1: (p − 1)/(3m) when F = B = W and m >= p", () => {
    // Qi et al. 2024, §2.1: ZB-H1's bubble is (p − 1)(T_F + T_B − T_W), a third of 1F1B's (p − 1)(T_F + T_B + T_W)
    // under the paper's assumption T_F = T_B = T_W (§2); the handcrafted schedules assume m >= p.
    for (const p of GRID_P) {
      for (const m of GRID_M) {
        if (m < p) continue;
        check(zbH1Schedule(p, m), (p - 1) / (3 * m));
        check(zbH1Schedule(p, m), (p - 1) / (3 * m), { forward: 2, backward: 2, weight: 2 });
      }
    }
  });

  it("the simulator agrees with closedFormBubbleOverIdeal for every named schedule", () => {
    for (const p of [2, 4]) {
      for (const m of [4, 8, 16]) {
        check(naiveSchedule(p, m), closedFormBubbleOverIdeal("naive", p, m));
        check(gpipeSchedule(p, m), closedFormBubbleOverIdeal("gpipe", p, m));
        check(oneFOneBSchedule(p, m), closedFormBubbleOverIdeal("1f1b", p, m));
        check(interleavedSchedule(p, m, 2), closedFormBubbleOverIdeal("interleaved", p, m, 2));
        check(zbH1Schedule(p, m), closedFormBubbleOverIdeal("zb-h1", p, m));
      }
    }
  });

  it("naive model parallelism keeps p − 1 of every p devices idle", () => {
    for (const p of GRID_P) {
      for (const m of [1, 3]) {
        const metrics = pipelineMetrics(simulatePipeline(naiveSchedule(p, m)));
        close(metrics.bubbleFraction, (p - 1) / p);
      }
    }
  });
});

describe("in-flight micro-batches", () => {
  it("1F1B's stage s holds at most p − s micro-batches, GPipe's holds m", () => {
    // Narayanan et al. 2021, §2.2.1: in-flight micro-batches bounded by the pipeline depth for PipeDream-Flush.
    for (const p of GRID_P) {
      for (const m of GRID_M) {
        const oneFOneB = pipelineMetrics(simulatePipeline(oneFOneBSchedule(p, m))).peakInFlight;
        const gpipe = pipelineMetrics(simulatePipeline(gpipeSchedule(p, m))).peakInFlight;
        for (let s = 0; s < p; s++) {
          expect(oneFOneB[s]).toBe(Math.min(p - s, m));
          expect(gpipe[s]).toBe(m);
        }
      }
    }
  });

  it("ZB-H1 holds at most p micro-batches on any stage, 1F1B's first-stage peak", () => {
    // Qi et al. 2024, §2.1: ZB-H1 keeps peak memory at 1F1B's, p micro-batches on the first stage.
    for (const p of GRID_P) {
      for (const m of GRID_M) {
        const peak = pipelineMetrics(simulatePipeline(zbH1Schedule(p, m))).peakInFlight;
        for (const n of peak) expect(n).toBeLessThanOrEqual(Math.min(p, m));
        // stage s postpones s weight gradients on top of 1F1B's p − s: every stage peaks at p when m >= p
        if (m >= p) expect(peak).toEqual(new Array<number>(p).fill(p));
      }
    }
  });

  it("the in-flight series starts at time 0, ends at 0 and moves by at most one micro-batch per step", () => {
    for (const schedule of [gpipeSchedule(4, 6), oneFOneBSchedule(4, 6), interleavedSchedule(2, 4, 2), zbH1Schedule(3, 5)]) {
      for (const series of pipelineInFlightOverTime(simulatePipeline(schedule))) {
        expect(series.time[0]).toBe(0);
        expect(series.inFlight[0]).toBe(series.stage === 0 ? 1 : 0); // stage 0 starts a forward at time 0
        expect(series.inFlight[series.inFlight.length - 1]).toBe(0);
        for (let i = 1; i < series.time.length; i++) {
          expect(series.time[i]).toBeGreaterThan(series.time[i - 1]!);
          expect(Math.abs(series.inFlight[i]! - series.inFlight[i - 1]!)).toBeLessThanOrEqual(1);
        }
        expect(series.activations.map((a) => a * schedule.chunks)).toEqual(series.inFlight);
      }
    }
  });
});

describe("an oracle: a clock-tick simulator on random valid schedules", () => {
  /**
   * Independent re-implementation: advance time one integer tick at a time; at each tick every idle
   * stage starts its next op if all its dependencies ended by then (plus c when they ran elsewhere).
   */
  function tickMakespan(schedule: PipelineSchedule, f: number, b: number, c: number): number {
    const p = schedule.stages;
    const endOf = new Map<string, number>();
    const key = (kind: string, s: number, j: number): string => `${kind}${s}:${j}`;
    const next = new Array<number>(p).fill(0);
    const busyUntil = new Array<number>(p).fill(0);
    let done = 0;
    const total = schedule.perStage.reduce((n, ops) => n + ops.length, 0);
    for (let t = 0; done < total; t++) {
      if (t > 10_000) throw new Error("tick simulator did not finish");
      for (let s = 0; s < p; s++) {
        if (busyUntil[s]! > t || next[s]! >= schedule.perStage[s]!.length) continue;
        const op = schedule.perStage[s]![next[s]!]!;
        const deps: [string, number][] =
          op.kind === "forward"
            ? s > 0 ? [[key("forward", s - 1, op.microbatch), c]] : []
            : [[key("forward", s, op.microbatch), 0], ...(s < p - 1 ? [[key("backward", s + 1, op.microbatch), c] as [string, number]] : [])];
        if (deps.every(([k, delay]) => endOf.has(k) && endOf.get(k)! + delay <= t)) {
          const end = t + (op.kind === "forward" ? f : b);
          endOf.set(key(op.kind, s, op.microbatch), end);
          busyUntil[s] = end;
          next[s]!++;
          done++;
        }
      }
    }
    return Math.max(...endOf.values());
  }

  /** A random schedule that is valid: pick any op whose dependencies already ran (a random topological order). */
  function randomSchedule(p: number, m: number, seed: number): PipelineSchedule {
    const rng = createRng(seed);
    const random = (n: number): number => rng.int(n);
    const forwarded: number[][] = Array.from({ length: p }, () => []);
    const perStage: { kind: "forward" | "backward"; stage: number; microbatch: number; chunk: number }[][] = Array.from({ length: p }, () => []);
    const nextF = new Array<number>(p).fill(0);
    const backwarded = Array.from({ length: p }, () => new Set<number>());
    let left = 2 * p * m;
    while (left > 0) {
      const s = random(p);
      const canF = nextF[s]! < m && (s === 0 || nextF[s - 1]! > nextF[s]!);
      const candidatesB = forwarded[s]!.filter((j) => !backwarded[s]!.has(j) && (s === p - 1 || backwarded[s + 1]!.has(j)));
      const options = (canF ? 1 : 0) + candidatesB.length;
      if (options === 0) continue;
      const pick = random(options);
      if (canF && pick === 0) {
        perStage[s]!.push({ kind: "forward", stage: s, microbatch: nextF[s]!, chunk: 0 });
        forwarded[s]!.push(nextF[s]!);
        nextF[s]!++;
      } else {
        const j = candidatesB[pick - (canF ? 1 : 0)]!;
        perStage[s]!.push({ kind: "backward", stage: s, microbatch: j, chunk: 0 });
        backwarded[s]!.add(j);
      }
      left--;
    }
    return { name: "random", stages: p, microbatches: m, chunks: 1, splitBackward: false, perStage };
  }

  it("the event simulator's makespan equals the tick simulator's on 60 random schedules", () => {
    let seed = 1;
    for (const p of [1, 2, 3, 4, 5]) {
      for (const m of [1, 2, 4, 6]) {
        for (let trial = 0; trial < 3; trial++) {
          const schedule = randomSchedule(p, m, seed++);
          const [f, b, c] = [1 + (seed % 2), 2 + (seed % 3), seed % 2];
          const event = simulatePipeline(schedule, { forward: f, backward: b, weight: 0, communication: c });
          expect(event.makespan, stageStrings(schedule).join(" | ")).toBe(tickMakespan(schedule, f, b, c));
        }
      }
    }
  });
});

describe("every simulated op honours its dependencies", () => {
  it("starts after each dependency ends (plus the transfer time across stages), for all schedules over a grid", () => {
    const c = 0.25;
    for (const p of [1, 2, 3, 4]) {
      for (const m of [1, 4, 8]) {
        const schedules = [naiveSchedule(p, m), gpipeSchedule(p, m), oneFOneBSchedule(p, m), zbH1Schedule(p, m)];
        if (m % p === 0) schedules.push(interleavedSchedule(p, m, 2), interleavedSchedule(p, m, 3));
        for (const schedule of schedules) {
          const timeline = simulatePipeline(schedule, { forward: 1, backward: 2, weight: 0.5, communication: c });
          const endOf = new Map<string, number>();
          const key = (op: { kind: string; stage: number; microbatch: number; chunk: number }): string =>
            `${op.kind}/${op.stage}/${op.microbatch}/${op.chunk}`;
          for (const ops of timeline.perStage) for (const op of ops) endOf.set(key(op), op.end);
          for (const ops of timeline.perStage) {
            for (const op of ops) {
              for (const d of pipelineOpDependencies(op, schedule)) {
                const ready = endOf.get(key(d))! + (d.stage === op.stage ? 0 : c);
                expect(op.start, `${schedule.name}: ${key(op)} after ${key(d)}`).toBeGreaterThanOrEqual(ready - 1e-12);
              }
            }
          }
        }
      }
    }
  });
});

describe("the timeline's two views", () => {
  it("typed start/end arrays and the op objects agree, in schedule order", () => {
    for (const schedule of [oneFOneBSchedule(3, 5), interleavedSchedule(2, 4, 3), zbH1Schedule(4, 4)]) {
      const timeline = simulatePipeline(schedule, { forward: 1, backward: 2, weight: 1, communication: 0.5 });
      timeline.perStage.forEach((ops, s) => {
        expect(ops.map((op) => op.start)).toEqual([...timeline.startTimes[s]!]);
        expect(ops.map((op) => op.end)).toEqual([...timeline.endTimes[s]!]);
        ops.forEach((op, n) => expect({ kind: op.kind, microbatch: op.microbatch, chunk: op.chunk }).toEqual({
          kind: schedule.perStage[s]![n]!.kind,
          microbatch: schedule.perStage[s]![n]!.microbatch,
          chunk: schedule.perStage[s]![n]!.chunk,
        }));
        // a stage runs one op at a time, in its order
        for (let n = 1; n < ops.length; n++) expect(ops[n]!.start).toBeGreaterThanOrEqual(ops[n - 1]!.end);
      });
      expect(timeline.makespan).toBe(Math.max(...timeline.endTimes.map((ends) => ends[ends.length - 1]!)));
    }
  });
});

describe("cost validation", () => {
  it("rejects negative or non-finite costs, naming the cost", () => {
    expect(() => simulatePipeline(gpipeSchedule(2, 2), { backward: -1 })).toThrow("Expected backward cost to be a finite number >= 0, got -1.");
    expect(() => simulatePipeline(gpipeSchedule(2, 2), { communication: Number.NaN })).toThrow(/communication cost/);
    expect(() => simulatePipeline(gpipeSchedule(2, 2), { forward: 0, backward: 0, weight: 0 })).toThrow(/not all 0/);
  });
});
