/**
 * Counting the floating-point operations of training, and how well a run uses the hardware.
 *
 * The rule of thumb (Kaplan et al. 2020, "Scaling Laws for Neural Language Models", §2.1):
 * a forward pass costs 2 FLOPs per parameter per token (one multiply, one add), the backward
 * pass twice that (gradients with respect to activations and to weights), so training on D
 * tokens costs
 *
 *   C_forward ≈ 2PD,   C_backward ≈ 4PD,   C ≈ 6PD.
 *
 * Full activation recomputation runs the forward pass again during the backward pass:
 * 8PD (Narayanan et al. 2021, "Efficient Large-Scale Language Model Training on GPU Clusters
 * Using Megatron-LM", §5.1, the discussion of Eq. 3 and Eq. 4).
 *
 * The exact count per iteration, for a GPT model with l layers, hidden size h, vocabulary V,
 * sequence length s and batch B (Narayanan et al. 2021 §5.1, Eq. 3): each layer's matrix
 * multiplications cost 24Bsh² + 4Bs²h in the forward pass, the logit layer 2BshV; backward
 * costs twice the forward. Without recomputation (forward + backward = 3 forwards):
 *
 *   F_none = 72·B·s·l·h² · (1 + s/(6h) + V/(12·l·h))
 *
 * with full recomputation (4 forwards of every layer, 3 of the logit layer, Eq. 3):
 *
 *   F_full = 96·B·s·l·h² · (1 + s/(6h) + V/(16·l·h))
 *
 * Selective recomputation (Korthikanti et al. 2022, §5) recomputes only the attention core
 * (QKᵀ, softmax, dropout, scores·V): one more forward of its two matrix multiplications,
 * 4·B·s²·l·h, on top of F_none.
 *
 * Time to train T tokens on n GPUs that each sustain X FLOP/s (Narayanan et al. 2021, Eq. 4):
 *
 *   time ≈ 8·T·P / (n·X)     (GPT-3: 8 · 300e9 · 175e9 / (1024 · 140e12) s ≈ 34 days)
 *
 * Utilisation (Chowdhery et al. 2022, "PaLM", Appendix B): model FLOPs utilisation (MFU) is
 * the model's FLOPs *without* recomputation per second, over the peak of all devices;
 * hardware FLOPs utilisation (HFU) counts the FLOPs actually executed, recomputation included:
 *
 *   MFU = F_model / (t · N · peak),   HFU = F_hardware / (t · N · peak).
 */
import { transformerParameters } from "../memory/parameter-count";
import { expectInteger, expectPositive } from "../foundation/validate";

/** What the backward pass recomputes. */
export type FlopsRecompute = "none" | "selective" | "full";

/** The 6PD rule, by pass. FLOPs. */
export interface TrainingFlops {
  /** 2PD. */
  readonly forward: number;
  /** 4PD. */
  readonly backward: number;
  /** 2PD with full recomputation, 0 without. */
  readonly recompute: number;
  /** forward + backward + recompute: 6PD or 8PD. */
  readonly total: number;
}


/**
 * Training FLOPs of a P-parameter model on D tokens by the rule of thumb (Kaplan et al. 2020 §2.1):
 * 2PD forward, 4PD backward, and 2PD more with full recomputation.
 *
 * @example trainingFlopsRule(175e9, 300e9).total // 3.15e23 (GPT-3; Brown et al. 2020, Table D.1: 3.14e23)
 */
export function trainingFlopsRule(P: number, D: number, recompute: "none" | "full" = "none"): TrainingFlops {
  // BEGIN SOLUTION flops.training
  expectPositive("P (parameters)", P);
  expectPositive("D (tokens)", D);
  const forward = 2 * P * D;
  const backward = 4 * P * D;
  const recomputed = recompute === "full" ? 2 * P * D : 0;
  return { forward, backward, recompute: recomputed, total: forward + backward + recomputed };
  // STUDENT EDITION
  // const yourFlops = yours.answer<typeof trainingFlopsRule>("trainingFlops");
  // expectPositive("P (parameters)", P);
  // expectPositive("D (tokens)", D);
  // return yourFlops(P, D, recompute);
  // END SOLUTION
}

/** A GPT model and batch, in Narayanan et al.'s symbols. */
export interface GptIterationShape {
  /** l: transformer layers. */
  readonly layers: number;
  /** h: hidden size. */
  readonly hidden: number;
  /** V: vocabulary size. */
  readonly vocab: number;
  /** s: sequence length. */
  readonly seq: number;
  /** B: sequences per iteration (global batch). */
  readonly batch: number;
}

/** FLOPs of one iteration, by part (Eq. 3 expanded). */
export interface IterationFlops {
  /** Matrix multiplications of the layers' weights: 72Bslh² (96Bslh² with full recomputation). */
  readonly layerMatmuls: number;
  /** Attention scores QKᵀ and scores·V: 12Bs²lh (16Bs²lh selective or full). */
  readonly attention: number;
  /** Logit layer: 6BshV (never recomputed). */
  readonly logits: number;
  readonly total: number;
}

/**
 * FLOPs of one training iteration of a GPT model (Narayanan et al. 2021 §5.1, Eq. 3).
 *
 * @example iterationFlops({ layers: 96, hidden: 12288, vocab: 51200, seq: 2048, batch: 1536 }, "full").total
 */
export function iterationFlops(shape: GptIterationShape, recompute: FlopsRecompute = "none"): IterationFlops {
  const l = expectInteger("layers", shape.layers, 1);
  const h = expectInteger("hidden", shape.hidden, 1);
  const V = expectInteger("vocab", shape.vocab, 1);
  const s = expectInteger("seq", shape.seq, 1);
  const B = expectInteger("batch", shape.batch, 1);
  const passes = recompute === "full" ? 4 : 3; // forward (+ recomputed forward) + backward (= 2 forwards)
  const attentionPasses = recompute === "none" ? 3 : 4; // selective recomputes the attention core too
  const layerMatmuls = passes * 24 * B * s * l * h * h;
  const attention = attentionPasses * 4 * B * s * s * l * h;
  const logits = 3 * 2 * B * s * h * V;
  return { layerMatmuls, attention, logits, total: layerMatmuls + attention + logits };
}

/** Eq. 3 in its closed form, F = 96Bslh²(1 + s/(6h) + V/(16lh)) (full) or 72Bslh²(1 + s/(6h) + V/(12lh)) (none). */
export function iterationFlopsClosedForm(shape: GptIterationShape, recompute: "none" | "full"): number {
  const { layers: l, hidden: h, vocab: V, seq: s, batch: B } = shape;
  return recompute === "full" ? 96 * B * s * l * h * h * (1 + s / (6 * h) + V / (16 * l * h)) : 72 * B * s * l * h * h * (1 + s / (6 * h) + V / (12 * l * h));
}

/** Seconds to train T tokens of a P-parameter model on n devices at X FLOP/s each (Eq. 4, 8TP/(nX)). */
export function trainingSeconds(T: number, P: number, n: number, X: number, recompute: "none" | "full" = "full"): number {
  return trainingFlopsRule(P, T, recompute).total / (expectPositive("n (devices)", n) * expectPositive("X (FLOP/s per device)", X));
}

/** A measured run, for utilisation. */
export interface UtilisationInput {
  /** FLOPs the model needs per iteration, without recomputation. */
  readonly modelFlops: number;
  /** FLOPs actually executed per iteration (recomputation included). @default modelFlops */
  readonly hardwareFlops?: number;
  /** t: seconds per iteration. */
  readonly seconds: number;
  /** N: devices. @default 1 */
  readonly devices?: number;
  /** Peak FLOP/s of one device. */
  readonly peakFlops: number;
}

/** MFU and HFU, fractions of the peak (PaLM, Appendix B). */
export interface Utilisation {
  readonly mfu: number;
  readonly hfu: number;
  /** Model FLOP/s per device: modelFlops / (t · N). */
  readonly modelFlopsPerDevice: number;
}

/** MFU = F_model / (t·N·peak), HFU = F_hardware / (t·N·peak). */
export function utilisation(run: UtilisationInput): Utilisation {
  // BEGIN SOLUTION flops.mfu
  const t = expectPositive("seconds", run.seconds);
  const N = expectPositive("devices", run.devices ?? 1);
  const peak = expectPositive("peakFlops", run.peakFlops);
  const hardware = run.hardwareFlops ?? run.modelFlops;
  const modelFlopsPerDevice = run.modelFlops / (t * N);
  return { mfu: modelFlopsPerDevice / peak, hfu: hardware / (t * N) / peak, modelFlopsPerDevice };
  // STUDENT EDITION
  // type YourRun = { parameters: number; tokensPerStep: number; stepSeconds: number; devices: number; peakFlopsPerDevice: number; recompute: "none" | "full" };
  // const yourUtilization = yours.answer<(run: YourRun) => { mfu: number; hfu: number }>("utilization");
  // const seconds = expectPositive("seconds", run.seconds);
  // const devices = expectPositive("devices", run.devices ?? 1);
  // const peakFlopsPerDevice = expectPositive("peakFlops", run.peakFlops);
  // // your function counts F = 6 · parameters · tokensPerStep FLOPs: one call per count, F/6 parameters and 1 token
  // const fractionOfPeak = (F: number): number => yourUtilization({ parameters: F / 6, tokensPerStep: 1, stepSeconds: seconds, devices, peakFlopsPerDevice, recompute: "none" }).mfu;
  // const mfu = fractionOfPeak(run.modelFlops);
  // const hfu = run.hardwareFlops === undefined || run.hardwareFlops === run.modelFlops ? mfu : fractionOfPeak(run.hardwareFlops);
  // return { mfu, hfu, modelFlopsPerDevice: mfu * peakFlopsPerDevice };
  // END SOLUTION
}

/** Everything `efflab flops` prints. */
export interface FlopsReport {
  readonly parameters: number;
  /** Eq. 3 for the chosen recomputation. */
  readonly iterationFlops: number;
  /** Model FLOPs per iteration (no recomputation), the numerator of MFU. */
  readonly modelIterationFlops: number;
  /** 6PT (8PT with full recomputation) for T tokens, or null without tokens. */
  readonly trainingFlops: number | null;
  /** Eq. 3 × T/(Bs) iterations, or null without tokens. */
  readonly trainingFlopsEq3: number | null;
  /** Seconds per iteration: given, or Eq. 3 / (n·X). */
  readonly secondsPerIteration: number | null;
  /** Days to train T tokens: trainingFlops/(n·X) (Eq. 4), or iterations × step time. */
  readonly trainingDays: number | null;
  /** Model FLOPs utilisation when a step time and a peak are given. */
  readonly mfu: number | null;
  /** Hardware FLOPs utilisation (recomputation counted). */
  readonly hfu: number | null;
}

/** What `flopsReport` needs: a shape, and either a sustained rate or a measured step time. */
export interface FlopsReportInput extends GptIterationShape {
  readonly recompute?: FlopsRecompute;
  /** T: tokens to train on. */
  readonly tokens?: number;
  /** n: GPUs. @default 1 */
  readonly gpus?: number;
  /** X: sustained FLOP/s per GPU (Eq. 4). */
  readonly flopsPerGpu?: number;
  /** A measured step time (s). */
  readonly stepSeconds?: number;
  /** Peak FLOP/s per GPU (for MFU and HFU). */
  readonly peakFlops?: number;
}

const SECONDS_PER_DAY = 86_400;

/** The numbers of `efflab flops`, each exact (no rounding). */
export function flopsReport(input: FlopsReportInput): FlopsReport {
  const recompute = input.recompute ?? "none";
  const parameters = transformerParameters({ layers: input.layers, hidden: input.hidden, vocab: input.vocab, seq: input.seq }).total;
  const hardware = iterationFlops(input, recompute).total;
  const model = iterationFlops(input, "none").total;
  const n = input.gpus ?? 1;
  const T = input.tokens;
  const rule = recompute === "full" ? "full" : "none";
  const trainingFlops = T === undefined ? null : trainingFlopsRule(parameters, T, rule).total;
  const iterations = T === undefined ? null : T / (input.batch * input.seq);
  const trainingFlopsEq3 = iterations === null ? null : hardware * iterations;
  let secondsPerIteration: number | null = null;
  let trainingDays: number | null = null;
  if (input.stepSeconds !== undefined) {
    secondsPerIteration = expectPositive("step time", input.stepSeconds);
    trainingDays = iterations === null ? null : (iterations * secondsPerIteration) / SECONDS_PER_DAY;
  } else if (input.flopsPerGpu !== undefined) {
    const X = expectPositive("FLOP/s per GPU", input.flopsPerGpu);
    secondsPerIteration = hardware / (n * X);
    trainingDays = trainingFlops === null ? null : trainingFlops / (n * X) / SECONDS_PER_DAY;
  }
  const peak = input.peakFlops;
  const seconds = secondsPerIteration;
  // MFU and HFU (lab 6's exercise flops.mfu) are computed when read: a report shown without them needs no utilisation
  const measured = (): Utilisation | null =>
    peak === undefined || seconds === null ? null : utilisation({ modelFlops: model, hardwareFlops: hardware, seconds, devices: n, peakFlops: peak });
  return {
    parameters,
    iterationFlops: hardware,
    modelIterationFlops: model,
    trainingFlops,
    trainingFlopsEq3,
    secondsPerIteration,
    trainingDays,
    get mfu() {
      return measured()?.mfu ?? null;
    },
    get hfu() {
      return measured()?.hfu ?? null;
    },
  };
}
