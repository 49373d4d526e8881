import { describe, expect, it } from "vitest";
import {
  buildPipelineSchedule,
  findPipelineScheduleError,
  gpipeSchedule,
  interleavedSchedule,
  interleavedWarmup,
  naiveSchedule,
  oneFOneBSchedule,
  oneFOneBWarmup,
  PIPELINE_SCHEDULE_NAMES,
  pipelineOpIndex,
  zbH1Schedule,
  type PipelineSchedule,
} from "../../src/pipeline";
import { stageStrings } from "./helpers";

const GRID_P = [1, 2, 3, 4, 5, 8];
const GRID_M = [1, 2, 3, 4, 6, 8, 12, 16];

/** Every schedule the generators produce over the grid (interleaved only where m is a multiple of p). */
function* gridSchedules(): Generator<PipelineSchedule> {
  for (const p of GRID_P) {
    for (const m of GRID_M) {
      for (const schedule of PIPELINE_SCHEDULE_NAMES) {
        if (schedule === "interleaved") {
          if (m % p !== 0) continue;
          for (const chunks of [1, 2, 3]) yield buildPipelineSchedule({ schedule, stages: p, microbatches: m, chunks });
        } else {
          yield buildPipelineSchedule({ schedule, stages: p, microbatches: m });
        }
      }
    }
  }
}

describe("schedules worked by hand", () => {
  it("naive model parallelism runs one micro-batch forward and backward before the next", () => {
    expect(stageStrings(naiveSchedule(2, 2))).toEqual(["F0 B0 F1 B1", "F0 B0 F1 B1"]);
  });

  it("GPipe runs all forwards, then all backwards, on every stage", () => {
    // Huang et al. 2019, Figure 2(c); backwards in ascending order as in Narayanan et al. 2021, Figure 3.
    expect(stageStrings(gpipeSchedule(2, 3))).toEqual(["F0 F1 F2 B0 B1 B2", "F0 F1 F2 B0 B1 B2"]);
  });

  it("1F1B with p = 3, m = 4 has warm-up p − s − 1, steady 1F1B, then cool-down", () => {
    // stage 0: warm-up min(3 − 0 − 1, 4) = 2 forwards: F0 F1 | steady F2 B0 F3 B1 | cool-down B2 B3
    // stage 1: warm-up 1: F0 | F1 B0 F2 B1 F3 B2 | B3
    // stage 2: warm-up 0:      F0 B0 F1 B1 F2 B2 F3 B3
    expect(stageStrings(oneFOneBSchedule(3, 4))).toEqual([
      "F0 F1 F2 B0 F3 B1 B2 B3",
      "F0 F1 B0 F2 B1 F3 B2 B3",
      "F0 B0 F1 B1 F2 B2 F3 B3",
    ]);
  });

  it("1F1B's warm-up is Megatron's min(p − rank − 1, m)", () => {
    expect([0, 1, 2, 3].map((s) => oneFOneBWarmup(4, s, 8))).toEqual([3, 2, 1, 0]);
    expect([0, 1, 2, 3].map((s) => oneFOneBWarmup(4, s, 2))).toEqual([2, 2, 1, 0]);
  });

  it("interleaved 1F1B with p = 2, m = 4, v = 2 follows Megatron's virtual micro-batch order", () => {
    // Virtual micro-batch k -> (micro-batch, chunk): forward chunk ⌊(k mod 4)/2⌋, micro-batch ⌊k/4⌋·2 + k mod 2:
    //   k: 0    1    2    3    4    5    6    7
    //      0.0  1.0  0.1  1.1  2.0  3.0  2.1  3.1     (backward: chunk reversed, 0.1 1.1 0.0 1.0 ...)
    // warm-up stage 0: 2(2 − 0 − 1) + (2 − 1)·2 = 4; stage 1: 0 + 2 = 2.
    expect(interleavedWarmup(2, 0, 4, 2)).toBe(4);
    expect(interleavedWarmup(2, 1, 4, 2)).toBe(2);
    expect(stageStrings(interleavedSchedule(2, 4, 2), true)).toEqual([
      "F0.0 F1.0 F0.1 F1.1 F2.0 B0.1 F3.0 B1.1 F2.1 B0.0 F3.1 B1.0 B2.1 B3.1 B2.0 B3.0",
      "F0.0 F1.0 F0.1 B0.1 F1.1 B1.1 F2.0 B0.0 F3.0 B1.0 F2.1 B2.1 F3.1 B3.1 B2.0 B3.0",
    ]);
  });

  it("interleaved 1F1B runs every forward first when m = p, as Megatron does", () => {
    expect(interleavedWarmup(4, 3, 4, 2)).toBe(8);
  });

  it("ZB-H1 lets stage s postpone s weight-gradient ops", () => {
    // stage 0 (postpones 0): warm-up F0 | F1 B0 W0 | cool-down B1 W1
    // stage 1 (postpones 1): F0 B0 | F1 B1 W0 | tail W1
    expect(stageStrings(zbH1Schedule(2, 2))).toEqual(["F0 F1 B0 W0 B1 W1", "F0 B0 F1 B1 W0 W1"]);
  });
});

describe("generated schedules over a grid of p and m", () => {
  it("every generated schedule passes the validator", () => {
    let count = 0;
    for (const schedule of gridSchedules()) {
      const error = findPipelineScheduleError(schedule);
      expect(error, `${schedule.name} p=${schedule.stages} m=${schedule.microbatches} v=${schedule.chunks}`).toBeUndefined();
      count++;
    }
    expect(count).toBeGreaterThan(150);
  });

  it("every op appears exactly once: 2·m·v per stage, 3·m with split backward", () => {
    for (const schedule of gridSchedules()) {
      const perMicrobatch = schedule.splitBackward ? 3 : 2;
      const seen = new Set<number>();
      for (const ops of schedule.perStage) {
        expect(ops.length).toBe(perMicrobatch * schedule.microbatches * schedule.chunks);
        for (const op of ops) seen.add(pipelineOpIndex(op, schedule));
      }
      expect(seen.size).toBe(perMicrobatch * schedule.microbatches * schedule.chunks * schedule.stages);
    }
  });

  it("1F1B and GPipe differ only in order: the same ops on each stage", () => {
    for (const p of GRID_P) {
      for (const m of GRID_M) {
        const sorted = (s: PipelineSchedule): string[] => stageStrings(s).map((t) => t.split(" ").sort().join(" "));
        expect(sorted(oneFOneBSchedule(p, m))).toEqual(sorted(gpipeSchedule(p, m)));
      }
    }
  });

  it("interleaved 1F1B rejects m that is not a multiple of p, naming the fix", () => {
    expect(() => interleavedSchedule(4, 6, 2)).toThrow(/multiple of stages \(4\).*got 6.*e\.g\. 8/);
  });

  it("generators reject sizes that are not integers >= 1", () => {
    expect(() => gpipeSchedule(0, 4)).toThrow("Expected stages to be an integer >= 1, got 0.");
    expect(() => oneFOneBSchedule(4, 2.5)).toThrow("Expected microbatches to be an integer >= 1, got 2.5.");
    expect(() => interleavedSchedule(2, 4, 0)).toThrow("Expected chunks to be an integer >= 1, got 0.");
  });
});
