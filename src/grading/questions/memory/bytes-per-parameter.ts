/**
 * memory.bytesPerParameter (notebooks/04-memory.ipynb): bytes per parameter of each model
 * state for a precision recipe (ZeRO §3.1: 2 + 2 + K with K = 12 for mixed-precision Adam).
 *
 *   bytesPerParameter(precision) -> { parameters, gradients, optimizerStates, total }
 *
 * The rule is derived below from the dtypes and checked against the library's named
 * recipes (`PRECISION_RECIPES`, src/memory/precision-recipe.ts; test/graded/memory.test.ts).
 */
import { callAnswer, type Implementation, type Question } from "../../question";
import { gradedTest, type KnownMistake } from "../expectations";
import { expectStates, readStateBytes, states, type StateBytes } from "./state-bytes";
import type { TrainingDtype, TrainingPrecision } from "../../../memory/your-answers";

/** The answer's input types, declared once with the library's side of the exercise. */
export type { TrainingDtype, TrainingPrecision };

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

function bytesPerParameterMistakes(p: TrainingPrecision): KnownMistake<StateBytes>[] {
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
export async function checkBytesPerParameterCase(impl: Implementation, precision: TrainingPrecision, label?: string): Promise<void> {
  const what = label ?? describePrecision(precision);
  const expected = bytesPerParameterWith(precision);
  const mistakes = bytesPerParameterMistakes(precision);
  const result = await callAnswer(impl, "memory.bytesPerParameter", "bytesPerParameter", { ...precision });
  expectStates(readStateBytes(result, what), expected, what, mistakes);
}

export const memoryBytesPerParameterQuestion: Question = {
  id: "memory.bytesPerParameter",
  notebook: "04-memory.ipynb",
  title: "Bytes per parameter of a precision recipe",
  exports: ["bytesPerParameter"],
  references: ["bytesPerParameter"],
  publicTests: [
    gradedTest("mixed-precision Adam (fp16 weights and gradients) costs 2 + 2 + 12 = 16 bytes per parameter (ZeRO §3.1, K = 12)", 2, "fp16 weights (2) + fp16 gradients (2) + fp32 master weights, m and v (4 + 4 + 4).", (impl) =>
      checkBytesPerParameterCase(impl, { weights: "fp16", gradients: "fp16", optimizer: "adam", fp32GradientCopy: false }),
    ),
    gradedTest("with an fp32 gradient copy it is the lecture's 2 + 2 + 16 = 20 bytes per parameter", 1, "The lecture counts four fp32 states: master weights, m, v and a copy of the gradient.", (impl) =>
      checkBytesPerParameterCase(impl, { weights: "fp16", gradients: "fp16", optimizer: "adam", fp32GradientCopy: true }),
    ),
    gradedTest("plain fp32 Adam costs 4 + 4 + 8 = 16 bytes per parameter (no master copy needed)", 1, "fp32 weights are already the master copy; Adam adds m and v.", (impl) =>
      checkBytesPerParameterCase(impl, { weights: "fp32", gradients: "fp32", optimizer: "adam", fp32GradientCopy: false }),
    ),
    gradedTest("bf16 weights with fp32 gradients and Adam cost 2 + 4 + 12 = 18 bytes per parameter (Megatron)", 1, "bf16 is 2 bytes, like fp16; the gradients are fp32 here (4 bytes).", (impl) =>
      checkBytesPerParameterCase(impl, { weights: "bf16", gradients: "fp32", optimizer: "adam", fp32GradientCopy: false }),
    ),
  ],
};
