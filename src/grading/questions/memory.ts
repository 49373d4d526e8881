/**
 * Lab 4 (notebooks/04-memory.ipynb): the graded questions on memory accounting.
 * Every input and output is a plain number of bytes (or a small object of them), so a
 * student can work each test by hand.
 *
 *   memory.bytesPerParameter    bytesPerParameter(precision)                -> { parameters, gradients, optimizerStates, total }
 *                               bytes per parameter of each model state for a precision recipe
 *                               (ZeRO §3.1: 2 + 2 + K with K = 12 for mixed-precision Adam)
 *   memory.zeroPerDevice        zeroPerDevice(psi, bytes, stage, N)         -> { parameters, gradients, optimizerStates, total }
 *                               ZeRO model-state bytes per device (Rajbhandari et al. 2020, Figure 1, §5)
 *   memory.activationsPerLayer  activationsPerLayer(shape, parallel)        -> bytes
 *                               one transformer layer's activations (Korthikanti et al. 2022, Table 2)
 *   memory.fitsOnGpu            fitsOnGpu(requiredBytes, capacity, unit, headroom)
 *                               -> { kind: "fits", availableBytes, spareBytes } | { kind: "does-not-fit", availableBytes, shortfallBytes }
 *
 * The reference answers are the library's `zeroModelStates`, `layerActivationBytes` and
 * `fitsOnGpu` (src/memory); `bytesPerParameter` is derived below from the dtypes and checked
 * against the library's named recipes (test/graded/memory.test.ts). When an answer is wrong,
 * the tests compare it with what typical mistakes return, so the message can name the mistake
 * ("looks like the fp32 master copy of the weights is missing").
 */
import { layerActivationBytes, type RecomputeMode } from "../../memory/activations";
import { fitsOnGpu as referenceFitsOnGpu } from "../../memory/fit";
import { zeroModelStates, type ZeroStage } from "../../memory/model-states";
import { customRecipe } from "../../memory/precision-recipe";
import { BYTES_PER_GB, BYTES_PER_GIB } from "../../foundation/units";
import { callAnswer, GradingError, type GradedTest, type Implementation, type Question } from "../question";

// ---------------------------------------------------------------------------------------
// Helpers: call an answer, compare numbers, name the mistake
// ---------------------------------------------------------------------------------------


/** Numbers are equal up to float rounding of divisions (relative 1e-9). */
function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

/** "31,406,250,000 B (31.41 GB)". */
export function describeBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const grouped = Math.round(bytes).toLocaleString("en-US");
  return Math.abs(bytes) >= 1e6 ? `${grouped} B (${Number((bytes / BYTES_PER_GB).toPrecision(4))} GB)` : `${grouped} B`;
}

/** A breakdown of bytes by model state (per parameter or per device). */
export interface StateBytes {
  readonly parameters: number;
  readonly gradients: number;
  readonly optimizerStates: number;
  readonly total: number;
}

const STATE_FIELDS = ["parameters", "gradients", "optimizerStates", "total"] as const;

/** A known wrong answer and what to call it ("looks like ..."). */
export interface KnownMemoryMistake<T> {
  readonly value: T;
  readonly description: string;
}

/** Read a `{ parameters, gradients, optimizerStates, total }` object, failing with a clear message. */
function readStateBytes(result: unknown, what: string): StateBytes {
  if (typeof result !== "object" || result === null) {
    throw new GradingError(`${what} should return an object { parameters, gradients, optimizerStates, total }, got ${result === null ? "null" : typeof result}.`);
  }
  const record = result as Record<string, unknown>;
  for (const field of STATE_FIELDS) {
    if (typeof record[field] !== "number" || Number.isNaN(record[field])) {
      throw new GradingError(`${what}.${field} should be a number of bytes, got ${String(record[field])}. Return all four fields.`);
    }
  }
  return { parameters: record["parameters"] as number, gradients: record["gradients"] as number, optimizerStates: record["optimizerStates"] as number, total: record["total"] as number };
}

function sameStates(a: StateBytes, b: StateBytes): boolean {
  return STATE_FIELDS.every((f) => sameNumber(a[f], b[f]));
}

function showStates(s: StateBytes): string {
  return `{ parameters: ${s.parameters}, gradients: ${s.gradients}, optimizerStates: ${s.optimizerStates}, total: ${s.total} }`;
}

/** Compare a state breakdown with the expected one; name a known mistake or the first wrong field. */
function expectStates(received: StateBytes, expected: StateBytes, what: string, mistakes: readonly KnownMemoryMistake<StateBytes>[]): void {
  if (sameStates(received, expected)) return;
  const mistake = mistakes.find((m) => sameStates(received, m.value) && !sameStates(m.value, expected));
  if (mistake !== undefined) throw new GradingError(`${what} is wrong. Looks like ${mistake.description}.`, showStates(expected), showStates(received));
  const sum = received.parameters + received.gradients + received.optimizerStates;
  if (!sameNumber(received.total, sum)) {
    throw new GradingError(`${what}.total is ${received.total}, but parameters + gradients + optimizerStates = ${sum}. total must be their sum.`, showStates(expected), showStates(received));
  }
  const field = STATE_FIELDS.find((f) => !sameNumber(received[f], expected[f]))!;
  // The message names the field, never the expected value (hidden tests show only the message).
  throw new GradingError(`${what}.${field} is ${received[field]}, which is not the expected number of bytes.`, showStates(expected), showStates(received));
}

function states(parameters: number, gradients: number, optimizerStates: number): StateBytes {
  return { parameters, gradients, optimizerStates, total: parameters + gradients + optimizerStates };
}

// ---------------------------------------------------------------------------------------
// memory.bytesPerParameter
// ---------------------------------------------------------------------------------------

/** Storage type of a tensor: fp32 takes 4 bytes per number, fp16 and bf16 take 2. */
export type TrainingDtype = "fp32" | "fp16" | "bf16";

/** How a training job stores each parameter's states (the answer's input). */
export interface TrainingPrecision {
  /** dtype of the working weights used in forward and backward. */
  readonly weights: TrainingDtype;
  /** dtype of the gradients the backward pass produces. */
  readonly gradients: TrainingDtype;
  /** Optimizer: fp32 moments per parameter, SGD 0, momentum 1 (velocity), Adam 2 (m and v). */
  readonly optimizer: "sgd" | "momentum" | "adam";
  /** The optimizer keeps an fp32 copy of a 16-bit gradient (the lecture's 20-byte count). */
  readonly fp32GradientCopy: boolean;
}

/** Typical mistakes in deriving bytes per parameter; "correct" is the reference. */
type PrecisionVariant = "correct" | "no-master-copy" | "master-copy-always" | "16-bit-as-4" | "one-adam-moment" | "16-bit-moments" | "gradient-copy-always" | "gradient-copy-ignored";

/**
 * Bytes per parameter of each model state (ZeRO §3.1; the lecture's count with fp32GradientCopy):
 *   parameters      = bytes(weights)
 *   gradients       = bytes(gradients)
 *   optimizerStates = 4 (fp32 master weights, if the weights are 16-bit)
 *                   + 4 · moments (SGD 0, momentum 1, Adam 2)
 *                   + 4 (fp32 gradient copy, if asked and the gradients are 16-bit)
 */
export function bytesPerParameterWith(precision: TrainingPrecision, variant: PrecisionVariant = "correct"): StateBytes {
  const sixteen = variant === "16-bit-as-4" ? 4 : 2;
  const bytes = (d: TrainingDtype): number => (d === "fp32" ? 4 : sixteen);
  const momentBytes = variant === "16-bit-moments" ? 2 : 4;
  const moments = { sgd: 0, momentum: 1, adam: variant === "one-adam-moment" ? 1 : 2 }[precision.optimizer];
  const master = variant === "no-master-copy" ? 0 : variant === "master-copy-always" || precision.weights !== "fp32" ? 4 : 0;
  const copyAsked = variant === "gradient-copy-ignored" ? false : precision.fp32GradientCopy;
  const gradientCopy = copyAsked && (variant === "gradient-copy-always" || precision.gradients !== "fp32") ? 4 : 0;
  return states(bytes(precision.weights), bytes(precision.gradients), master + moments * momentBytes + gradientCopy);
}

function bytesPerParameterMistakes(p: TrainingPrecision): KnownMemoryMistake<StateBytes>[] {
  return [
    { value: bytesPerParameterWith(p, "no-master-copy"), description: "the fp32 master copy of the weights is missing (16-bit weights need a 4-byte fp32 copy in the optimizer states)" },
    { value: bytesPerParameterWith(p, "master-copy-always"), description: "an fp32 master copy was counted for fp32 weights (fp32 weights are their own master copy: add 4 bytes only for 16-bit weights)" },
    { value: bytesPerParameterWith(p, "16-bit-as-4"), description: "a 16-bit number (fp16, bf16) was counted as 4 bytes: it takes 2" },
    { value: bytesPerParameterWith(p, "one-adam-moment"), description: "Adam was given one moment: it keeps two, m and v, 4 bytes each in fp32" },
    { value: bytesPerParameterWith(p, "16-bit-moments"), description: "the optimizer's moments were counted as 16-bit: they are kept in fp32, 4 bytes each" },
    { value: bytesPerParameterWith(p, "gradient-copy-always"), description: "an fp32 gradient copy was added for gradients that are already fp32 (an fp32 gradient is its own copy)" },
    { value: bytesPerParameterWith(p, "gradient-copy-ignored"), description: "fp32GradientCopy was ignored: with 16-bit gradients it adds a 4-byte fp32 copy to the optimizer states" },
  ];
}

function describePrecision(p: TrainingPrecision): string {
  return `bytesPerParameter({ weights: "${p.weights}", gradients: "${p.gradients}", optimizer: "${p.optimizer}", fp32GradientCopy: ${p.fp32GradientCopy} })`;
}

/** Check `bytesPerParameter` on one recipe; shared by public and hidden tests. */
export async function checkBytesPerParameterCase(impl: Implementation, precision: TrainingPrecision): Promise<void> {
  const what = describePrecision(precision);
  const result = await callAnswer(impl, "memory.bytesPerParameter", "bytesPerParameter", { ...precision });
  expectStates(readStateBytes(result, what), bytesPerParameterWith(precision), what, bytesPerParameterMistakes(precision));
}

export const memoryBytesPerParameterQuestion: Question = {
  id: "memory.bytesPerParameter",
  notebook: "04-memory.ipynb",
  title: "Bytes per parameter of a precision recipe",
  exports: ["bytesPerParameter"],
  publicTests: [
    test("mixed-precision Adam (fp16 weights and gradients) costs 2 + 2 + 12 = 16 bytes per parameter (ZeRO §3.1, K = 12)", 2, "fp16 weights (2) + fp16 gradients (2) + fp32 master weights, m and v (4 + 4 + 4).", (impl) =>
      checkBytesPerParameterCase(impl, { weights: "fp16", gradients: "fp16", optimizer: "adam", fp32GradientCopy: false }),
    ),
    test("with an fp32 gradient copy it is the lecture's 2 + 2 + 16 = 20 bytes per parameter", 1, "The lecture counts four fp32 states: master weights, m, v and a copy of the gradient.", (impl) =>
      checkBytesPerParameterCase(impl, { weights: "fp16", gradients: "fp16", optimizer: "adam", fp32GradientCopy: true }),
    ),
    test("plain fp32 Adam costs 4 + 4 + 8 = 16 bytes per parameter (no master copy needed)", 1, "fp32 weights are already the master copy; Adam adds m and v.", (impl) =>
      checkBytesPerParameterCase(impl, { weights: "fp32", gradients: "fp32", optimizer: "adam", fp32GradientCopy: false }),
    ),
    test("bf16 weights with fp32 gradients and Adam cost 2 + 4 + 12 = 18 bytes per parameter (Megatron)", 1, "bf16 is 2 bytes, like fp16; the gradients are fp32 here (4 bytes).", (impl) =>
      checkBytesPerParameterCase(impl, { weights: "bf16", gradients: "fp32", optimizer: "adam", fp32GradientCopy: false }),
    ),
  ],
};

// ---------------------------------------------------------------------------------------
// memory.zeroPerDevice
// ---------------------------------------------------------------------------------------

/** Bytes per parameter of each state (the answer's second input). */
export interface StateBytesPerParameter {
  readonly parameters: number;
  readonly gradients: number;
  readonly optimizerStates: number;
}

/** Which states a stage partitions: "correct" (ZeRO §5), or a typical mistake. */
type ZeroVariant = "correct" | "stage-plus-one" | "stage-minus-one" | "all-states-always" | "n-minus-one" | "default-recipe";

/** ZeRO per-device model states, written out with the typical mistakes (ZeRO Figure 1). */
export function zeroPerDeviceWith(psi: number, bytes: StateBytesPerParameter, stage: ZeroStage, N: number, variant: ZeroVariant = "correct"): StateBytes {
  const b = variant === "default-recipe" ? { parameters: 2, gradients: 2, optimizerStates: 12 } : bytes;
  const effectiveStage = variant === "stage-plus-one" ? stage + 1 : variant === "stage-minus-one" ? stage - 1 : variant === "all-states-always" ? 3 : stage;
  const divisor = variant === "n-minus-one" ? Math.max(N - 1, 1) : N;
  const share = (replicated: number, partitionedFrom: number): number => (effectiveStage >= partitionedFrom ? replicated / divisor : replicated);
  return states(share(b.parameters * psi, 3), share(b.gradients * psi, 2), share(b.optimizerStates * psi, 1));
}

function zeroMistakes(psi: number, bytes: StateBytesPerParameter, stage: ZeroStage, N: number): KnownMemoryMistake<StateBytes>[] {
  return [
    { value: zeroPerDeviceWith(psi, bytes, stage, N, "stage-plus-one"), description: `stage ${stage} partitions one state too many (stage 1 divides only the optimizer states by N; the gradients are divided by N from stage 2, the parameters at stage 3)` },
    { value: zeroPerDeviceWith(psi, bytes, stage, N, "stage-minus-one"), description: `stage ${stage} partitions one state too few (stage 1 already divides the optimizer states by N)` },
    { value: zeroPerDeviceWith(psi, bytes, stage, N, "all-states-always"), description: "every state is divided by N whatever the stage (only stage 3 partitions all three)" },
    { value: zeroPerDeviceWith(psi, bytes, stage, N, "n-minus-one"), description: "the states are divided by N − 1: each of the N data-parallel ranks keeps 1/N" },
    { value: zeroPerDeviceWith(psi, bytes, stage, N, "default-recipe"), description: "the bytes per parameter are hard-coded as 2, 2, 12: use the `bytes` argument" },
  ];
}

/** Check `zeroPerDevice` on one input; shared by public and hidden tests. */
export async function checkZeroPerDeviceCase(impl: Implementation, psi: number, bytes: StateBytesPerParameter, stage: ZeroStage, N: number): Promise<void> {
  const what = `zeroPerDevice(${psi}, { parameters: ${bytes.parameters}, gradients: ${bytes.gradients}, optimizerStates: ${bytes.optimizerStates} }, ${stage}, ${N})`;
  const result = await callAnswer(impl, "memory.zeroPerDevice", "zeroPerDevice", psi, { ...bytes }, stage, N);
  const recipe = customRecipe("graded", bytes.parameters, bytes.gradients, bytes.optimizerStates);
  expectStates(readStateBytes(result, what), zeroModelStates(psi, recipe, stage, N), what, zeroMistakes(psi, bytes, stage, N));
}

const MIXED_ADAM: StateBytesPerParameter = { parameters: 2, gradients: 2, optimizerStates: 12 };

export const memoryZeroPerDeviceQuestion: Question = {
  id: "memory.zeroPerDevice",
  notebook: "04-memory.ipynb",
  title: "ZeRO model-state bytes per device, stages 0-3",
  exports: ["zeroPerDevice"],
  publicTests: [
    test("stage 0 (plain data parallelism) keeps everything: Ψ = 7.5B, 16 B/param gives 120 GB per GPU (ZeRO Figure 1)", 1, "Without ZeRO every rank holds (2 + 2 + K) Ψ bytes, whatever N is.", (impl) =>
      checkZeroPerDeviceCase(impl, 7.5e9, MIXED_ADAM, 0, 64),
    ),
    test("stage 1 with N = 64 gives 2Ψ + 2Ψ + KΨ/N = 31.4 GB (ZeRO Figure 1)", 1, "Stage 1 (P_os) partitions only the optimizer states.", (impl) => checkZeroPerDeviceCase(impl, 7.5e9, MIXED_ADAM, 1, 64)),
    test("stage 2 with N = 64 gives 2Ψ + (2 + K)Ψ/N = 16.6 GB (ZeRO Figure 1)", 1, "Stage 2 (P_os+g) partitions the optimizer states and the gradients.", (impl) =>
      checkZeroPerDeviceCase(impl, 7.5e9, MIXED_ADAM, 2, 64),
    ),
    test("stage 3 with N = 64 gives (2 + 2 + K)Ψ/N = 1.88 GB (ZeRO Figure 1)", 1, "Stage 3 (P_os+g+p) partitions all three states.", (impl) => checkZeroPerDeviceCase(impl, 7.5e9, MIXED_ADAM, 3, 64)),
    test("uses the bytes it is given: fp32 Adam (4, 4, 8) at stage 1 with N = 8", 1, "Multiply Ψ by bytes.parameters, bytes.gradients, bytes.optimizerStates; do not assume 2, 2, 12.", (impl) =>
      checkZeroPerDeviceCase(impl, 1e9, { parameters: 4, gradients: 4, optimizerStates: 8 }, 1, 8),
    ),
  ],
};

// ---------------------------------------------------------------------------------------
// memory.activationsPerLayer
// ---------------------------------------------------------------------------------------

/** s, b, h, a (Korthikanti et al. 2022, §3). */
export interface LayerShape {
  readonly s: number;
  readonly b: number;
  readonly h: number;
  readonly a: number;
}

/** t, sequence parallelism, recomputation. */
export interface LayerParallelism {
  readonly t: number;
  readonly sequenceParallel: boolean;
  readonly recompute: RecomputeMode;
}

/** Table 2 with the typical mistakes written out. */
type ActivationVariant = "correct" | "no-replicated" | "no-attention-scores" | "scores-not-split" | "all-split" | "sp-keeps-replicated" | "full-stores-nothing" | "fp32-bytes";

export function activationsPerLayerWith(shape: LayerShape, parallel: LayerParallelism, variant: ActivationVariant = "correct"): number {
  const { s, b, h, a } = shape;
  const { t, sequenceParallel: sp, recompute } = parallel;
  const sbh = s * b * h;
  if (recompute === "full") return variant === "full-stores-nothing" ? 0 : variant === "fp32-bytes" ? 4 * sbh : 2 * sbh;
  const replicated = (sp && variant !== "sp-keeps-replicated") || variant === "all-split" || variant === "no-replicated" ? 0 : 10 * sbh;
  const split = sp || variant === "all-split" ? (34 * sbh) / t : (24 * sbh) / t;
  const scores = recompute === "selective" || variant === "no-attention-scores" ? 0 : (5 * a * s * s * b) / (variant === "scores-not-split" ? 1 : t);
  const total = replicated + split + scores;
  return variant === "fp32-bytes" ? 2 * total : total;
}

function activationMistakes(shape: LayerShape, parallel: LayerParallelism): KnownMemoryMistake<number>[] {
  return [
    { value: activationsPerLayerWith(shape, parallel, "no-attention-scores"), description: "the attention-score term 5as²b/t is missing (only selective or full recomputation drops it)" },
    { value: activationsPerLayerWith(shape, parallel, "scores-not-split"), description: "the attention scores 5as²b are not divided by t (the heads are split across the tensor-parallel ranks)" },
    { value: activationsPerLayerWith(shape, parallel, "all-split"), description: "all 34sbh were divided by t without sequence parallelism (the 10sbh of LayerNorms and dropouts stay whole: 10sbh + 24sbh/t)" },
    { value: activationsPerLayerWith(shape, parallel, "no-replicated"), description: "the 10sbh of LayerNorm inputs and dropout masks is missing (without sequence parallelism every rank keeps it whole)" },
    { value: activationsPerLayerWith(shape, parallel, "sp-keeps-replicated"), description: "sequence parallelism still keeps 10sbh whole (it splits the LayerNorm and dropout activations too: 34sbh/t)" },
    { value: activationsPerLayerWith(shape, parallel, "full-stores-nothing"), description: "full recomputation stores nothing (it keeps each layer's 16-bit input: 2sbh bytes)" },
    { value: activationsPerLayerWith(shape, parallel, "fp32-bytes"), description: "the bytes were doubled (Table 2 already counts bytes: 16-bit activations, 1-byte dropout masks)" },
  ];
}

/** Check `activationsPerLayer` on one input; shared by public and hidden tests. */
export async function checkActivationsPerLayerCase(impl: Implementation, shape: LayerShape, parallel: LayerParallelism): Promise<void> {
  const what = `activationsPerLayer({ s: ${shape.s}, b: ${shape.b}, h: ${shape.h}, a: ${shape.a} }, { t: ${parallel.t}, sequenceParallel: ${parallel.sequenceParallel}, recompute: "${parallel.recompute}" })`;
  const result = await callAnswer(impl, "memory.activationsPerLayer", "activationsPerLayer", { ...shape }, { ...parallel });
  if (typeof result !== "number" || Number.isNaN(result)) {
    throw new GradingError(`${what} should return a number of bytes, got ${result === null ? "null" : typeof result}.`);
  }
  const expected = layerActivationBytes({ seq: shape.s, batch: shape.b, hidden: shape.h, heads: shape.a }, { tensorParallel: parallel.t, sequenceParallel: parallel.sequenceParallel, recompute: parallel.recompute }).total;
  if (sameNumber(result, expected)) return;
  const mistake = activationMistakes(shape, parallel).find((m) => sameNumber(result, m.value) && !sameNumber(m.value, expected));
  const why = mistake === undefined ? " Check each term of the Table 2 row for this case." : ` Looks like ${mistake.description}.`;
  throw new GradingError(`${what} is not the expected number of bytes.${why}`, describeBytes(expected), describeBytes(result));
}

/** GPT-3's layer (Brown et al. 2020, Table 2.1): s = 2048, h = 12288, a = 96, so 5as/h = 80 (Korthikanti §5). */
const GPT3_LAYER: LayerShape = { s: 2048, b: 1, h: 12288, a: 96 };

export const memoryActivationsPerLayerQuestion: Question = {
  id: "memory.activationsPerLayer",
  notebook: "04-memory.ipynb",
  title: "Activation bytes of one transformer layer (Korthikanti et al. 2022, Table 2)",
  exports: ["activationsPerLayer"],
  publicTests: [
    test("GPT-3's layer without parallelism holds sbh(34 + 5as/h) = 2,868,903,936 bytes", 2, "s·b·h·(34 + 5·a·s/h): 11sbh + 5as²b for attention, 19sbh for the MLP, 4sbh for the LayerNorms.", (impl) =>
      checkActivationsPerLayerCase(impl, GPT3_LAYER, { t: 1, sequenceParallel: false, recompute: "none" }),
    ),
    test("tensor parallel t = 8: sbh(10 + 24/t + 5as/(ht))", 1, "Only the 24sbh inside the split matrix multiplies and the attention scores are divided by t; 10sbh stays whole.", (impl) =>
      checkActivationsPerLayerCase(impl, GPT3_LAYER, { t: 8, sequenceParallel: false, recompute: "none" }),
    ),
    test("tensor + sequence parallel t = 8: sbh(34/t + 5as/(ht))", 1, "Sequence parallelism splits the LayerNorm and dropout activations by t as well.", (impl) =>
      checkActivationsPerLayerCase(impl, GPT3_LAYER, { t: 8, sequenceParallel: true, recompute: "none" }),
    ),
    test("selective recomputation drops the attention scores: sbh(34/t) with sequence parallelism", 1, "Selective recomputation recomputes softmax and attention dropout: the 5as²b/t term is not stored.", (impl) =>
      checkActivationsPerLayerCase(impl, GPT3_LAYER, { t: 8, sequenceParallel: true, recompute: "selective" }),
    ),
    test("full recomputation keeps only the layer input: 2sbh bytes", 1, "Full recomputation stores the layer's 16-bit input (2 bytes per value) and nothing else.", (impl) =>
      checkActivationsPerLayerCase(impl, GPT3_LAYER, { t: 8, sequenceParallel: false, recompute: "full" }),
    ),
  ],
};

// ---------------------------------------------------------------------------------------
// memory.fitsOnGpu
// ---------------------------------------------------------------------------------------

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

function fitMistakes(requiredBytes: number, capacity: number, unit: "GB" | "GiB", headroom: GradedHeadroom): KnownMemoryMistake<GradedFitVerdict>[] {
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
export async function checkFitsOnGpuCase(impl: Implementation, requiredBytes: number, capacity: number, unit: "GB" | "GiB", headroom: GradedHeadroom): Promise<void> {
  const what = `fitsOnGpu(${requiredBytes}, ${capacity}, "${unit}", { overheadBytes: ${headroom.overheadBytes}, fragmentationFraction: ${headroom.fragmentationFraction} })`;
  const result = await callAnswer(impl, "memory.fitsOnGpu", "fitsOnGpu", requiredBytes, capacity, unit, { ...headroom });
  const received = readVerdict(result, what);
  const library = referenceFitsOnGpu(requiredBytes, capacity * (unit === "GB" ? BYTES_PER_GB : BYTES_PER_GIB), headroom);
  const expected: GradedFitVerdict =
    library.kind === "fits"
      ? { kind: "fits", availableBytes: library.availableBytes, spareBytes: library.spareBytes }
      : { kind: "does-not-fit", availableBytes: library.availableBytes, shortfallBytes: library.shortfallBytes };
  if (sameVerdict(received, expected)) return;
  const mistake = fitMistakes(requiredBytes, capacity, unit, headroom).find((m) => sameVerdict(received, m.value) && !sameVerdict(m.value, expected));
  const why = mistake === undefined ? " Check the capacity in bytes, availableBytes, the verdict and the margin." : ` Looks like ${mistake.description}.`;
  throw new GradingError(`${what} is wrong.${why}`, showVerdict(expected), showVerdict(received));
}

const NO_HEADROOM: GradedHeadroom = { overheadBytes: 0, fragmentationFraction: 0 };

export const memoryFitsOnGpuQuestion: Question = {
  id: "memory.fitsOnGpu",
  notebook: "04-memory.ipynb",
  title: "Does it fit? A verdict with the bytes spare or short",
  exports: ["fitsOnGpu"],
  publicTests: [
    test("85e9 bytes fit on 80 GiB (85.9e9 bytes) but not on 80 GB, without headroom", 2, "Convert the capacity first: GB means 10^9 bytes, GiB means 2^30 bytes.", async (impl) => {
      await checkFitsOnGpuCase(impl, 85e9, 80, "GiB", NO_HEADROOM);
      await checkFitsOnGpuCase(impl, 85e9, 80, "GB", NO_HEADROOM);
    }),
    test("the lecture's 1B model (20 GB) on a 40 GiB A100 with 1 GiB overhead and 5% fragmentation", 1, "available = capacity · (1 − fragmentationFraction) − overheadBytes; spare = available − required.", (impl) =>
      checkFitsOnGpuCase(impl, 20e9, 40, "GiB", { overheadBytes: BYTES_PER_GIB, fragmentationFraction: 0.05 }),
    ),
    test("GPT-2's 24 GB of model states on a 16 GiB V100 does not fit, and the shortfall is positive", 1, "shortfallBytes = required − available, a positive number of bytes.", (impl) =>
      checkFitsOnGpuCase(impl, 24e9, 16, "GiB", { overheadBytes: BYTES_PER_GIB, fragmentationFraction: 0.05 }),
    ),
    test("a job that needs exactly the available bytes fits, with 0 bytes spare", 1, "Fitting means required <= available.", (impl) =>
      checkFitsOnGpuCase(impl, 30e9, 32, "GB", { overheadBytes: 2e9, fragmentationFraction: 0 }),
    ),
  ],
};

/** Lab 4's questions, in notebook order. */
export const memoryQuestions: readonly Question[] = [memoryBytesPerParameterQuestion, memoryZeroPerDeviceQuestion, memoryActivationsPerLayerQuestion, memoryFitsOnGpuQuestion];

/** A graded test (the memory questions create no tensors). */
export function memoryTest(name: string, points: number, hint: string, run: (impl: Implementation) => Promise<void>): GradedTest {
  return { name, points, hint, run };
}

function test(name: string, points: number, hint: string, run: (impl: Implementation) => Promise<void>): GradedTest {
  return memoryTest(name, points, hint, run);
}
