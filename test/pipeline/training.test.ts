import { beforeAll, describe, expect, it } from "vitest";
import {
  buildPipelineSchedule,
  fullBatchMlpGradients,
  PIPELINE_SCHEDULE_NAMES,
  runPipelineTraining,
} from "../../src/pipeline";
import { initTensors, tf } from "../../src/tensor";
import { createRng } from "../../src/foundation";

beforeAll(async () => {
  await initTensors();
});

/** Seeded MLP with the given layer widths and a batch of N rows. */
function problem(seed: number, widths: readonly number[], N: number): { weights: tf.Tensor2D[]; X: tf.Tensor2D; T: tf.Tensor2D } {
  const rng = createRng(seed);
  const weights = widths.slice(0, -1).map((d, l) => tf.tensor2d(rng.normalArray(d * widths[l + 1]!, 0.7), [d, widths[l + 1]!]));
  const X = tf.tensor2d(rng.normalArray(N * widths[0]!), [N, widths[0]!]);
  const T = tf.tensor2d(rng.normalArray(N * widths[widths.length - 1]!), [N, widths[widths.length - 1]!]);
  return { weights, X, T };
}

function maxRelativeDifference(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / (1 + Math.abs(y[i]!)));
  return worst;
}

describe("a schedule run for real on a tfjs MLP", () => {
  it("GPipe on p = 2 stages runs all forwards before any backward, micro-batch by micro-batch", () => {
    const { weights, X, T } = problem(1, [3, 4, 4, 2], 4);
    const { executed } = runPipelineTraining(buildPipelineSchedule({ schedule: "gpipe", stages: 2, microbatches: 2 }), weights, X, T);
    // unit costs: F0@0 [0,1]; F1@0 [1,2] with F0@1 [1,2]; F1@1 [2,3]; B0@1 [3,5]; B1@1 [5,7] with B0@0 [5,7]; B1@0 [7,9]
    expect(executed).toEqual(["F0@0", "F1@0", "F0@1", "F1@1", "B0@1", "B0@0", "B1@1", "B1@0"]);
  });

  it("accumulated micro-batch gradients equal the full-batch gradients for every schedule", () => {
    // Oracle: tfjs autodiff of the full-batch loss. ∇ℒ = Σ_j ∇ℒ_j (Huang et al. 2019, §2.2).
    const widths = [5, 8, 8, 8, 8, 8, 8, 3]; // L = 7 layers
    for (const [p, m] of [[1, 2], [2, 4], [3, 3], [3, 6]] as const) {
      const { weights, X, T } = problem(10 * p + m, widths, 2 * m);
      const reference = fullBatchMlpGradients(weights, X, T);
      for (const schedule of PIPELINE_SCHEDULE_NAMES) {
        const built = buildPipelineSchedule({ schedule, stages: p, microbatches: m, chunks: 2 });
        const result = runPipelineTraining(built, weights, X, T);
        expect(result.loss, `${schedule} p=${p} m=${m}`).toBeCloseTo(reference.loss, 4);
        result.gradients.forEach((g, l) =>
          expect(maxRelativeDifference(g, reference.gradients[l]!), `${schedule} p=${p} m=${m} layer ${l}`).toBeLessThan(1e-4),
        );
        tf.dispose(result.gradients);
      }
      tf.dispose(reference.gradients);
    }
  });

  it("a wrong gradient (one micro-batch dropped) is caught by the same comparison", () => {
    // The comparison can fail: with m = 2 and only micro-batch 0 counted, the gradient differs.
    const { weights, X, T } = problem(3, [4, 6, 6, 2], 4);
    const reference = fullBatchMlpGradients(weights, X, T);
    const half = fullBatchMlpGradients(weights, X.slice([0, 0], [2, 4]), T.slice([0, 0], [2, 2]));
    expect(maxRelativeDifference(tf.div(half.gradients[0]!, 2), reference.gradients[0]!)).toBeGreaterThan(1e-3);
  });

  it("frees every stored activation: no tensors left but the gradients", () => {
    const { weights, X, T } = problem(4, [4, 6, 6, 6, 2], 6);
    const before = tf.memory().numTensors;
    const result = runPipelineTraining(buildPipelineSchedule({ schedule: "zb-h1", stages: 2, microbatches: 3 }), weights, X, T);
    expect(tf.memory().numTensors).toBe(before + weights.length);
    tf.dispose(result.gradients);
  });

  it("rejects a batch that micro-batches do not divide and too few layers", () => {
    const { weights, X, T } = problem(5, [4, 4, 2], 5);
    expect(() => runPipelineTraining(buildPipelineSchedule({ schedule: "1f1b", stages: 2, microbatches: 2 }), weights, X, T)).toThrow(
      /batch size N = 5 to be a multiple of microbatches \(2\)/,
    );
    expect(() => runPipelineTraining(buildPipelineSchedule({ schedule: "1f1b", stages: 3, microbatches: 1 }), weights, X, T)).toThrow(
      /at least stages · chunks\) to be an integer >= 3, got 2/,
    );
  });
});
