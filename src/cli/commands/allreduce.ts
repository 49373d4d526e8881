/**
 * `efflab allreduce`: the α-β-γ time of an all-reduce (src/parallel/cost-model.ts).
 *
 *   efflab allreduce --algorithm ring --workers 8 --bytes 1GB --preset a100-nvlink3
 *
 * The link comes from `--preset` (default a100-nvlink3); `--latency`,
 * `--bandwidth` and `--reduce-bandwidth` override its numbers. The table compares
 * the three algorithms and marks the chosen one; `--json` prints the chosen one.
 */
import type { CommandSpec, Io, ParsedArgs } from "../command";
import { UsageError } from "../parse-args";
import { ALL_REDUCE_ALGORITHMS, parseAllReduceAlgorithm } from "../../parallel/all-reduce";
import { allReduceCost, type CollectiveCost } from "../../parallel/cost-model";
import { linkPreset, LINK_PRESET_NAMES, type LinkSpec } from "../../parallel/links";
import { formatBytesBoth } from "../../foundation/units";

/** The flag values `run` reads, checked. */
interface AllReduceRequest {
  readonly algorithm: ReturnType<typeof parseAllReduceAlgorithm>;
  readonly workers: number;
  readonly bytes: number;
  readonly preset: string;
  readonly link: LinkSpec;
}

/** A numeric flag's value (the parser has checked its type and range), or undefined when absent. */
function numberFlag(args: ParsedArgs, key: string): number | undefined {
  const value = args.flags[key];
  return value === undefined ? undefined : Number(value);
}

function readRequest(args: ParsedArgs): AllReduceRequest {
  const algorithmText = String(args.flags["algorithm"] ?? "ring");
  const presetName = String(args.flags["preset"] ?? "a100-nvlink3");
  const workers = numberFlag(args, "workers");
  const bytes = numberFlag(args, "bytes");
  if (workers === undefined) throw new UsageError("Missing --workers N (an integer >= 1).");
  if (bytes === undefined) throw new UsageError("Missing --bytes S (a size such as 1GB, 512MiB or 7.5e9).");
  let algorithm: AllReduceRequest["algorithm"];
  let preset: LinkSpec;
  try {
    algorithm = parseAllReduceAlgorithm(algorithmText);
    preset = linkPreset(presetName);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const latency = numberFlag(args, "latency") ?? preset.latency;
  const bandwidth = numberFlag(args, "bandwidth") ?? preset.bandwidth;
  const reduceBandwidth = numberFlag(args, "reduceBandwidth") ?? preset.reduceBandwidth;
  return { algorithm, workers, bytes, preset: presetName, link: { latency, bandwidth, reduceBandwidth } };
}

/** Seconds with a readable unit: 1.23 ms, 45.6 µs. */
function formatSeconds(seconds: number): string {
  if (seconds === 0) return "0 s";
  if (seconds >= 1) return `${seconds.toPrecision(4)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toPrecision(4)} ms`;
  return `${(seconds * 1e6).toPrecision(4)} µs`;
}

/** Bytes per second in the SI unit that reads best: "25.00 GB/s", "3.197 MB/s" (1 GB/s = 10^9 bytes per second). */
function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond)) return "∞";
  const units: readonly [string, number][] = [["GB/s", 1e9], ["MB/s", 1e6], ["kB/s", 1e3]];
  const [unit, size] = units.find(([, size]) => bytesPerSecond >= size) ?? ["B/s", 1];
  return `${(bytesPerSecond / size).toPrecision(4)} ${unit}`;
}

function alignedTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

function printHuman(request: AllReduceRequest, io: Io): void {
  const { link } = request;
  io.out(
    `all-reduce of ${formatBytesBoth(request.bytes)} on ${request.workers} workers, link ${request.preset}: ` +
      `α = ${formatSeconds(link.latency)}, bandwidth ${formatRate(link.bandwidth)}, ` +
      `reduction ${formatRate(link.reduceBandwidth ?? Infinity)}`,
  );
  const rows: string[][] = [["algorithm", "time", "sent per worker", "algBandwidth", "busBandwidth"]];
  for (const algorithm of ALL_REDUCE_ALGORITHMS) {
    const cost: CollectiveCost = allReduceCost(algorithm, request.workers, request.bytes, link);
    rows.push([
      algorithm === request.algorithm ? `${algorithm} *` : algorithm,
      formatSeconds(cost.seconds),
      formatBytesBoth(cost.bytesSentPerWorker),
      formatRate(cost.algBandwidth),
      formatRate(cost.busBandwidth),
    ]);
  }
  io.out(alignedTable(rows));
  io.out("* chosen algorithm. busBandwidth = algBandwidth · 2(n−1)/n (nccl-tests); kB, MB, GB = 10^3, 10^6, 10^9 bytes; KiB, MiB, GiB = 2^10, 2^20, 2^30 bytes.");
}

export const allreduceCommand: CommandSpec = {
  name: "allreduce",
  summary: "time of an all-reduce (naive, tree, ring) from the alpha-beta-gamma cost model",
  description:
    "Prices an all-reduce of S bytes on N workers with the alpha-beta-gamma model of Thakur, Rabenseifner & Gropp (2005): " +
    "ring 2(N-1)a + 2(N-1)/N S b + (N-1)/N S g; tree 2L a + 2L S b + L S g with L = ceil(lg N); " +
    "naive 2(N-1)a + 2(N-1) S b + (N-1) S g. algBandwidth = S / time and busBandwidth = algBandwidth * 2(N-1)/N " +
    "as nccl-tests reports them. Presets: " +
    LINK_PRESET_NAMES.join(", ") +
    ".",
  flags: [
    { name: "algorithm", type: "string", description: "all-reduce algorithm", choices: ALL_REDUCE_ALGORITHMS, default: "ring" },
    { name: "workers", type: "integer", description: "number of workers N", required: true, min: 1, placeholder: "N" },
    { name: "bytes", type: "size", description: "bytes S all-reduced by each worker", required: true, placeholder: "S" },
    { name: "preset", type: "string", description: "link preset", choices: LINK_PRESET_NAMES, default: "a100-nvlink3" },
    { name: "latency", type: "number", description: "alpha: seconds per message (overrides the preset)", min: 0, placeholder: "SEC" },
    {
      name: "bandwidth",
      type: "number",
      description: "1/beta: bytes per second per direction (overrides the preset)",
      min: 0,
      minExclusive: true,
      placeholder: "BYTES_PER_SEC",
    },
    {
      name: "reduce-bandwidth",
      type: "number",
      description: "1/gamma: bytes per second a worker can add (overrides the preset)",
      min: 0,
      minExclusive: true,
      placeholder: "BYTES_PER_SEC",
    },
  ],
  examples: [
    "efflab allreduce --algorithm ring --workers 8 --bytes 1GB",
    "efflab allreduce --algorithm tree --workers 64 --bytes 4KiB --preset slingshot-200g",
    "efflab allreduce --workers 4 --bytes 3GB --latency 1e-5 --bandwidth 25e9 --json",
  ],
  run(args: ParsedArgs, io: Io): number {
    const request = readRequest(args);
    if (!args.json) {
      printHuman(request, io);
      return 0;
    }
    const cost = allReduceCost(request.algorithm, request.workers, request.bytes, request.link);
    const reduceBandwidth = request.link.reduceBandwidth ?? Infinity;
    io.out(
      JSON.stringify(
        {
          algorithm: request.algorithm,
          workers: request.workers,
          bytes: request.bytes,
          preset: request.preset,
          latency: request.link.latency,
          bandwidth: request.link.bandwidth,
          reduceBandwidth: Number.isFinite(reduceBandwidth) ? reduceBandwidth : null,
          seconds: cost.seconds,
          latencySeconds: cost.latencySeconds,
          transferSeconds: cost.transferSeconds,
          reduceSeconds: cost.reduceSeconds,
          bytesSentPerWorker: cost.bytesSentPerWorker,
          algBandwidth: Number.isFinite(cost.algBandwidth) ? cost.algBandwidth : null,
          busBandwidth: Number.isFinite(cost.busBandwidth) ? cost.busBandwidth : null,
        },
        null,
        2,
      ),
    );
    return 0;
  },
};
