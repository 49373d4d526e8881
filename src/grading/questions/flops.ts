/**
 * Lab 6 (notebooks/06-profiling-precision.ipynb): the graded questions on counting FLOPs.
 * Inputs and outputs are plain numbers, so a student can work each test by hand.
 *
 *   flops.training  trainingFlops(P, D, recompute)   -> { forward, backward, recompute, total }
 *                   2PD forward, 4PD backward, 2PD more with full recomputation
 *                   (Kaplan et al. 2020 §2.1; Narayanan et al. 2021 §5.1)
 *   flops.mfu       utilization(run)                 -> { mfu, hfu }
 *                   model FLOPs (6 · P · tokens) and hardware FLOPs (8 · P · tokens with full
 *                   recomputation) over time × devices × peak (PaLM, Appendix B)
 *
 * The reference answers are the library's `trainingFlopsRule` and `utilisation`
 * (src/profiling/flops.ts). A wrong answer is compared with what typical mistakes return,
 * so the message can name the mistake.
 */
import { trainingFlopsRule, utilisation } from "../../profiling/flops";
import { callAnswer, GradingError, type GradedTest, type Implementation, type Question } from "../question";

/** Equal up to float rounding (relative 1e-9). */
function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1e-300, Math.abs(b));
}

function readNumbers<K extends string>(result: unknown, fields: readonly K[], what: string): Record<K, number> {
  if (typeof result !== "object" || result === null) {
    throw new GradingError(`${what} should return an object { ${fields.join(", ")} }, got ${result === null ? "null" : typeof result}.`);
  }
  const record = result as Record<string, unknown>;
  const out = {} as Record<K, number>;
  for (const f of fields) {
    if (typeof record[f] !== "number" || Number.isNaN(record[f])) throw new GradingError(`${what}.${f} should be a number, got ${String(record[f])}. Return all of ${fields.join(", ")}.`);
    out[f] = record[f] as number;
  }
  return out;
}

function show<K extends string>(r: Record<K, number>, fields: readonly K[]): string {
  return `{ ${fields.map((f) => `${f}: ${r[f]}`).join(", ")} }`;
}

// ---------------------------------------------------------------------------------------
// flops.training
// ---------------------------------------------------------------------------------------

const TRAINING_FIELDS = ["forward", "backward", "recompute", "total"] as const;
type TrainingResult = Record<(typeof TRAINING_FIELDS)[number], number>;

/** Typical mistakes in the 6PD count. */
type TrainingVariant = "correct" | "backward-like-forward" | "one-flop-per-multiply-add" | "recompute-ignored" | "recompute-forward-and-backward" | "total-without-recompute" | "recompute-always";

/** The 6PD/8PD breakdown with the typical mistakes written out. */
export function trainingFlopsWith(P: number, D: number, recompute: "none" | "full", variant: TrainingVariant = "correct"): TrainingResult {
  const perMultiplyAdd = variant === "one-flop-per-multiply-add" ? 1 : 2;
  const forward = perMultiplyAdd * P * D;
  const backward = variant === "backward-like-forward" ? forward : 2 * forward;
  const recomputes = variant === "recompute-always" || (recompute === "full" && variant !== "recompute-ignored");
  const recomputed = recomputes ? (variant === "recompute-forward-and-backward" ? forward + backward : forward) : 0;
  const total = variant === "total-without-recompute" ? forward + backward : forward + backward + recomputed;
  return { forward, backward, recompute: recomputed, total };
}

function trainingMistakes(P: number, D: number, recompute: "none" | "full"): { value: TrainingResult; description: string }[] {
  return [
    { value: trainingFlopsWith(P, D, recompute, "backward-like-forward"), description: "the backward pass was counted like the forward (2PD): it computes gradients for both the activations and the weights, 4PD" },
    { value: trainingFlopsWith(P, D, recompute, "one-flop-per-multiply-add"), description: "a multiply-add was counted as 1 FLOP: it is 2 (one multiply, one add), so a forward pass is 2PD" },
    { value: trainingFlopsWith(P, D, recompute, "recompute-ignored"), description: "full recomputation was ignored: it runs the forward pass again during the backward pass (+2PD)" },
    { value: trainingFlopsWith(P, D, recompute, "recompute-forward-and-backward"), description: "recomputation was counted as a forward and a backward pass: it repeats only the forward (+2PD)" },
    { value: trainingFlopsWith(P, D, recompute, "total-without-recompute"), description: "total leaves out the recomputed forward: total = forward + backward + recompute" },
    { value: trainingFlopsWith(P, D, recompute, "recompute-always"), description: 'a forward pass was recomputed with recompute = "none": only "full" recomputes' },
  ];
}

/** Check `trainingFlops` on one input; shared by public and hidden tests. */
export async function checkTrainingFlopsCase(impl: Implementation, P: number, D: number, recompute: "none" | "full"): Promise<void> {
  const what = `trainingFlops(${P}, ${D}, "${recompute}")`;
  const received = readNumbers(await callAnswer(impl, "flops.training", "trainingFlops", P, D, recompute), TRAINING_FIELDS, what);
  const library = trainingFlopsRule(P, D, recompute);
  const expected: TrainingResult = { forward: library.forward, backward: library.backward, recompute: library.recompute, total: library.total };
  const same = (a: TrainingResult, b: TrainingResult): boolean => TRAINING_FIELDS.every((f) => sameNumber(a[f], b[f]));
  if (same(received, expected)) return;
  const mistake = trainingMistakes(P, D, recompute).find((m) => same(received, m.value) && !same(m.value, expected));
  if (mistake !== undefined) throw new GradingError(`${what} is wrong. Looks like ${mistake.description}.`, show(expected, TRAINING_FIELDS), show(received, TRAINING_FIELDS));
  const field = TRAINING_FIELDS.find((f) => !sameNumber(received[f], expected[f]))!;
  throw new GradingError(`${what}.${field} is ${received[field]}, which is not the expected number of FLOPs.`, show(expected, TRAINING_FIELDS), show(received, TRAINING_FIELDS));
}

export const flopsTrainingQuestion: Question = {
  id: "flops.training",
  notebook: "06-profiling-precision.ipynb",
  title: "Training FLOPs: 6PD, and 8PD with full recomputation",
  exports: ["trainingFlops"],
  publicTests: [
    flopsTest("a 1M-parameter model on 1000 tokens: 2e9 forward, 4e9 backward, 6e9 in all", 1, "forward = 2PD (a multiply and an add per parameter per token); backward = 2 × forward.", (impl) =>
      checkTrainingFlopsCase(impl, 1e6, 1e3, "none"),
    ),
    flopsTest("GPT-3 (175B parameters, 300B tokens) needs 6PD = 3.15e23 FLOPs (Brown et al. 2020, Table D.1: 3.14e23)", 2, "C ≈ 6PD (Kaplan et al. 2020 §2.1).", (impl) =>
      checkTrainingFlopsCase(impl, 175e9, 300e9, "none"),
    ),
    flopsTest("full recomputation adds a forward pass: 8PD", 2, "Recomputation runs the forward pass again inside the backward pass: +2PD.", (impl) =>
      checkTrainingFlopsCase(impl, 175e9, 300e9, "full"),
    ),
  ],
};

// ---------------------------------------------------------------------------------------
// flops.mfu
// ---------------------------------------------------------------------------------------

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
export async function checkUtilizationCase(impl: Implementation, run: GradedRun): Promise<void> {
  const what = describeRun(run);
  const received = readNumbers(await callAnswer(impl, "flops.mfu", "utilization", { ...run }), UTILISATION_FIELDS, what);
  const model = 6 * run.parameters * run.tokensPerStep;
  const hardware = run.recompute === "full" ? (8 / 6) * model : model;
  const library = utilisation({ modelFlops: model, hardwareFlops: hardware, seconds: run.stepSeconds, devices: run.devices, peakFlops: run.peakFlopsPerDevice });
  const expected: UtilisationResult = { mfu: library.mfu, hfu: library.hfu };
  const same = (a: UtilisationResult, b: UtilisationResult): boolean => UTILISATION_FIELDS.every((f) => sameNumber(a[f], b[f]));
  if (same(received, expected)) return;
  const mistake = utilisationMistakes(run).find((m) => same(received, m.value) && !same(m.value, expected));
  if (mistake !== undefined) throw new GradingError(`${what} is wrong. Looks like ${mistake.description}.`, show(expected, UTILISATION_FIELDS), show(received, UTILISATION_FIELDS));
  const field = UTILISATION_FIELDS.find((f) => !sameNumber(received[f], expected[f]))!;
  throw new GradingError(`${what}.${field} is ${received[field]}, which is not the expected fraction of the peak.`, show(expected, UTILISATION_FIELDS), show(received, UTILISATION_FIELDS));
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
  publicTests: [
    flopsTest("one device, no recomputation: MFU = HFU = 6 · P · tokens / (time · peak) = 0.6", 1, "6 · 1e6 · 100 FLOPs in 0.01 s on a 1e11 FLOP/s device.", (impl) =>
      checkUtilizationCase(impl, { parameters: 1e6, tokensPerStep: 100, stepSeconds: 0.01, devices: 1, peakFlopsPerDevice: 1e11, recompute: "none" }),
    ),
    flopsTest("four devices share the work: divide by time × N × peak", 1, "The run's capacity is N devices × peak × time.", (impl) =>
      checkUtilizationCase(impl, { parameters: 1e6, tokensPerStep: 100, stepSeconds: 0.01, devices: 4, peakFlopsPerDevice: 1e11, recompute: "none" }),
    ),
    flopsTest("GPT-3 at 140 TFLOP/s per A100 with full recomputation: HFU = 140/312 = 44.9%, MFU = 3/4 of that (Narayanan et al. 2021 §5.1)", 2, "HFU counts 8 · P · tokens (recomputation included); MFU counts the model's 6 · P · tokens.", (impl) =>
      checkUtilizationCase(impl, NARAYANAN_GPT3_RUN),
    ),
  ],
};

/** Lab 6's FLOPs questions, in notebook order. */
export const flopsQuestions: readonly Question[] = [flopsTrainingQuestion, flopsMfuQuestion];

/** A graded test (the FLOPs questions create no tensors). */
export function flopsTest(name: string, points: number, hint: string, run: (impl: Implementation) => Promise<void>): GradedTest {
  return { name, points, hint, run };
}
