/**
 * memory.activationsPerLayer (notebooks/04-memory.ipynb): one transformer layer's
 * activation bytes (Korthikanti et al. 2022, Table 2).
 *
 *   activationsPerLayer(shape, parallel) -> bytes
 *
 * The reference is the library's `layerActivationBytes` (src/memory/activations.ts).
 */
import { layerActivationBytes as libraryLayerActivationBytes, type RecomputeMode } from "../../../memory/activations";
import { callAnswer, GradingError, type Implementation, type Question } from "../../question";
import { gradedTest, looksLike, matchingMistakes, sameNumber, type KnownMistake } from "../expectations";
import { describeBytes } from "./state-bytes";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const layerActivationBytes = recordedReference("layerActivationBytes", libraryLayerActivationBytes);

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

function activationMistakes(shape: LayerShape, parallel: LayerParallelism): KnownMistake<number>[] {
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
export async function checkActivationsPerLayerCase(impl: Implementation, shape: LayerShape, parallel: LayerParallelism, label?: string): Promise<void> {
  const what = label ?? `activationsPerLayer({ s: ${shape.s}, b: ${shape.b}, h: ${shape.h}, a: ${shape.a} }, { t: ${parallel.t}, sequenceParallel: ${parallel.sequenceParallel}, recompute: "${parallel.recompute}" })`;
  const expected = layerActivationBytes({ seq: shape.s, batch: shape.b, hidden: shape.h, heads: shape.a }, { tensorParallel: parallel.t, sequenceParallel: parallel.sequenceParallel, recompute: parallel.recompute }).total;
  const mistakes = activationMistakes(shape, parallel);
  const result = await callAnswer(impl, "memory.activationsPerLayer", "activationsPerLayer", { ...shape }, { ...parallel });
  if (typeof result !== "number" || Number.isNaN(result)) {
    throw new GradingError(`${what} should return a number of bytes, got ${result === null ? "null" : typeof result}.`);
  }
  if (sameNumber(result, expected)) return;
  const matched = matchingMistakes(result, expected, mistakes, sameNumber);
  const why = matched.length === 0 ? " Check each term of the Table 2 row for this case." : looksLike(matched);
  throw new GradingError(`${what} is not the expected number of bytes.${why}`, describeBytes(expected), describeBytes(result));
}

/** GPT-3's layer (Brown et al. 2020, Table 2.1): s = 2048, h = 12288, a = 96, so 5as/h = 80 (Korthikanti §5). */
const GPT3_LAYER: LayerShape = { s: 2048, b: 1, h: 12288, a: 96 };

export const memoryActivationsPerLayerQuestion: Question = {
  id: "memory.activationsPerLayer",
  notebook: "04-memory.ipynb",
  title: "Activation bytes of one transformer layer (Korthikanti et al. 2022, Table 2)",
  exports: ["activationsPerLayer"],
  references: ["layerActivationBytes", "deviceActivationBytes"],
  publicTests: [
    gradedTest("GPT-3's layer without parallelism holds sbh(34 + 5as/h) = 2,868,903,936 bytes", 2, "s·b·h·(34 + 5·a·s/h): 11sbh + 5as²b for attention, 19sbh for the MLP, 4sbh for the LayerNorms.", (impl) =>
      checkActivationsPerLayerCase(impl, GPT3_LAYER, { t: 1, sequenceParallel: false, recompute: "none" }),
    ),
    gradedTest("tensor parallel t = 8: sbh(10 + 24/t + 5as/(ht))", 1, "Only the 24sbh inside the split matrix multiplies and the attention scores are divided by t; 10sbh stays whole.", (impl) =>
      checkActivationsPerLayerCase(impl, GPT3_LAYER, { t: 8, sequenceParallel: false, recompute: "none" }),
    ),
    gradedTest("tensor + sequence parallel t = 8: sbh(34/t + 5as/(ht))", 1, "Sequence parallelism splits the LayerNorm and dropout activations by t as well.", (impl) =>
      checkActivationsPerLayerCase(impl, GPT3_LAYER, { t: 8, sequenceParallel: true, recompute: "none" }),
    ),
    gradedTest("selective recomputation drops the attention scores: sbh(34/t) with sequence parallelism", 1, "Selective recomputation recomputes softmax and attention dropout: the 5as²b/t term is not stored.", (impl) =>
      checkActivationsPerLayerCase(impl, GPT3_LAYER, { t: 8, sequenceParallel: true, recompute: "selective" }),
    ),
    gradedTest("full recomputation keeps only the layer input: 2sbh bytes", 1, "Full recomputation stores the layer's 16-bit input (2 bytes per value) and nothing else.", (impl) =>
      checkActivationsPerLayerCase(impl, GPT3_LAYER, { t: 8, sequenceParallel: false, recompute: "full" }),
    ),
  ],
};
