/**
 * Precision recipes: how many bytes each parameter costs in model states.
 *
 * Model states are the parameters, their gradients and the optimizer states
 * (Rajbhandari et al. 2020, "ZeRO", §3.1). With Adam and mixed precision
 * (Micikevicius et al. 2018) a parameter is stored in fp16 (2 bytes), its gradient
 * in fp16 (2 bytes), and the optimizer keeps fp32 copies: the master parameter,
 * the momentum and the variance (4 + 4 + 4 = K = 12 bytes). ZeRO §3.1:
 *
 *   memory = 2Ψ + 2Ψ + KΨ = 16Ψ bytes for Ψ parameters.
 *
 * The lecture also keeps an fp32 copy of the gradient among the optimizer states
 * (K = 16), giving 20 bytes per parameter: "a 1B-parameter model needs 20 GB".
 * Both counts are recipes here; pick one explicitly.
 */

import type { BytesPerParameterAnswer, TrainingPrecision } from "./your-answers";

/** The recipes defined in DESIGN.md ("Definitions to keep consistent"). */
export type RecipeName = "mixed-adam" | "mixed-adam-fp32-grads" | "fp32-adam" | "bf16-adam-fp32-grads";

/** Bytes per parameter of each model state. */
export interface PrecisionRecipe {
  readonly name: string;
  /** Bytes per parameter of the working parameters (fp16/bf16: 2, fp32: 4). */
  readonly parameterBytes: number;
  /** Bytes per parameter of the gradients. */
  readonly gradientBytes: number;
  /** K: bytes per parameter of the optimizer states (fp32 master copy, moments, ...). */
  readonly optimizerBytes: number;
  /** Where the numbers come from. */
  readonly source: string;
}

/** The named recipes. Sum of the three fields = bytes per parameter. */
export const PRECISION_RECIPES: Readonly<Record<RecipeName, PrecisionRecipe>> = {
  "mixed-adam": {
    name: "mixed-adam",
    parameterBytes: 2, // fp16 parameters
    gradientBytes: 2, // fp16 gradients
    optimizerBytes: 12, // fp32 parameter copy + momentum + variance (K = 12)
    source: "Rajbhandari et al. 2020 (ZeRO), §3.1: 2Ψ + 2Ψ + KΨ with K = 12, 16 bytes per parameter",
  },
  "mixed-adam-fp32-grads": {
    name: "mixed-adam-fp32-grads",
    parameterBytes: 2, // fp16 parameters
    gradientBytes: 2, // fp16 gradients
    optimizerBytes: 16, // fp32 parameter copy + momentum + variance + gradient
    source: "Course lecture 'Breaking the memory wall': 2 + 2 + 16 = 20 bytes per parameter (1B parameters -> 20 GB)",
  },
  "fp32-adam": {
    name: "fp32-adam",
    parameterBytes: 4, // fp32 parameters (they are the master copy)
    gradientBytes: 4, // fp32 gradients
    optimizerBytes: 8, // fp32 momentum + variance
    source: "Kingma & Ba 2015, Algorithm 1: m and v per parameter, all in fp32 (16 bytes per parameter)",
  },
  "bf16-adam-fp32-grads": {
    name: "bf16-adam-fp32-grads",
    parameterBytes: 2, // bf16 parameters
    gradientBytes: 4, // fp32 gradient accumulation buffer
    optimizerBytes: 12, // fp32 parameter copy + momentum + variance
    source: "Megatron-LM (Korthikanti et al. 2022 setup): bf16 weights, fp32 main grads, fp32 Adam: 18 bytes per parameter",
  },
};

export const RECIPE_NAMES: readonly RecipeName[] = Object.keys(PRECISION_RECIPES) as RecipeName[];

/** Bytes per parameter of a recipe: parameters + gradients + optimizer states. */
export function bytesPerParameter(recipe: PrecisionRecipe | RecipeName): number {
  // BEGIN SOLUTION memory.bytesPerParameter
  const r = resolveRecipe(recipe);
  return r.parameterBytes + r.gradientBytes + r.optimizerBytes;
  // STUDENT EDITION
  // const yourBytesPerParameter = yours.answer<BytesPerParameterAnswer>("bytesPerParameter");
  // return yourBytesPerParameter(recipePrecision(recipe)).total; // your answer takes the recipe's dtypes and optimizer
  // END SOLUTION
}

/** The dtypes and optimizer behind each named recipe (see its `source`). */
export const RECIPE_PRECISIONS: Readonly<Record<RecipeName, TrainingPrecision>> = {
  "mixed-adam": { weights: "fp16", gradients: "fp16", optimizer: "adam", fp32GradientCopy: false },
  "mixed-adam-fp32-grads": { weights: "fp16", gradients: "fp16", optimizer: "adam", fp32GradientCopy: true },
  "fp32-adam": { weights: "fp32", gradients: "fp32", optimizer: "adam", fp32GradientCopy: false },
  "bf16-adam-fp32-grads": { weights: "bf16", gradients: "fp32", optimizer: "adam", fp32GradientCopy: false },
};

/**
 * How a recipe stores each parameter: a named recipe's dtypes and optimizer, or for a
 * custom recipe those of the named recipe with the same bytes per state (fp16 and bf16
 * both take 2 bytes, so the bytes are all that counts). Throws for a custom recipe that
 * matches none (8-bit Adam, ...): its bytes alone do not say its dtypes.
 *
 * @example recipePrecision(customRecipe("lecture", 2, 2, 16)) // fp16 weights and gradients, Adam, fp32 gradient copy
 */
export function recipePrecision(recipe: PrecisionRecipe | RecipeName): TrainingPrecision {
  if (typeof recipe === "string" && isRecipeName(recipe)) return RECIPE_PRECISIONS[recipe];
  const r = resolveRecipe(recipe);
  const same = RECIPE_NAMES.find((name) => {
    const named = PRECISION_RECIPES[name];
    return named.parameterBytes === r.parameterBytes && named.gradientBytes === r.gradientBytes && named.optimizerBytes === r.optimizerBytes;
  });
  if (same !== undefined) return RECIPE_PRECISIONS[same];
  const named = RECIPE_NAMES.map((name) => `${name} ${recipeBytesText(PRECISION_RECIPES[name])}`).join(", ");
  throw new Error(
    `Expected a recipe with the bytes per state of a named recipe (${named}), got "${r.name}" with ${recipeBytesText(r)}: ` +
      `its bytes do not say its dtypes and optimizer. Pass a named recipe, or describe the precision yourself ({ weights, gradients, optimizer, fp32GradientCopy }).`,
  );
}

function recipeBytesText(r: PrecisionRecipe): string {
  return `${r.parameterBytes} + ${r.gradientBytes} + ${r.optimizerBytes}`;
}

/** Look up a recipe by name, or validate a custom one. */
export function resolveRecipe(recipe: PrecisionRecipe | RecipeName | string): PrecisionRecipe {
  if (typeof recipe === "string") {
    if (isRecipeName(recipe)) return PRECISION_RECIPES[recipe];
    throw new Error(`Expected recipe to be one of ${RECIPE_NAMES.join(", ")}, got "${recipe}". Or pass a custom recipe object.`);
  }
  for (const field of ["parameterBytes", "gradientBytes", "optimizerBytes"] as const) {
    const value = recipe[field];
    if (!Number.isFinite(value) || value < 0) {
      throw new Error(`Expected recipe ${field} to be a number of bytes >= 0, got ${value}.`);
    }
  }
  return recipe;
}

/** Build a custom recipe, e.g. 8-bit Adam: `customRecipe("adam-8bit", 2, 2, 6)`. */
export function customRecipe(name: string, parameterBytes: number, gradientBytes: number, optimizerBytes: number): PrecisionRecipe {
  return resolveRecipe({ name, parameterBytes, gradientBytes, optimizerBytes, source: "custom" });
}

function isRecipeName(name: string): name is RecipeName {
  return Object.prototype.hasOwnProperty.call(PRECISION_RECIPES, name);
}
