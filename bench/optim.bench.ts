/**
 * Lab 1–2 benchmark: our from-scratch Adam against tf.train.adam on the same MLP, and
 * the throughput of the whole training loop. Target (issue 3): our Adam step within
 * 1.5× of tf.train.adam.
 *   1. the update alone: both optimizers get the same gradients;
 *   2. one whole training step: our forward + hand-written backward + our Adam, against
 *      tf.train.adam's `minimize` (forward + autodiff backward + its update);
 *   3. steps per second of the full training loop (lab.trainModel) on Iris, against a
 *      loop of `tf.train.adam.minimize` over the same mini-batches.
 */
import { initTensors, tf } from "../src/tensor";
import { createRng } from "../src/foundation";
import { adam, sgd, shuffledBatches } from "../src/optim";
import { mlp, trainModel } from "../src/models";
import { loadIris, standardizeFeatures } from "../src/datasets";
import { medianMs, printTable } from "./timing";

interface Size {
  readonly label: string;
  readonly D: number;
  readonly H: number;
  readonly K: number;
  readonly N: number;
}

function randomBatch(size: Size): { X: tf.Tensor2D; Y: tf.Tensor2D } {
  const rng = createRng(1);
  const X = tf.tensor2d(rng.normalArray(size.N * size.D), [size.N, size.D]);
  const labels = tf.tensor1d(Array.from({ length: size.N }, () => rng.int(size.K)), "int32");
  return { X, Y: tf.cast(tf.oneHot(labels, size.K), "float32") as tf.Tensor2D };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<void> {
  const backend = await initTensors();
  console.log(`backend: ${backend.name}`);

  // 1. One Adam update on an MLP: ours vs tf.train.adam, same gradients.
  const sizes: Size[] = [
    { label: "Iris MLP 4-32-3", D: 4, H: 32, K: 3, N: 32 },
    { label: "MLP 64-512-10", D: 64, H: 512, K: 10, N: 128 },
    { label: "MLP 256-2048-10", D: 256, H: 2048, K: 10, N: 128 },
  ];
  const rows: (string | number)[][] = [];
  for (const size of sizes) {
    const { X, Y } = randomBatch(size);
    const ours = mlp({ inputs: size.D, hidden: size.H, classes: size.K }, createRng(0));
    const theirs = mlp({ inputs: size.D, hidden: size.H, classes: size.K }, createRng(0));
    const grads = ours.lossAndGradients(X, Y).grads; // fixed gradients, reused every step
    const named: tf.NamedTensorMap = {};
    for (const [k, v] of Object.entries(theirs.params)) named[v.name] = grads[k]!;
    const ourAdam = adam({ lr: 1e-3, eps: 1e-7 });
    const tfAdam: tf.Optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-7);
    // Alternate the two in rounds so that load from other processes hits both alike.
    const oursRounds: number[] = [];
    const tfRounds: number[] = [];
    for (let round = 0; round < 5; round++) {
      oursRounds.push(
        await medianMs(() => {
          ourAdam.step(ours.params, grads);
          return ours.params.W1.dataSync()[0]; // wait for the backend
        }, 11, 5),
      );
      tfRounds.push(
        await medianMs(() => {
          tfAdam.applyGradients(named);
          return theirs.params.W1.dataSync()[0];
        }, 11, 5),
      );
    }
    const oursMs = median(oursRounds);
    const tfMs = median(tfRounds);
    rows.push([size.label, ours.parameterCount(), oursMs, tfMs, oursMs / tfMs]);
    ourAdam.reset();
    tfAdam.dispose();
    ours.dispose();
    theirs.dispose();
  }
  console.log("\nOne Adam update (median over 5 alternating rounds of 11, ms); ratio < 1.5 is the target");
  printTable(["model", "parameters", "ours (ms)", "tf.train.adam (ms)", "ratio ours/tfjs"], rows);

  // 2. One whole training step: ours (hand-written backward + our Adam) vs tfjs (autodiff + tf.train.adam).
  const stepRows: (string | number)[][] = [];
  for (const size of sizes) {
    const { X, Y } = randomBatch(size);
    const ours = mlp({ inputs: size.D, hidden: size.H, classes: size.K }, createRng(0));
    const theirs = mlp({ inputs: size.D, hidden: size.H, classes: size.K }, createRng(0));
    const ourAdam = adam({ lr: 1e-3, eps: 1e-7 });
    const tfAdam: tf.Optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-7);
    const oursRounds: number[] = [];
    const tfRounds: number[] = [];
    for (let round = 0; round < 5; round++) {
      oursRounds.push(
        await medianMs(() => {
          tf.tidy(() => ourAdam.step(ours.params, ours.lossAndGradients(X, Y).grads));
          return ours.params.W1.dataSync()[0];
        }, 11, 5),
      );
      tfRounds.push(
        await medianMs(() => {
          tf.tidy(() => {
            tfAdam.minimize(() => theirs.loss(X, Y), false, Object.values(theirs.params));
          });
          return theirs.params.W1.dataSync()[0];
        }, 11, 5),
      );
    }
    const oursMs = median(oursRounds);
    const tfMs = median(tfRounds);
    stepRows.push([size.label, size.N, oursMs, tfMs, oursMs / tfMs]);
    ourAdam.reset();
    tfAdam.dispose();
    ours.dispose();
    theirs.dispose();
    tf.dispose([X, Y]);
  }
  console.log("\nOne training step: forward + backward + Adam update (median over 5 alternating rounds of 11, ms)");
  console.log("ours = hand-written backward + our Adam; tfjs = tf.train.adam.minimize (autodiff backward)");
  printTable(["model", "batch", "ours (ms)", "tfjs (ms)", "ratio ours/tfjs"], stepRows);

  // 3. The whole training loop (forward, hand-written backward, update) on Iris.
  const iris = loadIris();
  const X = standardizeFeatures(iris.X);
  const loopRows: (string | number)[][] = [];
  for (const [name, makeOpt] of [
    ["SGD", () => sgd({ lr: 0.1 })],
    ["Adam", () => adam({ lr: 0.01 })],
  ] as const) {
    const model = mlp({ inputs: 4, hidden: 32, classes: 3 }, createRng(0));
    const opt = makeOpt();
    trainModel(model, opt, { X, Y: iris.Y }, { epochs: 2, batchSize: 16 }); // warm-up
    const start = performance.now();
    const history = trainModel(model, opt, { X, Y: iris.Y }, { epochs: 20, batchSize: 16 });
    const seconds = (performance.now() - start) / 1000;
    loopRows.push([name, history.steps, seconds, history.steps / seconds]);
    model.dispose();
    opt.reset();
  }
  // Baseline: the same mini-batches through tf.train.adam.minimize (autodiff), no accuracy pass.
  {
    const model = mlp({ inputs: 4, hidden: 32, classes: 3 }, createRng(0));
    const tfAdam: tf.Optimizer = tf.train.adam(0.01);
    const rng = createRng(0);
    const N = X.shape[0];
    const tfLoop = (epochs: number): number => {
      let steps = 0;
      for (let epoch = 0; epoch < epochs; epoch++) {
        for (const batch of shuffledBatches(N, 16, rng)) {
          tf.tidy(() => {
            const idx = tf.tensor1d(batch, "int32");
            const XB = tf.gather(X, idx) as tf.Tensor2D;
            const YB = tf.gather(iris.Y, idx) as tf.Tensor2D;
            tfAdam.minimize(() => model.loss(XB, YB), true, Object.values(model.params))!.dataSync(); // read the loss, as trainModel does
          });
          steps += 1;
        }
      }
      return steps;
    };
    tfLoop(2); // warm-up
    const start = performance.now();
    const steps = tfLoop(20);
    const seconds = (performance.now() - start) / 1000;
    loopRows.push(["tf.train.adam.minimize (baseline, no accuracy pass)", steps, seconds, steps / seconds]);
    tfAdam.dispose();
    model.dispose();
  }
  const baselineRate = loopRows[loopRows.length - 1]![3] as number;
  console.log("\nFull training loop on Iris (MLP 4-32-3, batch 16, 20 epochs; ours includes the accuracy pass per epoch)");
  printTable(
    ["loop", "steps", "seconds", "steps/s", "steps/s ratio vs tfjs baseline"],
    loopRows.map((r) => [...r, (r[3] as number) / baselineRate]),
  );
}
