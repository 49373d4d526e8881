/**
 * The dtypes and optimizer behind each precision recipe (recipePrecision), against the
 * rule memory.bytesPerParameter grades (ZeRO §3.1; the lecture's 20 bytes with an fp32
 * gradient copy), written out independently in the grader.
 */
import { describe, expect, test } from "vitest";
import { bytesPerParameterWith } from "../../src/grading/questions/memory/bytes-per-parameter";
import { customRecipe, PRECISION_RECIPES, RECIPE_NAMES, recipePrecision } from "../../src/memory/precision-recipe";

describe("recipePrecision", () => {
  test.each(RECIPE_NAMES)("the dtypes of %s give its bytes per state by the graded rule", (name) => {
    const recipe = PRECISION_RECIPES[name];
    const bytes = bytesPerParameterWith(recipePrecision(name));
    expect([bytes.parameters, bytes.gradients, bytes.optimizerStates]).toEqual([recipe.parameterBytes, recipe.gradientBytes, recipe.optimizerBytes]);
    expect(recipePrecision(recipe)).toEqual(recipePrecision(name));
  });

  test("a custom recipe with a named recipe's bytes gets its dtypes: 2 + 2 + 16 is the lecture's fp16 Adam with an fp32 gradient copy", () => {
    expect(recipePrecision(customRecipe("lecture (yours)", 2, 2, 16))).toEqual({ weights: "fp16", gradients: "fp16", optimizer: "adam", fp32GradientCopy: true });
  });

  test("a custom recipe that matches no named one is refused, naming its bytes and what to do", () => {
    expect(() => recipePrecision(customRecipe("adam-8bit", 2, 2, 6))).toThrow(/got "adam-8bit" with 2 \+ 2 \+ 6: its bytes do not say its dtypes and optimizer\. Pass a named recipe/);
    expect(() => recipePrecision("adam" as never)).toThrow(/Expected recipe to be one of mixed-adam/);
  });
});
