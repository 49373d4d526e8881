import { beforeAll, describe, expect, it } from "vitest";
import {
  classificationDataFromRows,
  evenShards,
  makeClassificationData,
  naiveAllReduce,
  parameterRelativeDifference,
  ringAllReduce,
  trainDataParallel,
  type CustomAllReduce,
  type ReplicaOptimizerConfig,
} from "../../src/parallel";
import { readIrisRows } from "../../src/datasets";
import { initTensors } from "../../src/tensor";

// The replicas update their buffers with the optimization unit's tensor rules.
beforeAll(async () => {
  await initTensors();
});

const data = makeClassificationData({ samples: 256, features: 6, classes: 3, seed: 11 });
const adam: ReplicaOptimizerConfig = { kind: "adam", lr: 0.02 };

describe("the data-parallel simulator with an all-reduce written elsewhere", () => {
  it("gives the same bits as the library's ring when the function is the ring itself", () => {
    const ring: CustomAllReduce = (buffers) => ringAllReduce(buffers).outputs;
    for (const workers of [1, 2, 3, 5, 8]) {
      const options = { shardSizes: evenShards(workers, 4), optimizer: adam, seed: 2 };
      const library = trainDataParallel(data, options, 20);
      const custom = trainDataParallel(data, { ...options, allReduceFunction: ring }, 20);
      expect(Array.from(custom.workers[0]!.params)).toEqual(Array.from(library.workers[0]!.params));
      // the bytes are priced as the ring: 2(n−1)/n · S on every worker
      const S = library.workers[0]!.params.length * 4;
      expect(custom.history[0]!.bytesSent).toEqual(new Array(workers).fill((2 * (workers - 1) * S) / workers));
    }
  });

  it("trains like one worker with the whole batch, whatever correct all-reduce it is given", () => {
    const naive: CustomAllReduce = (buffers) => naiveAllReduce(buffers).outputs;
    const dp = trainDataParallel(data, { shardSizes: [3, 7, 2, 4], optimizer: adam, allReduceFunction: naive }, 50);
    const one = trainDataParallel(data, { shardSizes: [16], optimizer: adam }, 50);
    expect(parameterRelativeDifference(dp.workers[2]!.params, one.workers[0]!.params)).toBeLessThanOrEqual(1e-5);
  });

  it("passes copies, so a function that reduces in place cannot corrupt the replicas' gradient buffers", () => {
    let seen: Float32Array[] = [];
    const inPlace: CustomAllReduce = (buffers) => {
      seen = buffers;
      return ringAllReduce(buffers, { inPlace: true }).outputs;
    };
    const sim = trainDataParallel(data, { shardSizes: evenShards(3, 2), optimizer: adam, allReduceFunction: inPlace }, 1);
    expect(seen.every((b, i) => b !== sim.workers[i]!.grads)).toBe(true);
  });

  it("names the problem when the function returns the wrong number or size of buffers", () => {
    const tooFew: CustomAllReduce = (buffers) => buffers.slice(1);
    const tooShort: CustomAllReduce = (buffers) => buffers.map((b) => b.subarray(1));
    expect(() => trainDataParallel(data, { shardSizes: evenShards(3, 2), optimizer: adam, allReduceFunction: tooFew }, 1)).toThrow(
      /one Float32Array per worker \(3\), got 2 buffers/,
    );
    expect(() => trainDataParallel(data, { shardSizes: evenShards(2, 2), optimizer: adam, allReduceFunction: tooShort }, 1)).toThrow(
      /output 0 to be a Float32Array of length 21, got length 20/,
    );
  });
});

describe("classificationDataFromRows", () => {
  it("standardizes a hand-sized example: features [1, 3] and [10, 10] become ±1 and 0", () => {
    // feature 0: μ = 2, σ = 1 → [−1, 1]; feature 1: constant, σ taken as 1 → [0, 0]
    const d = classificationDataFromRows([[1, 10], [3, 10]], [0, 1]);
    expect(Array.from(d.x)).toEqual([-1, 0, 1, 0]);
    expect(Array.from(d.y)).toEqual([0, 1]);
    expect([d.samples, d.features, d.classes]).toEqual([2, 2, 2]);
  });

  it("keeps raw values when asked not to standardize", () => {
    const d = classificationDataFromRows([[1.5, 2], [3, 4], [5, 6]], [2, 0, 1], { standardize: false });
    expect(Array.from(d.x)).toEqual([1.5, 2, 3, 4, 5, 6]);
    expect(d.classes).toBe(3);
  });

  it("gives Iris (Fisher 1936: 150 flowers, 4 measurements, 3 species) mean 0 and variance 1 per feature", () => {
    const iris = readIrisRows();
    const d = classificationDataFromRows(iris.features, iris.labels);
    expect([d.samples, d.features, d.classes]).toEqual([150, 4, 3]);
    for (let f = 0; f < 4; f++) {
      let mean = 0;
      let meanSquare = 0;
      for (let s = 0; s < 150; s++) {
        mean += d.x[s * 4 + f]! / 150;
        meanSquare += d.x[s * 4 + f]! ** 2 / 150;
      }
      expect(Math.abs(mean)).toBeLessThan(1e-6);
      expect(meanSquare).toBeCloseTo(1, 5);
    }
  });

  it("rejects ragged rows and labels that are not class indices, naming the bad value", () => {
    expect(() => classificationDataFromRows([[1, 2], [3]], [0, 1])).toThrow(/row 1 to hold 2 finite numbers/);
    expect(() => classificationDataFromRows([[1], [2]], [0, -1])).toThrow(/label 1 to be an integer >= 0.*got -1/);
    expect(() => classificationDataFromRows([[1], [2]], [0])).toThrow(/one label per row/);
  });
});
