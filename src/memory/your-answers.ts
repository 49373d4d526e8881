/**
 * Lab 04's answers, as the library's memory accounting calls them in lab 04's edition.
 *
 * The student edition of lab 04 (`efflab release --lab 04`) ships no working reference of
 * the lab's four exercises; its library runs the student's own answers instead
 * (foundation/your-answer.ts): `bytesPerParameter` (precision-recipe.ts),
 * `zeroModelStates` (model-states.ts) and `zeroFormulaBytes` (parallel/zero.ts),
 * `layerActivationBytes` (activations.ts) and `fitsOnGpu` (fit.ts). Everything built on
 * them (`deviceMemory`, the figures, the planner) then computes with the student's numbers.
 *
 * The answers' signatures are those of the answer cells in notebooks/04-memory.ipynb; each
 * library function converts its inputs and outputs at the boundary (recipe to dtypes,
 * capacity in bytes to GiB, field names), exactly, so a correct answer gives the master's
 * numbers to the last bit. What an answer cannot give is refused with a message, never guessed.
 */
import type { LayerActivationBreakdown, RecomputeMode } from "./activations";
import type { FitVerdict } from "./fit";

/** Storage type of a tensor: fp32 takes 4 bytes per number, fp16 and bf16 take 2. */
export type TrainingDtype = "fp32" | "fp16" | "bf16";

/** How a training job stores each parameter (the input of `bytesPerParameter`, memory.bytesPerParameter). */
export interface TrainingPrecision {
  /** dtype of the working weights used by forward and backward. */
  readonly weights: TrainingDtype;
  /** dtype of the gradients the backward pass produces. */
  readonly gradients: TrainingDtype;
  /** fp32 moments per parameter: SGD 0, momentum 1 (velocity), Adam 2 (m and v). */
  readonly optimizer: "sgd" | "momentum" | "adam";
  /** The optimizer also keeps an fp32 copy of a 16-bit gradient (the lecture's 20-byte count). */
  readonly fp32GradientCopy: boolean;
}

/** Bytes by model state: per parameter (memory.bytesPerParameter) or per device (memory.zeroPerDevice). */
export interface StateBytesAnswer {
  readonly parameters: number;
  readonly gradients: number;
  readonly optimizerStates: number;
  readonly total: number;
}

/** memory.bytesPerParameter: bytes per parameter of each model state. */
export type BytesPerParameterAnswer = (precision: TrainingPrecision) => StateBytesAnswer;

/** memory.zeroPerDevice: declared with the ZeRO byte model, which lab 03's simulation uses too. */
export type { ZeroPerDeviceAnswer } from "../parallel/zero-bytes";

/** memory.activationsPerLayer: activation bytes of one transformer layer on one device (Korthikanti et al. 2022, Table 2). */
export type ActivationsPerLayerAnswer = (
  shape: { readonly s: number; readonly b: number; readonly h: number; readonly a: number },
  parallel: { readonly t: number; readonly sequenceParallel: boolean; readonly recompute: RecomputeMode },
) => number;

/** memory.fitsOnGpu's verdict: bytes available, and spare or short (both >= 0). */
export type VerdictAnswer =
  | { readonly kind: "fits"; readonly availableBytes: number; readonly spareBytes: number }
  | { readonly kind: "does-not-fit"; readonly availableBytes: number; readonly shortfallBytes: number };

/** memory.fitsOnGpu: does a job of `requiredBytes` fit on a GPU of `capacity` GB (10^9 bytes) or GiB (2^30 bytes)? */
export type FitsOnGpuAnswer = (
  requiredBytes: number,
  capacity: number,
  unit: "GB" | "GiB",
  headroom: { readonly overheadBytes: number; readonly fragmentationFraction: number },
) => VerdictAnswer;

const LAYER_PARTS = ["replicated", "split", "attentionScores", "checkpoint"] as const;

/**
 * A layer's activation breakdown of which only the total is known: the student's
 * `activationsPerLayer` returns one number. The total reads as usual; reading one of
 * the four terms throws, saying why (the terms are not enumerable, so spreading or
 * printing the breakdown shows the total alone).
 */
export function layerTotalOnly(total: number): LayerActivationBreakdown {
  const breakdown = { total } as { total: number } & Record<(typeof LAYER_PARTS)[number], number>;
  for (const part of LAYER_PARTS) {
    Object.defineProperty(breakdown, part, {
      enumerable: false,
      get: (): never => {
        throw new Error(
          `layerActivationBytes(...).${part} is not known here: in lab 04's edition lab.layerActivationBytes runs your activationsPerLayer, ` +
            `which gives the layer's total (${total} bytes), not Table 2's terms. Read .total, or write the term yourself from Korthikanti et al. 2022, Table 2.`,
        );
      },
    });
  }
  return breakdown;
}

/**
 * The library's verdict (fit.ts) from the student's: same kind and margin, with the
 * required and capacity bytes the library also reports.
 * @param capacityBytes the capacity the answer was given, in bytes
 */
export function fitVerdictOf(verdict: VerdictAnswer, requiredBytes: number, capacityBytes: number): FitVerdict {
  const { availableBytes } = verdict;
  if (availableBytes < 0) {
    throw new Error(
      `fitsOnGpu: the headroom is larger than the capacity (${capacityBytes} bytes), so your fitsOnGpu gives availableBytes = ${availableBytes}; ` +
        `the library counts 0 bytes available there, which your answer cannot say. Use a larger capacity or less headroom.`,
    );
  }
  switch (verdict.kind) {
    case "fits":
      return { kind: "fits", requiredBytes, availableBytes, capacityBytes, spareBytes: verdict.spareBytes };
    case "does-not-fit":
      return { kind: "does-not-fit", requiredBytes, availableBytes, capacityBytes, shortfallBytes: verdict.shortfallBytes };
    default:
      throw new Error(`Your fitsOnGpu returned kind ${JSON.stringify((verdict as { kind?: unknown }).kind)}; expected "fits" or "does-not-fit".`);
  }
}
