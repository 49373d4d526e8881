import { beforeAll, describe, expect, it } from "vitest";
import { initTensors, tf } from "../../src/tensor";
import { createRng } from "../../src/foundation";
import { adam, adamStep, adamUpdate, sgd, type Optimizer } from "../../src/optim";
import {
  createReplicaOptimizer,
  initSoftmaxRegression,
  localShardGradient,
  makeClassificationData,
  replicaOptimizerUpdate,
  type ReplicaOptimizerConfig,
} from "../../src/parallel";

beforeAll(async () => {
  await initTensors();
});

/** Largest |a − b| / max(|b|, 1e-3) over the elements. */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let j = 0; j < b.length; j++) worst = Math.max(worst, Math.abs(a[j]! - b[j]!) / Math.max(Math.abs(b[j]!), 1e-3));
  return worst;
}

/** Softmax regression on Gaussian blobs: θ and its full-batch gradient at any θ. */
function problem() {
  const data = makeClassificationData({ samples: 64, features: 6, classes: 3, seed: 5 });
  const all = Array.from({ length: data.samples }, (_, i) => i);
  const gradient = (theta: Float32Array): Float32Array => {
    const g = new Float32Array(theta.length);
    localShardGradient(theta, data, all, data.samples, g);
    return g;
  };
  return { theta0: initSoftmaxRegression(data.features, data.classes, 3), gradient };
}

/** `steps` replica updates of θ on the problem, each with the gradient at the current θ. */
function trainReplica(config: ReplicaOptimizerConfig, steps: number): Float32Array {
  const { theta0, gradient } = problem();
  const theta = theta0.slice();
  const state = createReplicaOptimizer(config, theta.length);
  for (let t = 0; t < steps; t++) replicaOptimizerUpdate(state, theta, gradient(theta));
  return theta;
}

/** The same training with a tensor optimizer (the library's or tfjs's) on a tf.Variable. */
function trainTensor(step: (w: tf.Variable, g: tf.Tensor) => void, steps: number): Float32Array {
  const { theta0, gradient } = problem();
  const w = tf.variable(tf.tensor1d(theta0));
  for (let t = 0; t < steps; t++) {
    const g = tf.tensor1d(gradient(w.dataSync() as Float32Array));
    step(w, g);
    g.dispose();
  }
  const out = w.dataSync().slice() as Float32Array;
  w.dispose();
  return out;
}

const viaOptimizer = (opt: Optimizer) => (w: tf.Variable, g: tf.Tensor) => opt.step({ w }, { w: g });
const viaTfjs = (opt: tf.Optimizer) => (w: tf.Variable, g: tf.Tensor) => opt.applyGradients([{ name: w.name, tensor: g }]);

describe("the data-parallel replicas use the optimization unit's update rules", () => {
  it("replica Adam equals tf.train.adam over 300 steps to 1e-5 relative (ε = 1e-7, β^t in float32 as tfjs keeps it)", () => {
    const ours = trainReplica({ kind: "adam", lr: 0.01, eps: 1e-7, betaPowerArithmetic: "float32" }, 300);
    const theirs = trainTensor(viaTfjs(tf.train.adam(0.01, 0.9, 0.999, 1e-7)), 300);
    expect(relativeDifference(ours, theirs)).toBeLessThanOrEqual(1e-5);
    expect(relativeDifference(ours, problem().theta0)).toBeGreaterThan(0.1); // it did train
  });

  it("replica Adam gives the same bits as AdamOptimizer and as adamStep, step after step", () => {
    const config = { kind: "adam", lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6 } as const;
    const replica = trainReplica(config, 40);
    const optimizer = trainTensor(viaOptimizer(adam({ lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6 })), 40);
    expect(Array.from(replica)).toEqual(Array.from(optimizer));
    let state = { m: tf.zeros([replica.length]), v: tf.zeros([replica.length]), t: 0 };
    const functional = trainTensor((w, g) => {
      const next = adamStep(w, g, state, { lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6 });
      w.assign(next.w);
      tf.dispose([state.m, state.v, next.w]);
      state = { m: next.m, v: next.v, t: next.t };
    }, 40);
    tf.dispose([state.m, state.v]);
    expect(Array.from(functional)).toEqual(Array.from(optimizer));
  });

  it("adamStep is adamUpdate at t + 1", () => {
    const rng = createRng(9);
    const [w, g, m, v] = [0, 1, 2, 3].map(() => tf.tensor1d(rng.normalArray(7)));
    const vPositive = tf.abs(v!);
    const hp = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    const viaStep = adamStep(w!, g!, { m: m!, v: vPositive, t: 4 }, hp);
    const viaUpdate = adamUpdate(w!, g!, m!, vPositive, 5, hp);
    expect(viaStep.t).toBe(5);
    expect(Array.from(viaStep.w.dataSync())).toEqual(Array.from(viaUpdate.w.dataSync()));
    expect(Array.from(viaStep.v.dataSync())).toEqual(Array.from(viaUpdate.v.dataSync()));
    tf.dispose([w!, g!, m!, v!, vPositive, viaStep.w, viaStep.m, viaStep.v, viaUpdate.w, viaUpdate.m, viaUpdate.v]);
  });

  it("replica SGD equals tf.train.sgd over 300 steps and the library's SGD bit for bit", () => {
    const ours = trainReplica({ kind: "sgd", lr: 0.5 }, 300);
    expect(relativeDifference(ours, trainTensor(viaTfjs(tf.train.sgd(0.5)), 300))).toBeLessThanOrEqual(1e-5);
    expect(Array.from(ours)).toEqual(Array.from(trainTensor(viaOptimizer(sgd({ lr: 0.5 })), 300)));
  });

  it("updating a slice gives the bits that updating the whole vector gives on it (what ZeRO relies on)", () => {
    const { theta0, gradient } = problem();
    const g = gradient(theta0);
    const whole = theta0.slice();
    const wholeState = createReplicaOptimizer({ kind: "adam", lr: 0.05 }, whole.length);
    const parts = theta0.slice();
    const cut = 7;
    const states = [createReplicaOptimizer({ kind: "adam", lr: 0.05 }, cut), createReplicaOptimizer({ kind: "adam", lr: 0.05 }, parts.length - cut)];
    for (let t = 0; t < 5; t++) {
      replicaOptimizerUpdate(wholeState, whole, g);
      replicaOptimizerUpdate(states[0]!, parts.subarray(0, cut), g.subarray(0, cut));
      replicaOptimizerUpdate(states[1]!, parts.subarray(cut), g.subarray(cut));
    }
    expect(Array.from(parts)).toEqual(Array.from(whole));
  });
});
