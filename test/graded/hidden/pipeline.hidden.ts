/**
 * Hidden tests of lab 5 (never shipped in the student edition): larger and lopsided
 * pipelines, other cost mixes, other MLP widths. Messages never show expected values
 * (the grader suppresses `expected`/`received` for hidden tests) nor the costs of a timeline.
 */
import type { HiddenTests } from "../../../src/grading/question";
import { gradedTest } from "../../../src/grading/questions/expectations";
import { checkGpipeCase } from "../../../src/grading/questions/pipeline/gpipe";
import { checkOneFOneBCase } from "../../../src/grading/questions/pipeline/one-f-one-b";
import { bubbleFractionCase, checkBubbleFractionCase } from "../../../src/grading/questions/pipeline/bubble-fraction";
import { checkColumnRowSplitCase } from "../../../src/grading/questions/pipeline/column-row-split";

export const pipelineHiddenTests: HiddenTests[] = [
  {
    questionId: "pipeline.gpipe",
    tests: [
      gradedTest("a deep pipeline: p = 16, m = 4", 1, "Every stage holds m forwards and m backwards.", (impl) => checkGpipeCase(impl, 16, 4)),
      gradedTest("many micro-batches: p = 3, m = 32", 1, "All forwards first, then all backwards.", (impl) => checkGpipeCase(impl, 3, 32)),
    ],
  },
  {
    questionId: "pipeline.oneFOneB",
    tests: [
      gradedTest("a deep pipeline with few micro-batches: p = 8, m = 3", 1, "The warm-up is capped at m.", (impl) => checkOneFOneBCase(impl, 8, 3)),
      gradedTest("p = 8, m = 32", 1, "Warm-up, steady pairs, cool-down on every stage.", (impl) => checkOneFOneBCase(impl, 8, 32)),
      gradedTest("m = p exactly, for p = 2..7", 1, "The last stage has no warm-up.", async (impl) => {
        for (let p = 2; p <= 7; p++) await checkOneFOneBCase(impl, p, p);
      }),
    ],
  },
  {
    questionId: "pipeline.bubbleFraction",
    tests: [
      gradedTest("GPipe with a slow backward and communication", 1, "Sum the idle time of every stage.", (impl) =>
        checkBubbleFractionCase(impl, bubbleFractionCase("gpipe", 5, 7, { forward: 1, backward: 3, communication: 0.5 })[0], "the GPipe timeline"),
      ),
      gradedTest("interleaved 1F1B with two chunks per device", 1, "Chunks change the op durations, not the definition.", (impl) =>
        checkBubbleFractionCase(impl, bubbleFractionCase("interleaved", 4, 8, { forward: 2, backward: 3 })[0], "the interleaved timeline"),
      ),
      gradedTest("a single stage never idles", 1, "With p = 1 there is no bubble.", (impl) => checkBubbleFractionCase(impl, bubbleFractionCase("1f1b", 1, 4)[0], "the one-stage timeline")),
      gradedTest("ZB-H1 with unequal B and W", 1, "W ops count as busy time too.", (impl) =>
        checkBubbleFractionCase(impl, bubbleFractionCase("zb-h1", 3, 9, { forward: 1, backward: 1.5, weight: 0.5 })[0], "the ZB-H1 timeline"),
      ),
    ],
  },
  {
    questionId: "pipeline.columnRowSplit",
    tests: [
      gradedTest("GPT-shaped f = 4h: h = 8, f = 32, t = 8", 1, "Contiguous blocks in rank order.", (impl) => checkColumnRowSplitCase(impl, 8, 32, 8, 601)),
      gradedTest("h larger than f: h = 12, f = 6, t = 3", 1, "Split the f axis of both matrices.", (impl) => checkColumnRowSplitCase(impl, 12, 6, 3, 602)),
      gradedTest("h = 5, f = 10, t = 2 and t = 5", 1, "Any divisor t of f.", async (impl) => {
        await checkColumnRowSplitCase(impl, 5, 10, 2, 603);
        await checkColumnRowSplitCase(impl, 5, 10, 5, 604);
      }),
    ],
  },
];
