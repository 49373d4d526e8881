/**
 * Hidden tests of lab 6's precision questions (never shipped in the student edition): many
 * values across fp16's range and its edges, NaN and signed zeros; loss-scaler steps with
 * other constants, NaN gradients and growth at other intervals.
 */
import type { HiddenTests } from "../../../src/grading/question";
import { gradedTest } from "../../../src/grading/questions/expectations";
import { checkToFp16Cases } from "../../../src/grading/questions/precision/to-fp16";
import { checkLossScalerCase } from "../../../src/grading/questions/precision/loss-scaler";
import { createRng } from "../../../src/foundation/random";

/** Values spread over fp16's binades (2^-26 … 2^17), both signs, from a fixed seed. */
function spread(count: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => (rng.uniform() < 0.5 ? -1 : 1) * 2 ** (-26 + 43 * rng.uniform()));
}

export const precisionHiddenTests: HiddenTests[] = [
  {
    questionId: "precision.toFp16",
    tests: [
      gradedTest("two hundred values across the whole range of fp16", 2, "Every binade, both signs.", (impl) => checkToFp16Cases(impl, spread(200, 61), "values across the range")),
      gradedTest("edges: the largest subnormal, the smallest normal, and their neighbours", 1, "2^-14 − 2^-24 is the largest subnormal.", (impl) =>
        checkToFp16Cases(impl, [2 ** -14 - 2 ** -24, 2 ** -14, 2 ** -14 - 2 ** -25, 2 ** -14 + 2 ** -25, 2 ** -24 * 1.5, 2 ** -24 * 2.5], "edges"),
      ),
      gradedTest("ties in several binades and signs", 1, "Ties to even at every exponent.", (impl) =>
        checkToFp16Cases(impl, [0.5 + 2 ** -12, 0.5 + 3 * 2 ** -12, -(1024 + 0.5), 1025.5, 32768 + 16, 32768 + 48, -(4 + 2 ** -9)], "ties"),
      ),
      gradedTest("NaN stays NaN, signed zeros keep their sign, infinities stay infinite", 1, "Handle the special values first.", (impl) =>
        checkToFp16Cases(impl, [NaN, 0, -0, Infinity, -Infinity, -65520, 65504.5], "special values"),
      ),
    ],
  },
  {
    questionId: "precision.lossScaler",
    tests: [
      gradedTest("a NaN gradient counts as an overflow", 1, "Number.isFinite is false for NaN too.", (impl) =>
        checkLossScalerCase(impl, { scale: 8192, growthTracker: 17 }, [0.5, NaN], { growthFactor: 2, backoffFactor: 0.5, growthInterval: 2000 }, "lossScalerStep with a NaN gradient"),
      ),
      gradedTest("other constants: growth ×4 every 3 clean steps, back-off ×0.25", 1, "Use the options given.", async (impl) => {
        await checkLossScalerCase(impl, { scale: 256, growthTracker: 2 }, [256, 1024], { growthFactor: 4, backoffFactor: 0.25, growthInterval: 3 }, "lossScalerStep at the third clean step");
        await checkLossScalerCase(impl, { scale: 256, growthTracker: 1 }, [-Infinity], { growthFactor: 4, backoffFactor: 0.25, growthInterval: 3 }, "lossScalerStep on an overflow");
        await checkLossScalerCase(impl, { scale: 256, growthTracker: 1 }, [-512], { growthFactor: 4, backoffFactor: 0.25, growthInterval: 3 }, "lossScalerStep at the second clean step");
      }),
      gradedTest("growth interval of 1: every clean step grows the scale", 1, "Tracker + 1 = 1 = interval.", (impl) =>
        checkLossScalerCase(impl, { scale: 2, growthTracker: 0 }, [3, 5], { growthFactor: 2, backoffFactor: 0.5, growthInterval: 1 }, "lossScalerStep with growth interval 1"),
      ),
      gradedTest("an empty gradient list is a clean step", 1, "No gradient overflowed.", (impl) =>
        checkLossScalerCase(impl, { scale: 65536, growthTracker: 5 }, [], { growthFactor: 2, backoffFactor: 0.5, growthInterval: 2000 }, "lossScalerStep with no gradients"),
      ),
    ],
  },
];
