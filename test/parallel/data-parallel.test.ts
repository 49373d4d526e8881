import { beforeAll, describe, expect, it } from "vitest";
import {
  createDataParallelSimulation,
  dataParallelStep,
  evenShards,
  makeClassificationData,
  parameterRelativeDifference,
  shardIndices,
  softmaxRegressionLossGradient,
  trainDataParallel,
  type DataParallelOptions,
  type ReplicaOptimizerConfig,
} from "../../src/parallel";
import { initTensors, tf } from "../../src/tensor";
import { softmaxRegressionGradients } from "../../src/models";

// The replicas update their buffers with the optimization unit's tensor rules.
beforeAll(async () => {
  await initTensors();
});

const data = makeClassificationData({ samples: 512, features: 8, classes: 4, seed: 3 });

const maxRelativeDifference = parameterRelativeDifference; // ‖a − b‖∞ / ‖b‖∞

const sgd: ReplicaOptimizerConfig = { kind: "sgd", lr: 0.5 };
const adam: ReplicaOptimizerConfig = { kind: "adam", lr: 0.01 };

describe("softmax regression gradient", () => {
  it("matches a hand computation at θ = 0", () => {
    // D = 2, C = 2, one sample x = [1, 2], y = 0. z = [0, 0], p = [0.5, 0.5], δ = p − onehot = [−0.5, 0.5]
    // ∂W = δ xᵀ = [[−0.5, −1], [0.5, 1]], ∂b = δ = [−0.5, 0.5], ℓ = −log 0.5 = log 2
    const tiny = { x: new Float32Array([1, 2]), y: new Int32Array([0]), samples: 1, features: 2, classes: 2 };
    const { lossSum, gradientSum } = softmaxRegressionLossGradient(new Float32Array(6), tiny, [0]);
    expect(lossSum).toBeCloseTo(Math.log(2), 7); // float32
    expect(Array.from(gradientSum)).toEqual([-0.5, -1, 0.5, 1, -0.5, 0.5]);
  });

  it("is the models unit's softmax regression on the unpacked θ (W [C, D] transposed to [D, C]), scaled from mean to sum", () => {
    const theta = new Float32Array(4 * 9).map((_, j) => Math.cos(3 * j) * 0.2); // C = 4, D = 8
    const indices = [1, 2, 3, 30, 31];
    const { lossSum, gradientSum } = softmaxRegressionLossGradient(theta, data, indices);
    const x = indices.flatMap((s) => Array.from(data.x.subarray(s * 8, s * 8 + 8)));
    const reference = tf.tidy(() => {
      const X = tf.tensor2d(x, [5, 8]);
      const Y = tf.oneHot(tf.tensor1d(indices.map((s) => data.y[s]!), "int32"), 4).toFloat() as tf.Tensor2D;
      const W = tf.transpose(tf.tensor2d(theta.slice(0, 32), [4, 8]));
      const { loss, grads } = softmaxRegressionGradients(X, Y, W, tf.tensor1d(theta.slice(32)));
      return { loss: loss.dataSync()[0]!, W: Array.from(tf.transpose(grads.W!).dataSync()), b: Array.from(grads.b!.dataSync()) };
    });
    expect(lossSum).toBe(reference.loss * 5);
    expect(Array.from(gradientSum)).toEqual([...reference.W, ...reference.b].map((g) => g * 5));
  });

  it("matches central differences of the loss", () => {
    const theta = new Float32Array(4 * 9).map((_, j) => Math.sin(j) * 0.3);
    const indices = [0, 5, 17, 40];
    const { gradientSum } = softmaxRegressionLossGradient(theta, data, indices);
    const h = 1e-2;
    for (let j = 0; j < theta.length; j++) {
      const plus = theta.slice();
      const minus = theta.slice();
      plus[j]! += h;
      minus[j]! -= h;
      const numeric =
        (softmaxRegressionLossGradient(plus, data, indices).lossSum -
          softmaxRegressionLossGradient(minus, data, indices).lossSum) /
        (plus[j]! - minus[j]!);
      expect(Math.abs(numeric - gradientSum[j]!)).toBeLessThan(1e-3);
    }
  });
});

describe("parameter relative difference", () => {
  it("is ‖a − b‖∞ / ‖b‖∞, worked by hand", () => {
    // a − b = [0, −0.5, 0.25], ‖·‖∞ = 0.5; ‖b‖∞ = 2.5 → 0.2
    expect(parameterRelativeDifference(new Float32Array([1, 2, 0.25]), new Float32Array([1, 2.5, 0]))).toBeCloseTo(0.2, 12);
    expect(parameterRelativeDifference(new Float32Array(3), new Float32Array(3))).toBe(0);
    expect(() => parameterRelativeDifference(new Float32Array(2), new Float32Array(3))).toThrow(/got 2 and 3/);
  });
});

describe("sharding", () => {
  it("gives N workers together exactly the samples of one worker with the global batch", () => {
    for (let step = 0; step < 5; step++) {
      const split = shardIndices(step, [3, 1, 4], 10).flat();
      expect(split).toEqual(shardIndices(step, [8], 10)[0]);
    }
    // step 1 of batch 8 on 10 samples: 8, 9, 0, 1, ... (wraps around)
    expect(shardIndices(1, [8], 10)[0]).toEqual([8, 9, 0, 1, 2, 3, 4, 5]);
  });

  it("rejects an empty shard with a message naming it", () => {
    expect(() => shardIndices(0, [2, 0], 10)).toThrow(/shardSizes\[1\] to be an integer >= 1, got 0/);
  });
});


describe("data-parallel training", () => {
  for (const [name, optimizer] of [
    ["SGD", sgd],
    ["Adam", adam],
  ] as const)
    for (const algorithm of ["naive", "tree", "ring"] as const)
      it(`N workers with local batch B equal one worker with batch N·B after 50 steps (${name}, ${algorithm})`, () => {
        for (const N of [2, 3, 4, 8]) {
          const B = 8;
          const parallel = trainDataParallel(data, { shardSizes: evenShards(N, B), optimizer, algorithm }, 50);
          const single = trainDataParallel(data, { shardSizes: [N * B], optimizer, algorithm }, 50);
          const diff = maxRelativeDifference(parallel.workers[0]!.params, single.workers[0]!.params);
          expect(diff).toBeLessThanOrEqual(1e-5);
          // the run actually trained: the loss went down
          expect(parallel.history[49]!.loss).toBeLessThan(parallel.history[0]!.loss * 0.8);
        }
      });

  it("keeps every replica bit-identical", () => {
    for (const algorithm of ["naive", "tree", "ring"] as const) {
      const sim = trainDataParallel(data, { shardSizes: evenShards(6, 5), optimizer: adam, algorithm }, 20);
      for (const w of sim.workers) {
        expect(w.params).toEqual(sim.workers[0]!.params);
        expect(w.optimizer.m).toEqual(sim.workers[0]!.optimizer.m);
      }
    }
  });

  it("weights uneven shards by their size, as one worker with the whole batch", () => {
    const shardSizes = [1, 3, 5, 7];
    const uneven = trainDataParallel(data, { shardSizes, optimizer: sgd }, 50);
    const single = trainDataParallel(data, { shardSizes: [16], optimizer: sgd }, 50);
    expect(maxRelativeDifference(uneven.workers[0]!.params, single.workers[0]!.params)).toBeLessThanOrEqual(1e-5);

    // The mistake it guards against: averaging the local means over N ignores the shard sizes.
    const sim = createDataParallelSimulation(data, { shardSizes, optimizer: sgd });
    const shards = shardIndices(0, shardSizes, data.samples);
    const wrong = new Float64Array(sim.workers[0]!.params.length);
    shards.forEach((indices) => {
      const { gradientSum } = softmaxRegressionLossGradient(sim.workers[0]!.params, data, indices);
      for (let j = 0; j < wrong.length; j++) wrong[j]! += gradientSum[j]! / indices.length / shardSizes.length;
    });
    dataParallelStep(sim);
    const right = sim.workers[0]!.grads;
    const gap = Math.max(...Array.from(right, (g, j) => Math.abs(g - wrong[j]!)));
    expect(gap).toBeGreaterThan(1e-3);
  });

  it("records ring bytes, the slowest worker's compute and the all-reduce time per step", () => {
    const options: DataParallelOptions = {
      shardSizes: evenShards(4, 8),
      optimizer: sgd,
      compute: [
        { secondsPerSample: 1e-3 },
        { secondsPerSample: 1e-3 },
        { secondsPerSample: 1e-3, slowdown: 3 }, // a straggler
        { secondsPerSample: 1e-3, overheadSeconds: 2e-3 },
      ],
      link: { latency: 1e-5, bandwidth: 1e9 },
    };
    const sim = createDataParallelSimulation(data, options);
    const record = dataParallelStep(sim);
    const Psi = 4 * 8 + 4;
    const S = 4 * Psi; // bytes
    for (const b of record.bytesSent) expect(b).toBe((2 * 3 * S) / 4);
    expect(record.computeSeconds[2]).toBeCloseTo(3 * 8e-3, 12);
    expect(record.computeSeconds[3]).toBeCloseTo(10e-3, 12);
    // ring: 2(n−1)α + 2(n−1)/n·S·β = 6e-5 + 1.5·144/1e9
    expect(record.commSeconds).toBeCloseTo(6e-5 + (1.5 * S) / 1e9, 15);
    expect(record.stepSeconds).toBeCloseTo(24e-3 + record.commSeconds, 12);
  });

  it("rejects a compute-model list of the wrong length", () => {
    expect(() =>
      createDataParallelSimulation(data, { shardSizes: [2, 2], optimizer: sgd, compute: [{ secondsPerSample: 1 }] }),
    ).toThrow(/one compute model per worker \(2\), got 1/);
  });
});
