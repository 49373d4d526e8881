/**
 * pipeline.columnRowSplit (notebooks/05-pipeline.ipynb): Megatron's MLP split.
 *
 *   columnRowSplit(weights, t) -> TensorParallelMlpShard[]
 *   A by columns, B by rows (Shoeybi et al. 2019, §3, Figure 3a)
 *
 * The reference is the library's `splitMlpWeights` (src/parallel/tensor-parallel.ts).
 */
import { tf } from "../../../tensor";
import { createRng } from "../../../foundation/random";
import { splitMlpWeights as librarySplitMlpWeights, tensorParallelMlpForward, unsplitMlpForward, type MlpWeights } from "../../../parallel/tensor-parallel";
import { GradingError, type Implementation, type Question } from "../../question";
import { callGradedAnswer, gradedTest, isGradedTensor, studentCopy } from "../expectations";
import { recordedReference } from "../../recorded-expectations";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const splitMlpWeights = recordedReference("splitMlpWeights", librarySplitMlpWeights);

/** MLP weights A [h, f] and B [f, h] from a seeded normal generator. */
export function pipelineMlpWeights(seed: number, h: number, f: number): MlpWeights {
  const rng = createRng(seed);
  return { A: tf.tensor2d(rng.normalArray(h * f), [h, f]), B: tf.tensor2d(rng.normalArray(f * h), [f, h]) };
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let d = 0;
  for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return Number.isNaN(d) ? Infinity : d;
}

/** Check `columnRowSplit({ A, B }, t)`: shapes, ranks, contiguous blocks, and Σ_i GeLU(X A_i) B_i = GeLU(X A) B. */
export async function checkColumnRowSplitCase(impl: Implementation, h: number, f: number, t: number, seed: number): Promise<void> {
  const what = `columnRowSplit(A [${h}, ${f}], B [${f}, ${h}], t = ${t})`;
  const weights = pipelineMlpWeights(seed, h, f);
  const expected = splitMlpWeights(weights, t);
  const X = tf.tensor2d(createRng(seed + 1).normalArray(3 * h), [3, h]);
  const created: tf.Tensor[] = [weights.A, weights.B, X, ...expected.flatMap((s) => [s.A, s.B])];
  try {
    const given = studentCopy(weights);
    created.push(given.A, given.B);
    const received = await callGradedAnswer(impl, "pipeline.columnRowSplit", "columnRowSplit", given, t);
    if (!Array.isArray(received)) throw new GradingError(`${what} should return an array of t shards { rank, A, B }, got ${typeof received}.`);
    if (received.length !== t) throw new GradingError(`${what} returned ${received.length} shards, expected one per device (t = ${t}).`, String(t), String(received.length));
    received.forEach((shard: unknown, i) => {
      const sh = shard as { rank?: unknown; A?: tf.Tensor; B?: tf.Tensor } | null;
      if (typeof sh !== "object" || sh === null || !isGradedTensor(sh.A) || !isGradedTensor(sh.B)) {
        throw new GradingError(`${what}[${i}] should be { rank, A, B } with tfjs tensors A and B.`);
      }
      if (sh.rank !== i) throw new GradingError(`${what}[${i}].rank should be ${i} (shard i belongs to device i), got ${String(sh.rank)}.`, String(i), String(sh.rank));
      const shapeA = sh.A.shape.join(", ");
      const shapeB = sh.B.shape.join(", ");
      if (shapeA !== `${h}, ${f / t}`) {
        const why =
          shapeA === `${h / t}, ${f}`
            ? " Looks like A was split by rows (axis 0): Megatron splits the first weight A by COLUMNS (axis 1), so GeLU(X A_i) needs no communication."
            : shapeA === `${h}, ${f}`
              ? " Looks like A was not split: each device holds only f/t columns of A."
              : "";
        throw new GradingError(`${what}[${i}].A has shape [${shapeA}], expected [${h}, ${f / t}].${why}`, `[${h}, ${f / t}]`, `[${shapeA}]`);
      }
      if (shapeB !== `${f / t}, ${h}`) {
        const why =
          shapeB === `${f}, ${h / t}`
            ? " Looks like B was split by columns (axis 1): Megatron splits the second weight B by ROWS (axis 0), matching A's columns, so the partial outputs add up."
            : shapeB === `${f}, ${h}`
              ? " Looks like B was not split: each device holds only the f/t rows of B that match its columns of A."
              : "";
        throw new GradingError(`${what}[${i}].B has shape [${shapeB}], expected [${f / t}, ${h}].${why}`, `[${f / t}, ${h}]`, `[${shapeB}]`);
      }
    });
    const shards = received as { rank: number; A: tf.Tensor2D; B: tf.Tensor2D }[];
    created.push(...shards.flatMap((sh) => [sh.A, sh.B]));
    const tol = 1e-6;
    for (let i = 0; i < t; i++) {
      if (maxAbsDiff(shards[i]!.A, expected[i]!.A) > tol) {
        const j = expected.findIndex((e) => maxAbsDiff(shards[i]!.A, e.A) <= tol);
        const why = j >= 0 ? ` It holds the columns of device ${j}: device i holds columns i·f/t … (i + 1)·f/t − 1, in rank order.` : " Device i holds the contiguous block of columns i·f/t … (i + 1)·f/t − 1 (tf.split(A, t, 1)).";
        throw new GradingError(`${what}: device ${i}'s A_i is not the expected block of A's columns.${why}`);
      }
      if (maxAbsDiff(shards[i]!.B, expected[i]!.B) > tol) {
        const j = expected.findIndex((e) => maxAbsDiff(shards[i]!.B, e.B) <= tol);
        const why =
          j >= 0
            ? ` It holds the rows of device ${j}: A_i and B_i must come from the SAME block (B_i's rows match A_i's columns), or Σ_i GeLU(X A_i) B_i is not GeLU(X A) B.`
            : " Device i holds the contiguous block of rows i·f/t … (i + 1)·f/t − 1 (tf.split(B, t, 0)).";
        throw new GradingError(`${what}: device ${i}'s B_i is not the expected block of B's rows.${why}`);
      }
    }
    // the point of the split: the all-reduced partial outputs equal the unsplit MLP
    const parallel = tensorParallelMlpForward(X, shards);
    const unsplit = unsplitMlpForward(X, weights);
    created.push(parallel.output, ...parallel.partialOutputs, unsplit);
    const err = maxAbsDiff(parallel.output, unsplit);
    if (!(err <= 1e-4)) throw new GradingError(`${what}: Σ_i GeLU(X A_i) B_i differs from GeLU(X A) B by ${err.toExponential(2)}.`);
  } finally {
    created.forEach((x) => x.dispose());
  }
}

export const pipelineColumnRowSplitQuestion: Question = {
  id: "pipeline.columnRowSplit",
  notebook: "05-pipeline.ipynb",
  title: "Megatron's MLP split: A by columns, B by rows",
  exports: ["columnRowSplit"],
  references: ["splitMlpWeights"],
  publicTests: [
    gradedTest("h = 2, f = 4, t = 2: A_i is [2, 2] and B_i is [2, 2]", 1, "A_i = columns of A (tf.split(A, t, 1)); B_i = rows of B (tf.split(B, t, 0)).", (impl) => checkColumnRowSplitCase(impl, 2, 4, 2, 501)),
    gradedTest("h = 4, f = 16, t = 4: contiguous blocks in rank order, and Σ_i GeLU(X A_i) B_i = GeLU(X A) B", 2, "Shard i is { rank: i, A: A_i, B: B_i }, with A_i and B_i from the same block i.", (impl) => checkColumnRowSplitCase(impl, 4, 16, 4, 502)),
    gradedTest("t = 1 keeps the whole layer; t = f gives one column per device", 1, "Nothing special about the edges: tf.split with t pieces.", async (impl) => {
      await checkColumnRowSplitCase(impl, 3, 6, 1, 503);
      await checkColumnRowSplitCase(impl, 3, 6, 6, 504);
    }),
  ],
};
