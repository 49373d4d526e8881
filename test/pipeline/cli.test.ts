import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { FlagValues, Io } from "../../src/cli/command";
import { pipelineAsciiTimeline, pipelineCommand } from "../../src/cli/commands/pipeline";
import { main } from "../../src/cli/main";
import { parseArgs } from "../../src/cli/parse-args";
import { oneFOneBSchedule, simulatePipeline } from "../../src/pipeline";

/** Run the command with hand-built flags (camelCase keys; the command fills in the defaults, as for argv). */
async function runPipeline(flags: FlagValues, json = false): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await pipelineCommand.run({ flags, positionals: [], json }, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

interface PipelineJson {
  schedule: string;
  makespan: number;
  bubbleFraction: number;
  bubbleOverIdeal: number;
  peakInFlight: number[];
  ops: { stage: number; kind: string; microbatch: number; chunk: number; start: number; end: number }[];
}

describe("efflab pipeline --json", () => {
  it("prints 1F1B's exact metrics and every op with its times", async () => {
    // p = 4, m = 8, F = B = W = 1: makespan (m + p − 1)(F + B + W) = 33, ideal 24, over ideal 3/8.
    const { code, out } = await runPipeline({ schedule: "1f1b", stages: 4, microbatches: 8 }, true);
    expect(code).toBe(0);
    const result = JSON.parse(out) as PipelineJson;
    expect(result.schedule).toBe("1f1b");
    expect(result.makespan).toBe(33);
    expect(result.bubbleOverIdeal).toBe(9 / 24);
    expect(result.bubbleFraction).toBeCloseTo(3 / 11, 12);
    expect(result.peakInFlight).toEqual([4, 3, 2, 1]);
    expect(result.ops.length).toBe(2 * 4 * 8);
    expect(result.ops[0]).toEqual({ stage: 0, kind: "forward", microbatch: 0, chunk: 0, start: 0, end: 1 });
    // B = backward + weight (2 units) when the backward is not split
    const lastOp = result.ops[result.ops.length - 1]!;
    expect(lastOp.end - lastOp.start).toBe(2);
  });

  it("passes --chunks to the interleaved schedule and the costs to the simulator", async () => {
    const { out } = await runPipeline({ schedule: "interleaved", stages: 2, microbatches: 4, chunks: 3, forward: 2, backward: 3, weight: 1 }, true);
    const result = JSON.parse(out) as PipelineJson & { chunks: number; costs: Record<string, number> };
    expect(result.chunks).toBe(3);
    expect(result.costs).toEqual({ forward: 2, backward: 3, weight: 1, communication: 0 });
    expect(result.bubbleOverIdeal).toBeCloseTo(1 / (3 * 4), 12); // (p − 1)/(v·m)
  });

  it("gives ZB-H1 a third of 1F1B's bubble with equal F, B, W", async () => {
    const zb = JSON.parse((await runPipeline({ schedule: "zb-h1", stages: 4, microbatches: 8 }, true)).out) as PipelineJson;
    const ofob = JSON.parse((await runPipeline({ schedule: "1f1b", stages: 4, microbatches: 8 }, true)).out) as PipelineJson;
    expect(zb.bubbleOverIdeal * 3).toBeCloseTo(ofob.bubbleOverIdeal, 12);
    expect(zb.ops.filter((op) => op.kind === "weight").length).toBe(4 * 8);
  });
});

describe("efflab pipeline through the argument parser", () => {
  it("parses kebab-case flags and defaults, then runs", async () => {
    const args = parseArgs(pipelineCommand, ["--schedule", "zb-h1", "--stages", "4", "--microbatches", "8", "--json"]);
    expect(args.flags).toMatchObject({ schedule: "zb-h1", stages: 4, microbatches: 8, forward: 1, backward: 1, weight: 1, comm: 0 });
    const out: string[] = [];
    const code = await pipelineCommand.run(args, { out: (t) => out.push(t), err: (t) => out.push(t) });
    expect(code).toBe(0);
    expect((JSON.parse(out.join("")) as PipelineJson).bubbleOverIdeal).toBeCloseTo(3 / 24, 12); // (p − 1)/(3m)
  });

  it("rejects an unknown schedule name, listing the choices", () => {
    expect(() => parseArgs(pipelineCommand, ["--schedule", "pipedream", "--stages", "4", "--microbatches", "8"])).toThrow(/1f1b/);
  });
});

describe("efflab pipeline (human output)", () => {
  it("prints an aligned metrics table with units and the closed form", async () => {
    const { code, out } = await runPipeline({ schedule: "gpipe", stages: 4, microbatches: 4 });
    expect(code).toBe(0);
    expect(out).toMatch(/makespan \(time units\)\s+21/);
    expect(out).toMatch(/bubble over ideal\s+0\.75/);
    expect(out).toMatch(/closed form\s+0\.75/);
    expect(out).toContain("peak in flight (micro-batches)");
  });

  it("draws an ASCII timeline for small sizes", async () => {
    const { out } = await runPipeline({ schedule: "1f1b", stages: 2, microbatches: 2 });
    // F = 1, B + W = 2: stage 1 runs F0 [1,2], B0 [2,4], then F1 [4,5] (stage 0 sent it at 2, stage 1 was busy), B1 [5,7].
    expect(out).toContain("stage  1 | . F0|B0   |F1|B1   | .");
  });

  it("omits the timeline when it would be wider than a terminal", async () => {
    expect(pipelineAsciiTimeline(simulatePipeline(oneFOneBSchedule(8, 64)))).toBeUndefined();
    const { out } = await runPipeline({ schedule: "1f1b", stages: 8, microbatches: 64 });
    expect(out).not.toContain("timeline");
  });

  it("reports an invalid size with the fix and exit code 2", async () => {
    const err: string[] = [];
    const code = await main(["pipeline", "--schedule", "interleaved", "--stages", "4", "--microbatches", "6"], { out: () => {}, err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err.join("\n")).toMatch(/^efflab pipeline: Expected --microbatches to be a multiple of stages \(4\) for the interleaved schedule, got 6\. Use e\.g\. 8\./);
  });

  it("keeps the command's prefix on a range error: --microbatches 0", async () => {
    const err: string[] = [];
    const code = await main(["pipeline", "--schedule", "1f1b", "--stages", "4", "--microbatches", "0"], { out: () => {}, err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err).toEqual(["efflab pipeline: --microbatches must be an integer >= 1, got 0. (see efflab pipeline --help)"]);
  });

  it("saves the Gantt chart with --html", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-")), "gantt.html");
    const { code, out } = await runPipeline({ schedule: "zb-h1", stages: 2, microbatches: 2, html: file });
    expect(code).toBe(0);
    expect(out).toContain(`Gantt chart saved to ${file}`);
    expect(fs.readFileSync(file, "utf8")).toContain("W (weight)");
  });
});
