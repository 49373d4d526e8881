/**
 * Data parallelism in-process: how fast the simulated collectives and the DP
 * simulator run on this machine.
 *
 * 1. Ring all-reduce of 16M floats (64 MiB) per worker over 8 in-process workers.
 *    All workers run on one thread here, so the fair comparison is the data
 *    moved: the ring moves Σ_i bytesSent_i = n · 2(n−1)/n · S bytes (each one read
 *    and added or copied into another buffer). Baseline: a plain Float32Array.set
 *    copy of the same 64 MiB, measured in the same run. Target: ring >= 50% of copy.
 *    nccl-tests' algBandwidth (S / t) and busBandwidth (× 2(n−1)/n) are printed too.
 * 2. DP simulator overhead: N = 8 simulated workers with local batch b against one
 *    worker with batch 8b, same steps. Target: <= 1.3×.
 * Baseline and candidate run alternately, and the ratio is the median of the
 * per-round ratios, so a load spike on a shared machine hits both sides alike.
 */
import { ringAllReduce } from "../src/parallel/ring";
import { evenShards } from "../src/parallel/sharding";
import { trainDataParallel } from "../src/parallel/data-parallel";
import { initTensors } from "../src/tensor";
import { makeClassificationData } from "../src/parallel/softmax-regression";
import { createRng } from "../src/foundation/random";
import { printTable } from "./timing";

const GB = 1e9; // bytes

/** Median ms of each side and median of per-round ratios candidate/baseline, alternating the two. */
async function pairedMedians(
  baseline: () => unknown,
  candidate: () => unknown,
  rounds: number,
  warmup = 2,
): Promise<{ baselineMs: number; candidateMs: number; ratio: number }> {
  for (let i = 0; i < warmup; i++) {
    await baseline();
    await candidate();
  }
  const b: number[] = [];
  const c: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    await baseline();
    b.push(performance.now() - t);
    t = performance.now();
    await candidate();
    c.push(performance.now() - t);
    r.push(c[i]! / b[i]!);
  }
  const median = (xs: number[]) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return { baselineMs: median(b), candidateMs: median(c), ratio: median(r) };
}

export async function run(): Promise<void> {
  await initTensors(); // the simulated workers compute with the optimization unit's tensor rules
  // The DP comparison runs first, before the ring's 512 MiB of buffers load the garbage collector.
  const n = 8; // workers in both comparisons
  // ---- 2. DP simulator vs one worker with the global batch
  const data = makeClassificationData({ samples: 4096, features: 64, classes: 10, seed: 2 });
  const optimizer = { kind: "adam", lr: 0.01 } as const;
  const steps = 20;
  const b = 32;
  const single = () => trainDataParallel(data, { shardSizes: [n * b], optimizer }, steps);
  const rows: (string | number)[][] = [];
  for (const algorithm of ["ring", "tree", "naive"] as const) {
    const paired = await pairedMedians(
      single,
      () => trainDataParallel(data, { shardSizes: evenShards(n, b), optimizer, algorithm }, steps),
      21,
    );
    if (rows.length === 0) rows.push([`1 worker, batch ${n * b} (baseline)`, paired.baselineMs, "1.00x"]);
    rows.push([`${n} workers × batch ${b}, ${algorithm}`, paired.candidateMs, `${paired.ratio.toFixed(2)}x`]);
  }
  console.log(`DP simulator: softmax regression, Ψ = ${10 * 64 + 10} parameters, ${steps} Adam steps`);
  printTable(["run", "ms", "vs single worker"], rows);
  console.log("target: <= 1.30x");

  // ---- 1. ring all-reduce vs copy bandwidth
  const length = 16 * 2 ** 20; // 16M floats
  const S = 4 * length; // bytes per worker
  const rng = createRng(1);
  const pattern = rng.normalArray(1024);
  const buffers = Array.from({ length: n }, (_, i) => {
    const b = new Float32Array(length);
    for (let j = 0; j < length; j += 1024) b.set(pattern, j);
    for (let j = 0; j < length; j++) b[j] = b[j]! * 1e-6 * (i + 1); // small values: repeated in-place sums stay finite
    return b;
  });
  const source = buffers[0]!.slice();
  const destination = new Float32Array(length);
  let moved = 0; // Σ_i bytesSent_i of one all-reduce
  // The copy moves S bytes; the ring moves `moved` bytes. Compare bytes per second.
  const copyOnce = () => destination.set(source);
  const ringInPlace = () => {
    moved = ringAllReduce(buffers, { inPlace: true }).bytesSent.reduce((a, b) => a + b, 0);
  };
  const inPlace = await pairedMedians(copyOnce, ringInPlace, 9);
  const copying = await pairedMedians(copyOnce, () => ringAllReduce(buffers), 5, 1);
  const rate = (bytes: number, ms: number) => bytes / (ms / 1000) / GB; // GB/s
  const vsCopy = (ratio: number) => `${(moved / S / ratio).toFixed(2)}x`; // (moved/t_ring) / (S/t_copy)
  console.log(`\nring all-reduce: ${length} floats (${S / 2 ** 20} MiB) per worker, ${n} workers, one thread`);
  printTable(
    ["variant", "ms", "moved GB/s", "vs copy", "algBw GB/s", "busBw GB/s"],
    [
      ["Float32Array.set copy (baseline)", inPlace.baselineMs, rate(S, inPlace.baselineMs), "1.00x", "", ""],
      [
        "ring, in place",
        inPlace.candidateMs,
        rate(moved, inPlace.candidateMs),
        vsCopy(inPlace.ratio),
        rate(S, inPlace.candidateMs),
        rate((S * 2 * (n - 1)) / n, inPlace.candidateMs),
      ],
      [
        "ring, copies its inputs",
        copying.candidateMs,
        rate(moved, copying.candidateMs),
        vsCopy(copying.ratio),
        rate(S, copying.candidateMs),
        rate((S * 2 * (n - 1)) / n, copying.candidateMs),
      ],
    ],
  );
  console.log(`moved = Σ bytes sent = ${moved / GB} GB per all-reduce; "vs copy" = median over rounds of (ring GB/s) / (copy GB/s)`);
  console.log("target: ring in place >= 0.50x of copy");

}
