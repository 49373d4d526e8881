/**
 * Seeded train/test split and feature standardization.
 */
import { tf } from "../tensor";
import { createRng } from "../foundation/random";

/** A labelled classification set as tensors. */
export interface ClassificationSet {
  /** Features, [N, D]. */
  readonly X: tf.Tensor2D;
  /** Class indices, [N] (int32). */
  readonly labels: tf.Tensor1D;
  /** One-hot targets, [N, K] (float32). */
  readonly Y: tf.Tensor2D;
  readonly featureNames: readonly string[];
  readonly classNames: readonly string[];
}

export interface TrainTestSplitOptions {
  /** Fraction of the rows held out for testing, in (0, 1). @default 0.2 */
  readonly testFraction?: number;
  /** Seed of the shuffle. @default 0 */
  readonly seed?: number;
  /**
   * Keep the class proportions in both parts (each class is split on its own).
   * @default true
   */
  readonly stratify?: boolean;
}

export interface TrainTestSplit {
  readonly train: ClassificationSet;
  readonly test: ClassificationSet;
  /** Row indices of the original set in each part. */
  readonly trainIndices: readonly number[];
  readonly testIndices: readonly number[];
}

/**
 * Split rows into a training and a test set, reproducibly. With `stratify`, each class
 * contributes round(testFraction · n_class) rows to the test set.
 * @example
 *   const { train, test } = trainTestSplit(loadIris(), { testFraction: 0.2, seed: 0 }); // 120 / 30 rows
 */
export function trainTestSplit(data: ClassificationSet, options: TrainTestSplitOptions = {}): TrainTestSplit {
  const testFraction = options.testFraction ?? 0.2;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new Error(`Expected testFraction to be in (0, 1), got ${testFraction}. Typical: 0.2.`);
  }
  const rng = createRng(options.seed ?? 0);
  const labels = Array.from(data.labels.dataSync());
  const N = labels.length;
  const groups = (options.stratify ?? true) ? groupBy(labels) : [Array.from({ length: N }, (_, i) => i)];
  const trainIndices: number[] = [];
  const testIndices: number[] = [];
  for (const rows of groups) {
    const order = rng.shuffle(rows);
    const nTest = Math.round(testFraction * rows.length);
    testIndices.push(...order.slice(0, nTest));
    trainIndices.push(...order.slice(nTest));
  }
  if (trainIndices.length === 0 || testIndices.length === 0) {
    throw new Error(`testFraction ${testFraction} leaves an empty part of ${N} rows; choose a fraction nearer 0.2.`);
  }
  trainIndices.sort((a, b) => a - b);
  testIndices.sort((a, b) => a - b);
  return { train: subset(data, trainIndices), test: subset(data, testIndices), trainIndices, testIndices };
}

/** Rows `indices` of a classification set, as new tensors. */
export function subset(data: ClassificationSet, indices: readonly number[]): ClassificationSet {
  const tensors = tf.tidy(() => {
    const idx = tf.tensor1d(Array.from(indices), "int32");
    return {
      X: tf.gather(data.X, idx) as tf.Tensor2D,
      labels: tf.gather(data.labels, idx) as tf.Tensor1D,
      Y: tf.gather(data.Y, idx) as tf.Tensor2D,
    };
  });
  return { ...tensors, featureNames: data.featureNames, classNames: data.classNames };
}

/**
 * z = (x − μ) / σ per feature, with μ and σ (population standard deviation) measured on
 * `reference` (the training set) and applied to `X`, so no test information leaks into training.
 */
export function standardizeFeatures(X: tf.Tensor2D, reference: tf.Tensor2D = X): tf.Tensor2D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(reference, 0); // [D] each
    const sigma = tf.maximum(tf.sqrt(variance), 1e-12);
    return tf.div(tf.sub(X, mean), sigma) as tf.Tensor2D;
  });
}

/** Dispose the tensors of a classification set. */
export function disposeClassificationSet(data: ClassificationSet): void {
  data.X.dispose();
  data.labels.dispose();
  data.Y.dispose();
}

function groupBy(labels: readonly number[]): number[][] {
  const groups = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const g = groups.get(label) ?? [];
    g.push(i);
    groups.set(label, g);
  });
  return [...groups.keys()].sort((a, b) => a - b).map((k) => groups.get(k)!);
}
