/**
 * Hidden tests of lab 3 (never shipped in the student edition): more workers, other
 * lengths and magnitudes, many steps of real training, empty partitions, SGD under ZeRO.
 */
import type { HiddenTests } from "../../../src/grading/question";
import { GradingError } from "../../../src/grading/question";
import { gradedRandomBuffers } from "../../../src/grading/questions/expectations";
import { checkRingAllReduceCase } from "../../../src/grading/questions/dp/ring-all-reduce";
import { checkDpStepCase, dpStepInputs } from "../../../src/grading/questions/dp/step";
import { checkZeroStage1Run } from "../../../src/grading/questions/dp/zero-stage1";
import {
  initSoftmaxRegression,
  makeClassificationData,
  parameterRelativeDifference,
  shardIndices,
  softmaxRegressionLossGradient,
  trainDataParallel,
} from "../../../src/parallel";

export const dpHiddenTests: HiddenTests[] = [
  {
    questionId: "dp.ringAllReduce",
    tests: [
      { name: "sixteen workers with 1000 floats each", points: 1, hint: "Nothing in the ring depends on n being small.", run: (impl) => checkRingAllReduceCase(impl, gradedRandomBuffers(4001, 16, 1000)) },
      {
        name: "three workers with 2 floats (one empty chunk) and five workers with 17 floats",
        points: 1,
        hint: "Empty chunks are sent as empty messages; uneven chunks differ by one element.",
        run: async (impl) => {
          await checkRingAllReduceCase(impl, gradedRandomBuffers(4002, 3, 2));
          await checkRingAllReduceCase(impl, gradedRandomBuffers(4003, 5, 17));
        },
      },
      {
        name: "values of very different magnitudes on six workers (305 floats) still sum to float32 accuracy",
        points: 1,
        hint: "Add chunks in float32 as they arrive; the same bits must end on every worker.",
        run: async (impl) => {
          const buffers = gradedRandomBuffers(4004, 6, 305).map((b, i) => b.map((v) => v * 10 ** (2 * i - 5)));
          await checkRingAllReduceCase(impl, buffers);
        },
      },
    ],
  },
  {
    questionId: "dp.step",
    tests: [
      {
        name: "twenty steps of softmax regression on shards [3, 9, 4] train like one worker with the whole batch of 16",
        points: 2,
        hint: "Each step: weighted average b_i / B of the workers' mean gradients, one all-reduce, the same update everywhere.",
        run: async (impl) => {
          const data = makeClassificationData({ samples: 96, features: 5, classes: 3, seed: 41 });
          const shardSizes = [3, 9, 4];
          const lr = 0.5;
          let params = shardSizes.map(() => initSoftmaxRegression(5, 3, 0));
          for (let t = 0; t < 20; t++) {
            const shards = shardIndices(t, shardSizes, data.samples);
            const grads = shards.map((indices, i) => {
              const { gradientSum } = softmaxRegressionLossGradient(params[i]!, data, indices);
              return Float32Array.from(gradientSum, (v) => v / indices.length); // g_i: mean over the shard
            });
            params = await checkDpStepCase(impl, params, grads, shardSizes, lr, `dpStep at training step ${t + 1}`);
          }
          const one = trainDataParallel(data, { shardSizes: [16], optimizer: { kind: "sgd", lr } }, 20);
          const difference = parameterRelativeDifference(params[0]!, one.workers[0]!.params);
          if (!(difference <= 1e-5)) {
            throw new GradingError(`After 20 steps the replicas are not the one-worker model (relative difference ${difference.toExponential(2)}).`);
          }
        },
      },
      {
        name: "one worker (nothing to average) and six workers with shards [1, 2, 3, 4, 5, 6]",
        points: 1,
        hint: "With one worker the step is plain gradient descent; with uneven shards weigh by b_i / B.",
        run: async (impl) => {
          const single = dpStepInputs(4101, 1, 5);
          await checkDpStepCase(impl, single.params, single.grads, [7], 0.2, "dpStep with one worker");
          const six = dpStepInputs(4102, 6, 9);
          await checkDpStepCase(impl, six.params, six.grads, [1, 2, 3, 4, 5, 6], 0.05, "dpStep with six workers");
        },
      },
    ],
  },
  {
    questionId: "dp.zeroStage1",
    tests: [
      { name: "three workers, Ψ = 11, ten Adam steps", points: 1, hint: "Carry nothing between steps yourself: each worker's state lives in its optimizer.", run: (impl) => checkZeroStage1Run(impl, 4201, 3, 11, 10) },
      {
        name: "eight workers and only five parameters (three workers own an empty partition)",
        points: 1,
        hint: "A worker with an empty partition has nothing to update but still takes part in the all-gather.",
        run: (impl) => checkZeroStage1Run(impl, 4202, 8, 5, 3),
      },
      {
        name: "four workers, Ψ = 9, plain SGD (no optimizer state at all) for four steps",
        points: 1,
        hint: "The step is the same whatever the optimizer: update your partition, then all-gather.",
        run: (impl) => checkZeroStage1Run(impl, 4203, 4, 9, 4, { kind: "sgd", lr: 0.1 }),
      },
    ],
  },
];
