/**
 * Hidden tests of lab 6's FLOPs questions (never shipped in the student edition): other
 * model sizes and token counts, other clusters and step times. Messages never show
 * expected values (the grader suppresses `expected`/`received` for hidden tests) nor the
 * inputs: each check is given a label that names the case instead.
 */
import type { HiddenTests } from "../../../src/grading/question";
import { gradedTest } from "../../../src/grading/questions/expectations";
import { checkTrainingFlopsCase } from "../../../src/grading/questions/flops/training";
import { checkUtilizationCase } from "../../../src/grading/questions/flops/mfu";

export const flopsHiddenTests: HiddenTests[] = [
  {
    questionId: "flops.training",
    tests: [
      gradedTest("Chinchilla-sized run: 70B parameters on 1.4T tokens", 1, "6PD.", (impl) => checkTrainingFlopsCase(impl, 70e9, 1.4e12, "none", "trainingFlops of the Chinchilla-sized run")),
      gradedTest("a small model with full recomputation", 1, "8PD.", (impl) => checkTrainingFlopsCase(impl, 3e5, 7e4, "full", "trainingFlops of the small model with full recomputation")),
      gradedTest("recomputation of a 1.3B model over 26B tokens", 1, "Recompute adds one forward.", async (impl) => {
        await checkTrainingFlopsCase(impl, 1.3e9, 26e9, "full", "trainingFlops of the 1.3B model with full recomputation");
        await checkTrainingFlopsCase(impl, 1.3e9, 26e9, "none", "trainingFlops of the 1.3B model without recomputation");
      }),
    ],
  },
  {
    questionId: "flops.mfu",
    tests: [
      gradedTest("a 530B model on 2240 A100s without recomputation", 1, "MFU = HFU without recomputation.", (impl) =>
        checkUtilizationCase(impl, { parameters: 530e9, tokensPerStep: 1920 * 2048, stepSeconds: 36.2, devices: 2240, peakFlopsPerDevice: 312e12, recompute: "none" }, "utilization of the 530B run"),
      ),
      gradedTest("a laptop-sized run with full recomputation", 1, "HFU counts 8 · P · tokens.", (impl) =>
        checkUtilizationCase(impl, { parameters: 2.5e5, tokensPerStep: 512, stepSeconds: 0.04, devices: 1, peakFlopsPerDevice: 3e10, recompute: "full" }, "utilization of the laptop-sized run"),
      ),
      gradedTest("eight devices with full recomputation", 1, "Divide by time × N × peak.", (impl) =>
        checkUtilizationCase(impl, { parameters: 7e9, tokensPerStep: 4 * 4096, stepSeconds: 2.1, devices: 8, peakFlopsPerDevice: 989e12, recompute: "full" }, "utilization of the eight-device run"),
      ),
    ],
  },
];
