/**
 * The training loop shared by the labs: for each epoch, shuffle the rows (seeded),
 * and for each mini-batch run the model's hand-written forward/backward pass and one
 * optimizer step. Records the mean training loss per epoch and, for classifiers,
 * the accuracy on the training and test sets.
 */
import { tf } from "../tensor";
import { createRng } from "../foundation/random";
import type { Optimizer } from "../optim/optimizer";
import { shuffledBatches } from "../optim/sgd";
import { classificationAccuracy } from "../optim/softmax-cross-entropy";
import type { Model } from "./model";

export interface TrainingData {
  /** [N, D] */
  readonly X: tf.Tensor2D;
  /** Targets [N, K]: one-hot rows for classifiers, values for regression. */
  readonly Y: tf.Tensor2D;
}

export interface TrainModelOptions {
  /** Passes over the training set. @default 10 */
  readonly epochs?: number;
  /** Rows per optimizer step; N gives full-batch gradient descent. @default 32 */
  readonly batchSize?: number;
  /** Seed of the shuffling. @default 0 */
  readonly seed?: number;
  /** Held-out data for test accuracy (classifiers). @default undefined */
  readonly test?: TrainingData;
  /** Called after each epoch (e.g. to update a plot in place). @default undefined */
  readonly onEpoch?: (epoch: number, history: TrainingHistory) => void;
}

export interface TrainingHistory {
  /** Mean training loss over the mini-batches of each epoch. */
  readonly loss: number[];
  /** The loss of every mini-batch, in order (shows the noise of small batches). */
  readonly stepLoss: number[];
  /** Training accuracy after each epoch (classifiers; empty for regression). */
  readonly trainAccuracy: number[];
  /** Test accuracy after each epoch (when `test` is given). */
  readonly testAccuracy: number[];
  /** Optimizer steps taken. */
  steps: number;
}

/**
 * Train `model` with `optimizer`. Tensors created per step are disposed, so
 * `tf.memory().numTensors` does not grow with the number of steps (tested).
 */
export function trainModel(model: Model, optimizer: Optimizer, data: TrainingData, options: TrainModelOptions = {}): TrainingHistory {
  const epochs = options.epochs ?? 10;
  const N = data.X.shape[0];
  const batchSize = Math.min(options.batchSize ?? 32, N);
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`Expected epochs to be an integer >= 0, got ${epochs}.`);
  const rng = createRng(options.seed ?? 0);
  const classifier = model.kind !== "linear-regression";
  const history: TrainingHistory = { loss: [], stepLoss: [], trainAccuracy: [], testAccuracy: [], steps: 0 };
  for (let epoch = 1; epoch <= epochs; epoch++) {
    let lossSum = 0;
    const batches = shuffledBatches(N, batchSize, rng);
    for (const batch of batches) {
      const loss = tf.tidy(() => {
        const idx = tf.tensor1d(batch, "int32");
        const XB = tf.gather(data.X, idx) as tf.Tensor2D; // [B, D]
        const YB = tf.gather(data.Y, idx) as tf.Tensor2D; // [B, K]
        const { loss, grads } = model.lossAndGradients(XB, YB);
        optimizer.step(model.params, grads);
        return loss.dataSync()[0]!;
      });
      lossSum += loss;
      history.stepLoss.push(loss);
      history.steps += 1;
    }
    history.loss.push(lossSum / batches.length);
    if (classifier) {
      history.trainAccuracy.push(accuracyOf(model, data));
      if (options.test) history.testAccuracy.push(accuracyOf(model, options.test));
    }
    options.onEpoch?.(epoch, history);
  }
  return history;
}

/** Accuracy of a classifier on one-hot targets. */
export function accuracyOf(model: Model, data: TrainingData): number {
  return tf.tidy(() => classificationAccuracy(model.predict(data.X), tf.argMax(data.Y, 1) as tf.Tensor1D));
}
