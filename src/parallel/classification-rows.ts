/**
 * A data set given as rows (e.g. Iris from src/datasets/iris.ts) turned into the
 * flat `ClassificationData` the data-parallel simulator trains on.
 *
 * Standardizing puts every feature on the same scale, which lets one learning rate
 * suit every weight (LeCun, Bottou, Orr & Müller 1998, "Efficient BackProp", §4.3):
 *   x̃_sd = (x_sd − μ_d) / σ_d,  μ_d = (1/S) Σ_s x_sd,  σ_d = √((1/S) Σ_s (x_sd − μ_d)²)
 */
import type { ClassificationData } from "./softmax-regression";

/** Options of classificationDataFromRows. */
export interface ClassificationRowsOptions {
  /** Standardize each feature to mean 0 and standard deviation 1. @default true */
  readonly standardize?: boolean;
}

/**
 * Flatten rows into ClassificationData: x [samples, features] row-major, y [samples].
 * @param features one row of numbers per sample, all of the same length
 * @param labels class index of each sample, integers in 0..C−1 (C = max label + 1)
 * @example
 *   const iris = lab.readIrisRows();
 *   const data = classificationDataFromRows(iris.features, iris.labels); // 150 samples, 4 features, 3 classes
 */
export function classificationDataFromRows(
  features: readonly (readonly number[])[],
  labels: readonly number[],
  options: ClassificationRowsOptions = {},
): ClassificationData {
  const samples = features.length;
  if (samples < 1 || labels.length !== samples) {
    throw new Error(`Expected one label per row and at least one row, got ${samples} rows and ${labels.length} labels.`);
  }
  const D = features[0]!.length;
  features.forEach((row, s) => {
    if (row.length !== D || row.some((v) => !Number.isFinite(v))) {
      throw new Error(`Expected row ${s} to hold ${D} finite numbers (as row 0), got [${row.join(", ")}].`);
    }
  });
  labels.forEach((label, s) => {
    if (!Number.isInteger(label) || label < 0) {
      throw new Error(`Expected label ${s} to be an integer >= 0 (a class index), got ${label}.`);
    }
  });
  const classes = Math.max(...labels) + 1;
  if (classes < 2) throw new Error(`Expected at least 2 classes, got labels all equal to ${labels[0]}.`);
  const mu = new Array<number>(D).fill(0); // μ_d
  const sigma = new Array<number>(D).fill(1); // σ_d
  if (options.standardize ?? true) {
    for (let d = 0; d < D; d++) {
      mu[d] = features.reduce((sum, row) => sum + row[d]!, 0) / samples;
      const variance = features.reduce((sum, row) => sum + (row[d]! - mu[d]!) ** 2, 0) / samples;
      sigma[d] = variance > 0 ? Math.sqrt(variance) : 1; // a constant feature stays 0
    }
  }
  const x = new Float32Array(samples * D); // [samples, D]
  features.forEach((row, s) => row.forEach((v, d) => (x[s * D + d] = (v - mu[d]!) / sigma[d]!)));
  return { x, y: Int32Array.from(labels), samples, features: D, classes };
}
