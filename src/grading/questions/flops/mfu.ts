/**
 * flops.mfu (notebooks/06-profiling-precision.ipynb): model and hardware FLOPs utilisation.
 *
 *   utilization(run) -> { mfu, hfu }
 *   model FLOPs (6 · P · tokens) and hardware FLOPs (8 · P · tokens with full
 *   recomputation) over time × devices × peak (PaLM, Appendix B)
 *
 * The reference is the library's `utilisation` (src/profiling/flops.ts).
 */
import { utilisation as libraryUtilisation } from "../../../profiling/flops";
import { callAnswer, GradingError, type Implementation, type Question } from "../../question";
import { gradedTest, looksLike, matchingMistakes } from "../expectations";
import { readNumbers, sameFlops, showNumbers } from "./numbers";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const utilisation = recordedReference("utilisation", libraryUtilisation);

/** A measured training run (the answer's input). */
export interface GradedRun {
  /** P: parameters. */
  readonly parameters: number;
  /** Tokens processed per step, all devices together (B · s). */
  readonly tokensPerStep: number;
  /** Seconds per step. */
  readonly stepSeconds: number;
  /** N: devices. */
  readonly devices: number;
  /** Peak FLOP/s of one device. */
  readonly peakFlopsPerDevice: number;
  readonly recompute: "none" | "full";
}

const UTILISATION_FIELDS = ["mfu", "hfu"] as const;
type UtilisationResult = Record<(typeof UTILISATION_FIELDS)[number], number>;

type UtilisationVariant = "correct" | "one-device-peak" | "mfu-counts-recompute" | "hfu-ignores-recompute" | "forward-only" | "percent";

/** MFU and HFU with the typical mistakes written out. */
export function utilizationWith(run: GradedRun, variant: UtilisationVariant = "correct"): UtilisationResult {
  const perToken = variant === "forward-only" ? 2 : 6;
  const model = perToken * run.parameters * run.tokensPerStep;
  const extra = run.recompute === "full" ? 2 * run.parameters * run.tokensPerStep : 0;
  const hardware = variant === "hfu-ignores-recompute" ? model : model + extra;
  const capacity = run.stepSeconds * (variant === "one-device-peak" ? 1 : run.devices) * run.peakFlopsPerDevice;
  const scale = variant === "percent" ? 100 : 1;
  return { mfu: (scale * (variant === "mfu-counts-recompute" ? hardware : model)) / capacity, hfu: (scale * hardware) / capacity };
}

function utilisationMistakes(run: GradedRun): { value: UtilisationResult; description: string }[] {
  return [
    { value: utilizationWith(run, "one-device-peak"), description: "the peak of one device was used: the run has N devices, so divide by time × N × peak" },
    { value: utilizationWith(run, "mfu-counts-recompute"), description: "MFU counted the recomputed forward: MFU uses the model's FLOPs (6 · P · tokens) only; HFU counts recomputation" },
    { value: utilizationWith(run, "hfu-ignores-recompute"), description: "HFU left out the recomputed forward: the hardware executes 8 · P · tokens with full recomputation" },
    { value: utilizationWith(run, "forward-only"), description: "only the forward pass was counted (2 · P · tokens): a training step is 6 · P · tokens" },
    { value: utilizationWith(run, "percent"), description: "the utilisation is in percent: return a fraction between 0 and 1" },
  ];
}

function describeRun(run: GradedRun): string {
  return `utilization({ parameters: ${run.parameters}, tokensPerStep: ${run.tokensPerStep}, stepSeconds: ${run.stepSeconds}, devices: ${run.devices}, peakFlopsPerDevice: ${run.peakFlopsPerDevice}, recompute: "${run.recompute}" })`;
}

/** Check `utilization` on one run; shared by public and hidden tests. */
export async function checkUtilizationCase(impl: Implementation, run: GradedRun, label?: string): Promise<void> {
  const what = label ?? describeRun(run);
  const model = 6 * run.parameters * run.tokensPerStep;
  const hardware = run.recompute === "full" ? (8 / 6) * model : model;
  const library = utilisation({ modelFlops: model, hardwareFlops: hardware, seconds: run.stepSeconds, devices: run.devices, peakFlops: run.peakFlopsPerDevice });
  const expected: UtilisationResult = { mfu: library.mfu, hfu: library.hfu };
  const same = (a: UtilisationResult, b: UtilisationResult): boolean => UTILISATION_FIELDS.every((f) => sameFlops(a[f], b[f]));
  const mistakes = utilisationMistakes(run);
  const received = readNumbers(await callAnswer(impl, "flops.mfu", "utilization", { ...run }), UTILISATION_FIELDS, what);
  if (same(received, expected)) return;
  const matched = matchingMistakes(received, expected, mistakes, same);
  if (matched.length > 0) throw new GradingError(`${what} is wrong.${looksLike(matched)}`, showNumbers(expected, UTILISATION_FIELDS), showNumbers(received, UTILISATION_FIELDS));
  const field = UTILISATION_FIELDS.find((f) => !sameFlops(received[f], expected[f]))!;
  throw new GradingError(`${what}.${field} is ${received[field]}, which is not the expected fraction of the peak.`, showNumbers(expected, UTILISATION_FIELDS), showNumbers(received, UTILISATION_FIELDS));
}

/** GPT-3 as Narayanan et al. 2021 §5.1 train it: 1024 A100s (312 TFLOP/s peak), B = 1536, s = 2048, 140 TFLOP/s each with full recomputation (8TP). */
export const NARAYANAN_GPT3_RUN: GradedRun = {
  parameters: 175e9,
  tokensPerStep: 1536 * 2048,
  stepSeconds: (8 * 175e9 * 1536 * 2048) / (1024 * 140e12),
  devices: 1024,
  peakFlopsPerDevice: 312e12,
  recompute: "full",
};

export const flopsMfuQuestion: Question = {
  id: "flops.mfu",
  notebook: "06-profiling-precision.ipynb",
  title: "Model and hardware FLOPs utilisation (PaLM, Appendix B)",
  exports: ["utilization"],
  references: ["utilisation"],
  publicTests: [
    gradedTest("one device, no recomputation: MFU = HFU = 6 · P · tokens / (time · peak) = 0.6", 1, "6 · 1e6 · 100 FLOPs in 0.01 s on a 1e11 FLOP/s device.", (impl) =>
      checkUtilizationCase(impl, { parameters: 1e6, tokensPerStep: 100, stepSeconds: 0.01, devices: 1, peakFlopsPerDevice: 1e11, recompute: "none" }),
    ),
    gradedTest("four devices share the work: divide by time × N × peak", 1, "The run's capacity is N devices × peak × time.", (impl) =>
      checkUtilizationCase(impl, { parameters: 1e6, tokensPerStep: 100, stepSeconds: 0.01, devices: 4, peakFlopsPerDevice: 1e11, recompute: "none" }),
    ),
    gradedTest("GPT-3 at 140 TFLOP/s per A100 with full recomputation: HFU = 140/312 = 44.9%, MFU = 3/4 of that (Narayanan et al. 2021 §5.1)", 2, "HFU counts 8 · P · tokens (recomputation included); MFU counts the model's 6 · P · tokens.", (impl) =>
      checkUtilizationCase(impl, NARAYANAN_GPT3_RUN),
    ),
  ],
};
