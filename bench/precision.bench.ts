/**
 * Lab 6 benchmark: the cost of rounding numbers to fp16, bf16 and fp8 in JavaScript, from the
 * bit layout (src/precision/formats.ts), against Math.fround (fp32 rounding done by the
 * hardware), measured in the same run on the same 100,000 values. The ratio says what
 * emulating a format costs per number; lab 6's experiments (master weights, underflow,
 * loss scaling) round a few million numbers, so it bounds their run time.
 * Second case: the emulated training of lab 6 §7 in fp16 ("mixed") against the same loop in fp32.
 */
import { masterWeightsProblem, roundToFormat, trainWithPrecision, type FloatFormatName } from "../src/precision";
import { createRng } from "../src/foundation/random";
import { medianMs, printTable } from "./timing";

export async function run(): Promise<void> {
  const rng = createRng(2);
  const N = 100_000;
  const xs = Array.from({ length: N }, () => (rng.uniform() < 0.5 ? -1 : 1) * 2 ** (-30 + 50 * rng.uniform())); // 2^-30 … 2^20
  let sink = 0;
  const baselineMs = await medianMs(() => {
    for (let i = 0; i < N; i++) sink += Math.fround(xs[i]!);
  }, 15, 3);
  const rows: (string | number)[][] = [["baseline: Math.fround (fp32)", baselineMs, (1e6 * baselineMs) / N, 1]];
  for (const format of ["fp16", "bf16", "fp8-e4m3", "fp8-e5m2"] as FloatFormatName[]) {
    const ms = await medianMs(() => {
      for (let i = 0; i < N; i++) {
        const r = roundToFormat(xs[i]!, format);
        if (Number.isFinite(r)) sink += r; // overflow (±∞, NaN) left out of the checksum
      }
    }, 15, 3);
    rows.push([`roundToFormat(x, "${format}")`, ms, (1e6 * ms) / N, ms / baselineMs]);
  }
  console.log(`Rounding ${N.toLocaleString("en-US")} values spread over 2^-30 … 2^20 (checksum ${sink.toExponential(3)})`);
  printTable(["case", "ms", "ns per value", "ratio vs baseline"], rows);

  const data = masterWeightsProblem();
  const fp32Ms = await medianMs(() => trainWithPrecision(data, "fp32", { steps: 200 }), 7, 1);
  const mixedMs = await medianMs(() => trainWithPrecision(data, "mixed", { steps: 200 }), 7, 1);
  printTable(
    ["emulated training, 200 steps", "ms", "ratio vs baseline"],
    [
      ["baseline: fp32 (Math.fround)", fp32Ms, 1],
      ["mixed: fp16 compute, fp32 master weights", mixedMs, mixedMs / fp32Ms],
    ],
  );
}
