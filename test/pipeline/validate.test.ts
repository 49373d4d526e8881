import { describe, expect, it } from "vitest";
import {
  findPipelineScheduleError,
  interleavedSchedule,
  oneFOneBSchedule,
  PipelineScheduleError,
  simulatePipeline,
  validatePipelineSchedule,
  type PipelineOp,
  type PipelineSchedule,
} from "../../src/pipeline";
import { handSchedule } from "./helpers";

/** Replace stage s's op list. */
function withStage(schedule: PipelineSchedule, s: number, ops: readonly PipelineOp[]): PipelineSchedule {
  return { ...schedule, perStage: schedule.perStage.map((list, i) => (i === s ? ops : list)) };
}

describe("the validator accepts correct hand-written schedules", () => {
  it("accepts a hand-written 1F1B for p = 2, m = 2 and returns it", () => {
    const schedule = handSchedule(["F0 F1 B0 B1", "F0 B0 F1 B1"], 2);
    expect(validatePipelineSchedule(schedule)).toBe(schedule);
  });

  it("accepts backwards in reverse micro-batch order (GPipe as in its paper's figure)", () => {
    expect(findPipelineScheduleError(handSchedule(["F0 F1 B1 B0", "F0 F1 B1 B0"], 2))).toBeUndefined();
  });

  it("accepts 1F1B with a warm-up of p forwards on every stage: valid, only more memory", () => {
    // The mutant "warm-up p instead of p − s − 1" is a legal schedule; its peak memory is what gives it away.
    const p = 4;
    const m = 8;
    const perStage = Array.from({ length: p }, (_, s) => {
      const ops: PipelineOp[] = [];
      for (let j = 0; j < p; j++) ops.push({ kind: "forward", stage: s, microbatch: j, chunk: 0 });
      for (let i = 0; i < m - p; i++) {
        ops.push({ kind: "forward", stage: s, microbatch: p + i, chunk: 0 });
        ops.push({ kind: "backward", stage: s, microbatch: i, chunk: 0 });
      }
      for (let j = m - p; j < m; j++) ops.push({ kind: "backward", stage: s, microbatch: j, chunk: 0 });
      return ops;
    });
    const mutant: PipelineSchedule = { ...oneFOneBSchedule(p, m), name: "mutant", perStage };
    expect(findPipelineScheduleError(mutant)).toBeUndefined();
  });
});

describe("the validator names the first violated rule", () => {
  it("backward before its own forward on the same stage", () => {
    const schedule = handSchedule(["F0 B1 F1 B0", "F0 F1 B0 B1"], 2);
    expect(() => validatePipelineSchedule(schedule)).toThrow(PipelineScheduleError);
    expect(findPipelineScheduleError(schedule)).toBe(
      "backward of micro-batch 1 on stage 0 (position 1) comes before forward of micro-batch 1 on stage 0 (position 2), " +
        "but a backward runs after its own forward.",
    );
  });

  it("a missing op", () => {
    expect(findPipelineScheduleError(handSchedule(["F0 F1 B0 B1", "F0 F1 B0"], 2))).toBe(
      "backward of micro-batch 1 on stage 1 is missing; every op must run exactly once.",
    );
  });

  it("a duplicated op", () => {
    expect(findPipelineScheduleError(handSchedule(["F0 F1 F1 B0 B1", "F0 F1 B0 B1"], 2))).toBe(
      "forward of micro-batch 1 on stage 0 appears twice (positions 1 and 2); every op must run exactly once.",
    );
  });

  it("an op filed under the wrong stage", () => {
    const schedule = handSchedule(["F0 B0", "F0 B0"], 1);
    const wrong = withStage(schedule, 1, [{ kind: "forward", stage: 0, microbatch: 0, chunk: 0 }, ...schedule.perStage[1]!.slice(1)]);
    expect(findPipelineScheduleError(wrong)).toMatch(/^Op at stage 1, position 0 says stage 0: .*perStage\[0\], or set its stage to 1\.$/);
  });

  it("a micro-batch or chunk out of range", () => {
    expect(findPipelineScheduleError(handSchedule(["F0 F2 B0 B1"], 2))).toBe("Expected micro-batch in 0..1 at stage 0, position 1, got 2.");
    expect(findPipelineScheduleError(handSchedule(["F0.1 B0.1"], 1))).toBe("Expected chunk in 0..0 at stage 0, position 0, got 1.");
  });

  it("a W op in a schedule whose backward is not split", () => {
    expect(findPipelineScheduleError(handSchedule(["F0 B0 W0"], 1))).toMatch(/got "weight".*splitBackward: true/);
  });

  it("W before its B", () => {
    expect(findPipelineScheduleError(handSchedule(["F0 W0 B0"], 1, { splitBackward: true }))).toBe(
      "weight of micro-batch 0 on stage 0 (position 1) comes before backward of micro-batch 0 on stage 0 (position 2), " +
        "but a weight-gradient op (W) runs after its backward (B).",
    );
  });

  it("cross-stage orders that deadlock: stage 0 waits for a backward, stage 1 for a forward", () => {
    // stage 0 wants B0 (needs stage 1's B0); stage 1 first wants F1 (needs stage 0's F1, which stage 0 runs after B0).
    const error = findPipelineScheduleError(handSchedule(["F0 B0 F1 B1", "F0 F1 B0 B1"], 2));
    expect(error).toContain("Deadlock");
    expect(error).toContain(
      "stage 0 cannot run backward of micro-batch 0 on stage 0 (position 1) before backward of micro-batch 0 on stage 1 " +
        "(a backward runs after the backward of the same micro-batch on the next stage)",
    );
    expect(error).toContain(
      "stage 1 cannot run forward of micro-batch 1 on stage 1 (position 1) before forward of micro-batch 1 on stage 0 " +
        "(a forward runs after the forward of the same micro-batch on the previous stage)",
    );
  });

  it("the simulator refuses a deadlocked schedule with the same message", () => {
    const schedule = handSchedule(["F0 B0 F1 B1", "F0 F1 B0 B1"], 2);
    expect(() => simulatePipeline(schedule)).toThrow(findPipelineScheduleError(schedule)!);
  });

  it("interleaved chunks in the wrong order: chunk 1 before chunk 0 on stage 0", () => {
    // Mutant: stage 0 swaps its first two forwards, F0.0 and F1.0 -> F0.1 first.
    const good = interleavedSchedule(2, 2, 2);
    const ops = [...good.perStage[0]!];
    const first = ops.findIndex((op) => op.kind === "forward" && op.microbatch === 0 && op.chunk === 1);
    const [moved] = ops.splice(first, 1);
    ops.unshift(moved!);
    const error = findPipelineScheduleError(withStage(good, 0, ops));
    expect(error).toContain("chunk c's forward on stage 0 runs after chunk c − 1's forward on the last stage");
  });

  it("a schedule with no stages names the count", () => {
    expect(findPipelineScheduleError({ name: "x", stages: 0, microbatches: 1, chunks: 1, splitBackward: false, perStage: [] })).toBe(
      "Expected stages to be an integer >= 1, got 0.",
    );
  });

  it("every single swap of two adjacent ops in 1F1B either stays valid or is reported, never crashes", () => {
    const base = oneFOneBSchedule(3, 5);
    let rejected = 0;
    for (let s = 0; s < base.stages; s++) {
      for (let i = 0; i + 1 < base.perStage[s]!.length; i++) {
        const ops = [...base.perStage[s]!];
        [ops[i], ops[i + 1]] = [ops[i + 1]!, ops[i]!];
        const schedule = withStage(base, s, ops);
        const error = findPipelineScheduleError(schedule);
        if (error === undefined) expect(() => simulatePipeline(schedule)).not.toThrow();
        else rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });
});
