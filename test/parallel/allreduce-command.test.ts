import { describe, expect, it } from "vitest";
import { allreduceCommand } from "../../src/cli/commands/allreduce";
import type { Io, ParsedArgs } from "../../src/cli/command";
import { main } from "../../src/cli/main";
import { parseArgs } from "../../src/cli/parse-args";

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

function args(flags: ParsedArgs["flags"], json = true): ParsedArgs {
  return { flags, positionals: [], json };
}

describe("efflab allreduce", () => {
  it("prints the ring's seconds, bytes and bandwidths as exact JSON numbers", async () => {
    // α = 1e-5 s, bandwidth 25e9 B/s, no reduction cost given → preset's γ; override it too.
    // ring, n = 4, S = 1e9: 6·1e-5 + 1.5·1e9/25e9 + 0.75·1e9/1e10 = 6e-5 + 0.06 + 0.075
    const io = capture();
    const code = await allreduceCommand.run(
      args({ algorithm: "ring", workers: 4, bytes: 1e9, latency: 1e-5, bandwidth: 25e9, reduceBandwidth: 1e10 }),
      io,
    );
    expect(code).toBe(0);
    const out = JSON.parse(io.stdout.join("\n")) as Record<string, number>;
    expect(out["seconds"]).toBeCloseTo(6e-5 + 0.06 + 0.075, 15);
    expect(out["bytesSentPerWorker"]).toBe(1.5e9);
    expect(out["algBandwidth"]).toBeCloseTo(1e9 / out["seconds"]!, 3);
    expect(out["busBandwidth"]).toBeCloseTo((1.5 * 1e9) / out["seconds"]!, 3);
  });

  it("takes α and bandwidth from the preset unless overridden", async () => {
    const io = capture();
    await allreduceCommand.run(args({ algorithm: "tree", workers: 8, bytes: 4096, preset: "slingshot-200g" }), io);
    const out = JSON.parse(io.stdout.join("")) as Record<string, number | string>;
    expect(out["latency"]).toBe(10e-6);
    expect(out["bandwidth"]).toBe(25e9);
    expect(out["bytesSentPerWorker"]).toBe(3 * 4096); // ⌈lg 8⌉ · S
  });

  it("prints an aligned table comparing the algorithms, with units, without --json", async () => {
    const io = capture();
    await allreduceCommand.run(args({ algorithm: "ring", workers: 8, bytes: 1e9 }, false), io);
    const text = io.stdout.join("\n");
    expect(text).toMatch(/ring \*/);
    expect(text).toMatch(/GB \(/);
    expect(text).toMatch(/GiB/);
    const lines = text.split("\n").filter((l) => /^(algorithm|ring|tree|naive)/.test(l));
    expect(lines).toHaveLength(4);
    const column = lines.map((l) => l.indexOf(l.trim().split(/\s{2,}/)[1]!));
    expect(new Set(column).size).toBe(1); // the time column starts at the same place on every row
  });

  it("parses sizes with units through the CLI parser", async () => {
    const io = capture();
    const parsed = parseArgs(allreduceCommand, ["--workers", "2", "--bytes", "1GiB", "--json"]);
    await allreduceCommand.run(parsed, io);
    const out = JSON.parse(io.stdout.join("")) as Record<string, number>;
    expect(out["bytes"]).toBe(2 ** 30);
    expect(out["bytesSentPerWorker"]).toBe(2 ** 30); // 2(n−1)/n · S with n = 2
  });

  it("rejects zero workers with a message naming the flag", async () => {
    const io = capture();
    expect(await main(["allreduce", "--workers", "0", "--bytes", "10"], io)).toBe(2);
    expect(io.stderr.join("\n")).toBe("efflab allreduce: --workers must be an integer >= 1, got 0. (see efflab allreduce --help)");
    expect(() => allreduceCommand.run(args({ workers: 2, bytes: 10, preset: "nvlink9" }), capture())).toThrow(
      /--preset must be one of a100-nvlink3, a40-pcie4, slingshot-200g; got "nvlink9"/,
    );
  });
});
