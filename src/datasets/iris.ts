/**
 * Fisher's Iris data set, shipped as `data/iris.csv` (see data/README.md for source
 * and licence): 150 flowers, 4 measurements in cm, 3 species of 50 each.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { tf } from "../tensor";
import type { ClassificationSet } from "./split";

export const IRIS_FEATURES = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"] as const;
export const IRIS_CLASSES = ["setosa", "versicolor", "virginica"] as const;

/** The rows of iris.csv as plain numbers: features [150][4] and class indices [150]. */
export interface IrisRows {
  readonly features: readonly (readonly number[])[];
  readonly labels: readonly number[];
}

/**
 * Where iris.csv lives: `<package>/data/iris.csv`, found by walking up from this file
 * (two levels from `src/datasets` and `dist/datasets`, three from a build of the benchmarks).
 */
export function irisCsvPath(): string {
  let dir = __dirname;
  for (let up = 0; up < 5; up++) {
    const candidate = path.join(dir, "data", "iris.csv");
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.join(__dirname, "..", "..", "data", "iris.csv");
}

/** Parse iris.csv (header + 150 rows), checking every field. */
export function readIrisRows(file: string = irisCsvPath()): IrisRows {
  if (!fs.existsSync(file)) {
    throw new Error(`Iris data not found at ${file}. It ships in the workbook's data/ folder; reinstall or pass its path.`);
  }
  const lines = fs.readFileSync(file, "utf8").trim().split(/\r?\n/);
  const header = lines[0]!.split(",");
  if (header.join(",") !== [...IRIS_FEATURES, "species"].join(",")) {
    throw new Error(`${file}: unexpected header "${lines[0]}".`);
  }
  const features: number[][] = [];
  const labels: number[] = [];
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(",");
    const values = cells.slice(0, 4).map(Number);
    const label = (IRIS_CLASSES as readonly string[]).indexOf(cells[4] ?? "");
    if (cells.length !== 5 || values.some((v) => !Number.isFinite(v)) || label < 0) {
      throw new Error(`${file}, line ${i + 2}: cannot parse "${line}".`);
    }
    features.push(values);
    labels.push(label);
  });
  return { features, labels };
}

/**
 * Iris as tensors: X [150, 4] in cm, labels [150] int32, Y one-hot [150, 3].
 * Standardize after splitting (`standardizeFeatures(test.X, train.X)`).
 * @example
 *   const iris = loadIris();
 *   const { train, test } = trainTestSplit(iris, { seed: 0 });
 */
export function loadIris(file?: string): ClassificationSet {
  const rows = readIrisRows(file);
  const tensors = tf.tidy(() => {
    const labels = tf.tensor1d(rows.labels.slice(), "int32");
    const X = tf.tensor2d(rows.features.map((r) => r.slice()), [rows.features.length, IRIS_FEATURES.length]); // [150, 4] cm
    const Y = tf.cast(tf.oneHot(labels, IRIS_CLASSES.length), "float32") as tf.Tensor2D; // [150, 3]
    return { X, labels, Y };
  });
  return { ...tensors, featureNames: IRIS_FEATURES, classNames: IRIS_CLASSES };
}
