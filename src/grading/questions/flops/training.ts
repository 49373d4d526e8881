/**
 * flops.training (notebooks/06-profiling-precision.ipynb): training FLOPs.
 *
 *   trainingFlops(P, D, recompute) -> { forward, backward, recompute, total }
 *   2PD forward, 4PD backward, 2PD more with full recomputation
 *   (Kaplan et al. 2020 §2.1; Narayanan et al. 2021 §5.1)
 *
 * The reference is the library's `trainingFlopsRule` (src/profiling/flops.ts).
 */
import { trainingFlopsRule as libraryTrainingFlopsRule } from "../../../profiling/flops";
import { callAnswer, GradingError, type Implementation, type Question } from "../../question";
import { gradedTest, looksLike, matchingMistakes } from "../expectations";
import { readNumbers, sameFlops, showNumbers } from "./numbers";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const trainingFlopsRule = recordedReference("trainingFlopsRule", libraryTrainingFlopsRule);

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
export async function checkTrainingFlopsCase(impl: Implementation, P: number, D: number, recompute: "none" | "full", label?: string): Promise<void> {
  const what = label ?? `trainingFlops(${P}, ${D}, "${recompute}")`;
  const library = trainingFlopsRule(P, D, recompute);
  const expected: TrainingResult = { forward: library.forward, backward: library.backward, recompute: library.recompute, total: library.total };
  const same = (a: TrainingResult, b: TrainingResult): boolean => TRAINING_FIELDS.every((f) => sameFlops(a[f], b[f]));
  const mistakes = trainingMistakes(P, D, recompute);
  const received = readNumbers(await callAnswer(impl, "flops.training", "trainingFlops", P, D, recompute), TRAINING_FIELDS, what);
  if (same(received, expected)) return;
  const matched = matchingMistakes(received, expected, mistakes, same);
  if (matched.length > 0) throw new GradingError(`${what} is wrong.${looksLike(matched)}`, showNumbers(expected, TRAINING_FIELDS), showNumbers(received, TRAINING_FIELDS));
  const field = TRAINING_FIELDS.find((f) => !sameFlops(received[f], expected[f]))!;
  throw new GradingError(`${what}.${field} is ${received[field]}, which is not the expected number of FLOPs.`, showNumbers(expected, TRAINING_FIELDS), showNumbers(received, TRAINING_FIELDS));
}

export const flopsTrainingQuestion: Question = {
  id: "flops.training",
  notebook: "06-profiling-precision.ipynb",
  title: "Training FLOPs: 6PD, and 8PD with full recomputation",
  exports: ["trainingFlops"],
  references: ["trainingFlopsRule"],
  publicTests: [
    gradedTest("a 1M-parameter model on 1000 tokens: 2e9 forward, 4e9 backward, 6e9 in all", 1, "forward = 2PD (a multiply and an add per parameter per token); backward = 2 × forward.", (impl) =>
      checkTrainingFlopsCase(impl, 1e6, 1e3, "none"),
    ),
    gradedTest("GPT-3 (175B parameters, 300B tokens) needs 6PD = 3.15e23 FLOPs (Brown et al. 2020, Table D.1: 3.14e23)", 2, "C ≈ 6PD (Kaplan et al. 2020 §2.1).", (impl) =>
      checkTrainingFlopsCase(impl, 175e9, 300e9, "none"),
    ),
    gradedTest("full recomputation adds a forward pass: 8PD", 2, "Recomputation runs the forward pass again inside the backward pass: +2PD.", (impl) =>
      checkTrainingFlopsCase(impl, 175e9, 300e9, "full"),
    ),
  ],
};
