/**
 * memory.fitsOnGpu (notebooks/04-memory.ipynb): does it fit? A verdict with the bytes
 * spare or short.
 *
 *   fitsOnGpu(requiredBytes, capacity, unit, headroom)
 *     -> { kind: "fits", availableBytes, spareBytes } | { kind: "does-not-fit", availableBytes, shortfallBytes }
 *
 * The reference is the library's `fitsOnGpu` (src/memory/fit.ts).
 */
import { fitsOnGpu as libraryReferenceFitsOnGpu } from "../../../memory/fit";
import { BYTES_PER_GB, BYTES_PER_GIB } from "../../../foundation/units";
import { callAnswer, GradingError, type Implementation, type Question } from "../../question";
import { gradedTest, looksLike, matchingMistakes, sameNumber, type KnownMistake } from "../expectations";
import { describeBytes } from "./state-bytes";
import { recordedReference } from "../../recorded-expectations";
import { HEADROOM_BY_HAND } from "../forbidden";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const referenceFitsOnGpu = recordedReference("fitsOnGpu", libraryReferenceFitsOnGpu);

/** Headroom the framework needs (fit.ts): fixed bytes plus a fraction lost to fragmentation. */
export interface GradedHeadroom {
  readonly overheadBytes: number;
  readonly fragmentationFraction: number;
}

/** The verdict the answer returns. */
export type GradedFitVerdict =
  | { readonly kind: "fits"; readonly availableBytes: number; readonly spareBytes: number }
  | { readonly kind: "does-not-fit"; readonly availableBytes: number; readonly shortfallBytes: number };

type FitVariant = "correct" | "units-swapped" | "gib-as-gb" | "no-fragmentation" | "no-overhead" | "overhead-first" | "strict-fit";

/** The verdict, with the typical mistakes written out. */
export function fitsOnGpuWith(requiredBytes: number, capacity: number, unit: "GB" | "GiB", headroom: GradedHeadroom, variant: FitVariant = "correct"): GradedFitVerdict {
  const unitBytes =
    variant === "units-swapped" ? (unit === "GB" ? BYTES_PER_GIB : BYTES_PER_GB) : variant === "gib-as-gb" ? BYTES_PER_GB : unit === "GB" ? BYTES_PER_GB : BYTES_PER_GIB;
  const C = capacity * unitBytes;
  const f = variant === "no-fragmentation" ? 0 : headroom.fragmentationFraction;
  const o = variant === "no-overhead" ? 0 : headroom.overheadBytes;
  const available = variant === "overhead-first" ? (C - o) * (1 - f) : C * (1 - f) - o;
  const margin = available - requiredBytes;
  const fits = variant === "strict-fit" ? margin > 0 : margin >= 0;
  return fits ? { kind: "fits", availableBytes: available, spareBytes: margin } : { kind: "does-not-fit", availableBytes: available, shortfallBytes: -margin };
}

function fitMistakes(requiredBytes: number, capacity: number, unit: "GB" | "GiB", headroom: GradedHeadroom): KnownMistake<GradedFitVerdict>[] {
  return [
    { value: fitsOnGpuWith(requiredBytes, capacity, unit, headroom, "units-swapped"), description: "GB and GiB are confused: 1 GB = 10^9 bytes, 1 GiB = 2^30 bytes" },
    { value: fitsOnGpuWith(requiredBytes, capacity, unit, headroom, "gib-as-gb"), description: "GB and GiB are confused: a GiB was read as 10^9 bytes (1 GiB = 2^30 = 1,073,741,824 bytes)" },
    { value: fitsOnGpuWith(requiredBytes, capacity, unit, headroom, "no-fragmentation"), description: "the fragmentation fraction was ignored: available = capacity · (1 − fragmentationFraction) − overheadBytes" },
    { value: fitsOnGpuWith(requiredBytes, capacity, unit, headroom, "no-overhead"), description: "the fixed overhead was ignored: subtract overheadBytes" },
    { value: fitsOnGpuWith(requiredBytes, capacity, unit, headroom, "overhead-first"), description: "the overhead was subtracted before the fragmentation fraction: available = capacity · (1 − f) − overhead" },
    { value: fitsOnGpuWith(requiredBytes, capacity, unit, headroom, "strict-fit"), description: "a job that needs exactly the available bytes was refused: it fits, with 0 bytes spare (use >=)" },
  ];
}

function sameVerdict(a: GradedFitVerdict, b: GradedFitVerdict): boolean {
  if (a.kind !== b.kind || !sameNumber(a.availableBytes, b.availableBytes)) return false;
  return a.kind === "fits" && b.kind === "fits" ? sameNumber(a.spareBytes, b.spareBytes) : a.kind === "does-not-fit" && b.kind === "does-not-fit" && sameNumber(a.shortfallBytes, b.shortfallBytes);
}

function showVerdict(v: GradedFitVerdict): string {
  return v.kind === "fits"
    ? `{ kind: "fits", availableBytes: ${describeBytes(v.availableBytes)}, spareBytes: ${describeBytes(v.spareBytes)} }`
    : `{ kind: "does-not-fit", availableBytes: ${describeBytes(v.availableBytes)}, shortfallBytes: ${describeBytes(v.shortfallBytes)} }`;
}

function readVerdict(result: unknown, what: string): GradedFitVerdict {
  if (typeof result !== "object" || result === null) throw new GradingError(`${what} should return a verdict object { kind, availableBytes, ... }, got ${result === null ? "null" : typeof result}.`);
  const r = result as Record<string, unknown>;
  const number = (field: string): number => {
    if (typeof r[field] !== "number" || Number.isNaN(r[field])) throw new GradingError(`${what}.${field} should be a number of bytes, got ${String(r[field])}.`);
    return r[field] as number;
  };
  if (r["kind"] === "fits") return { kind: "fits", availableBytes: number("availableBytes"), spareBytes: number("spareBytes") };
  if (r["kind"] === "does-not-fit") {
    const shortfallBytes = number("shortfallBytes");
    if (shortfallBytes < 0) throw new GradingError(`${what}.shortfallBytes is negative (${shortfallBytes}). Report the bytes missing as a positive number: required − available.`);
    return { kind: "does-not-fit", availableBytes: number("availableBytes"), shortfallBytes };
  }
  throw new GradingError(`${what}.kind should be "fits" or "does-not-fit", got ${JSON.stringify(r["kind"])}.`);
}

/** Check `fitsOnGpu` on one input; shared by public and hidden tests. */
export async function checkFitsOnGpuCase(impl: Implementation, requiredBytes: number, capacity: number, unit: "GB" | "GiB", headroom: GradedHeadroom, label?: string): Promise<void> {
  const what = label ?? `fitsOnGpu(${requiredBytes}, ${capacity}, "${unit}", { overheadBytes: ${headroom.overheadBytes}, fragmentationFraction: ${headroom.fragmentationFraction} })`;
  const library = referenceFitsOnGpu(requiredBytes, capacity * (unit === "GB" ? BYTES_PER_GB : BYTES_PER_GIB), headroom);
  const expected: GradedFitVerdict =
    library.kind === "fits"
      ? { kind: "fits", availableBytes: library.availableBytes, spareBytes: library.spareBytes }
      : { kind: "does-not-fit", availableBytes: library.availableBytes, shortfallBytes: library.shortfallBytes };
  const mistakes = fitMistakes(requiredBytes, capacity, unit, headroom);
  const received = readVerdict(await callAnswer(impl, "memory.fitsOnGpu", "fitsOnGpu", requiredBytes, capacity, unit, { ...headroom }), what);
  if (sameVerdict(received, expected)) return;
  const matched = matchingMistakes(received, expected, mistakes, sameVerdict);
  const why = matched.length === 0 ? " Check the capacity in bytes, availableBytes, the verdict and the margin." : looksLike(matched);
  throw new GradingError(`${what} is wrong.${why}`, showVerdict(expected), showVerdict(received));
}

const NO_HEADROOM: GradedHeadroom = { overheadBytes: 0, fragmentationFraction: 0 };

export const memoryFitsOnGpuQuestion: Question = {
  id: "memory.fitsOnGpu",
  notebook: "04-memory.ipynb",
  title: "Does it fit? A verdict with the bytes spare or short",
  exports: ["fitsOnGpu"],
  references: ["fitsOnGpu"],
  forbidden: [HEADROOM_BY_HAND],
  publicTests: [
    gradedTest("85e9 bytes fit on 80 GiB (85.9e9 bytes) but not on 80 GB, without headroom", 2, "Convert the capacity first: GB means 10^9 bytes, GiB means 2^30 bytes.", async (impl) => {
      await checkFitsOnGpuCase(impl, 85e9, 80, "GiB", NO_HEADROOM);
      await checkFitsOnGpuCase(impl, 85e9, 80, "GB", NO_HEADROOM);
    }),
    gradedTest("the lecture's 1B model (20 GB) on a 40 GiB A100 with 1 GiB overhead and 5% fragmentation", 1, "available = capacity · (1 − fragmentationFraction) − overheadBytes; spare = available − required.", (impl) =>
      checkFitsOnGpuCase(impl, 20e9, 40, "GiB", { overheadBytes: BYTES_PER_GIB, fragmentationFraction: 0.05 }),
    ),
    gradedTest("GPT-2's 24 GB of model states on a 16 GiB V100 does not fit, and the shortfall is positive", 1, "shortfallBytes = required − available, a positive number of bytes.", (impl) =>
      checkFitsOnGpuCase(impl, 24e9, 16, "GiB", { overheadBytes: BYTES_PER_GIB, fragmentationFraction: 0.05 }),
    ),
    gradedTest("a job that needs exactly the available bytes fits, with 0 bytes spare", 1, "Fitting means required <= available.", (impl) =>
      checkFitsOnGpuCase(impl, 30e9, 32, "GB", { overheadBytes: 2e9, fragmentationFraction: 0 }),
    ),
  ],
};
