/**
 * dp.step (notebooks/03-data-parallel.ipynb): one data-parallel step.
 *
 *   dpStep(params, grads, shardSizes, lr, allReduce) -> void
 *   g = Σ_i (b_i / B) g_i (one all-reduce), θ_i ← θ_i − η g on every worker
 *   (Li et al. 2020, "PyTorch Distributed", §2–3)
 *
 * The tests pass the library's ring all-reduce as `allReduce`, so a mistake in
 * dp.ringAllReduce never costs points here.
 */
import { ringAllGather, ringReduceScatter } from "../../../parallel/ring";
import { GradingError, type Implementation, type Question } from "../../question";
import { callGradedAnswer, expectBufferClose, gradedRandomBuffers, gradedTest, relativeError, studentCopy, type KnownMistake } from "../expectations";
import { OPTIMIZER_BY_HAND } from "../forbidden";

/**
 * An all-reduce that counts its calls. The library's ring collectives do the arithmetic:
 * reduce-scatter then all-gather, not the graded `ringAllReduce`, which the student
 * edition stubs (the answer chooses its input, so no recorded value could stand in).
 */
export function countingAllReduce(): { readonly allReduce: (buffers: Float32Array[]) => Float32Array[]; calls: number } {
  const counter = {
    calls: 0,
    allReduce: (buffers: Float32Array[]): Float32Array[] => {
      counter.calls += 1;
      return ringAllGather(ringReduceScatter(buffers).outputs).outputs;
    },
  };
  return counter;
}

/** The new θ_i that the right answer and typical mistakes give, per worker. */
export function dpStepOutcomes(params: readonly Float32Array[], grads: readonly Float32Array[], shardSizes: readonly number[], lr: number) {
  const N = params.length;
  const B = shardSizes.reduce((a, b) => a + b, 0);
  const combine = (weight: (i: number) => number) => {
    const g = new Float64Array(params[0]!.length);
    grads.forEach((gi, i) => gi.forEach((v, j) => (g[j]! += weight(i) * v)));
    return g;
  };
  const step = (theta: Float32Array, g: ArrayLike<number>, eta = lr) => Array.from(theta, (v, j) => v - eta * g[j]!);
  const weighted = combine((i) => shardSizes[i]! / B); // Σ_i (b_i / B) g_i
  const expected = params.map((theta) => step(theta, weighted));
  const mistakes = params.map((theta, i): KnownMistake<ArrayLike<number>>[] => [
    { value: step(theta, combine(() => 1 / N)), description: "the gradients were averaged with equal weights 1/N: with uneven shards weight worker i's mean gradient by b_i / B (B = Σ b_i)" },
    { value: step(theta, combine((k) => shardSizes[k]! / B / N)), description: "the gradient was averaged twice (divided by the number of workers N on top of the weights b_i / B, which already sum to 1)" },
    { value: step(theta, combine(() => 1)), description: "the workers' gradients were summed, not averaged: weight worker i's mean gradient by b_i / B" },
    { value: step(theta, combine((k) => shardSizes[k]!)), description: "the gradients were weighted by b_i but not divided by the global batch B = Σ b_i" },
    { value: step(theta, grads[i]!), description: `worker ${i} used only its own gradient: all-reduce the weighted gradients so every replica applies the same update` },
    { value: step(theta, weighted, -lr), description: "the step goes uphill: subtract η · g" },
    { value: step(theta, weighted, 1), description: "the learning rate η is missing from the update" },
  ]);
  return { expected, mistakes };
}

/** Check `dpStep` on one input (params are copied); returns the new replicas. */
export async function checkDpStepCase(impl: Implementation, params: readonly Float32Array[], grads: readonly Float32Array[], shardSizes: readonly number[], lr: number, label?: string): Promise<Float32Array[]> {
  const what = label ?? `dpStep(${params.length} workers, shardSizes = [${shardSizes.join(", ")}], lr = ${lr})`;
  const { expected, mistakes } = dpStepOutcomes(params, grads, shardSizes, lr);
  const replicas = params.map((p) => p.slice()); // updated in place by the answer; the list is the grader's own
  const counter = countingAllReduce();
  await callGradedAnswer(impl, "dp.step", "dpStep", [...replicas], studentCopy(grads), [...shardSizes], lr, counter.allReduce);
  replicas.forEach((theta, i) => {
    if (theta.length !== params[i]!.length) throw new GradingError(`${what}: worker ${i}'s parameter buffer changed length; update it in place.`);
  });
  // prefer the mistakes that explain every worker's result (on one worker, several may coincide)
  const explainAll = mistakes[0]!.map((_, k) => k).filter((k) => replicas.every((theta, i) => relativeError(theta, mistakes[i]![k]!.value) <= 1e-5));
  replicas.forEach((theta, i) => {
    const named = explainAll.length > 0 ? explainAll.map((k) => mistakes[i]![k]!) : mistakes[i]!;
    expectBufferClose(theta, expected[i]!, `${what}: worker ${i}'s parameters after the step`, named);
  });
  if (counter.calls !== 1) {
    throw new GradingError(`${what}: allReduce was called ${counter.calls} times; a data-parallel step communicates the gradients with exactly one all-reduce.`, "1", String(counter.calls));
  }
  return replicas;
}

/** N identical replicas of a random θ, and random per-worker mean gradients. */
export function dpStepInputs(seed: number, N: number, Psi: number): { params: Float32Array[]; grads: Float32Array[] } {
  const theta = gradedRandomBuffers(seed, 1, Psi)[0]!;
  return { params: Array.from({ length: N }, () => theta.slice()), grads: gradedRandomBuffers(seed + 1, N, Psi) };
}

export const dpStepQuestion: Question = {
  id: "dp.step",
  notebook: "03-data-parallel.ipynb",
  title: "One data-parallel step: weighted gradient average, the same update everywhere",
  exports: ["dpStep"],
  references: ["dataParallelStep"],
  forbidden: [OPTIMIZER_BY_HAND],
  publicTests: [
    gradedTest(
      "uneven shards b = [1, 3] with mean gradients [4] and [0]: g = ¼·4 + ¾·0 = 1, so θ = [1] becomes [0.5] on both workers (η = 0.5)",
      2,
      "Worker i's mean gradient counts b_i / B of the batch: g = Σ_i (b_i / B) g_i, not the plain mean over workers.",
      async (impl) => {
        await checkDpStepCase(impl, [new Float32Array([1]), new Float32Array([1])], [new Float32Array([4]), new Float32Array([0])], [1, 3], 0.5);
      },
    ),
    gradedTest("four workers with even shards of 8 samples and 7 parameters: every replica takes the same step", 1, "With even shards b_i / B = 1/N: the mean of the workers' gradients.", async (impl) => {
      const { params, grads } = dpStepInputs(321, 4, 7);
      await checkDpStepCase(impl, params, grads, [8, 8, 8, 8], 0.1);
    }),
    gradedTest(
      "three workers with shards [5, 1, 2] and 10 parameters: the weighted average, through exactly one all-reduce",
      2,
      "Scale each g_i by b_i / B, all-reduce once (the sum of the scaled gradients), then θ_i ← θ_i − η g on every worker.",
      async (impl) => {
        const { params, grads } = dpStepInputs(331, 3, 10);
        await checkDpStepCase(impl, params, grads, [5, 1, 2], 0.3);
      },
    ),
  ],
};
