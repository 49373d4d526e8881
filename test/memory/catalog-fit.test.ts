import { describe, expect, it } from "vitest";
import { extendModelCatalog, findGpu, findModel, findNode, fitsOnGpu, GPU_CATALOG, MODEL_CATALOG, modelStateMemory, NODE_CATALOG } from "../../src/memory";
import { BYTES_PER_GB, BYTES_PER_GIB } from "../../src/foundation";

describe("GPU catalog", () => {
  it("stores the product figure as the capacity (80 GB = 80e9 bytes) and nvidia-smi's total beside it", () => {
    expect(findGpu("a100-80gb").memoryBytes).toBe(80e9);
    expect(findGpu("a100-80gb").driverReportedBytes).toBe(81920 * 2 ** 20); // 80 GiB = 85.9 GB
    expect(findGpu("A100 40GB").memoryBytes).toBe(40 * BYTES_PER_GB);
    expect(findGpu("a100-40gb").driverReportedBytes).toBe(40 * BYTES_PER_GIB);
    expect(GPU_CATALOG.map((g) => g.memoryBytes / BYTES_PER_GB)).toEqual([16, 32, 40, 80, 48, 80, 32]);
  });

  it("keeps the A40's 48 GB product figure apart from the 46068 MiB the driver shows with ECC on", () => {
    const a40 = findGpu("a40");
    expect(a40.memoryBytes).toBe(48e9);
    expect(a40.driverReportedBytes).toBe(46068 * 2 ** 20);
    expect(a40.driverReportedBytes! / BYTES_PER_GIB).toBeLessThan(48); // ECC takes part of the 48 GiB of GDDR6
  });

  it("reports a driver total no smaller than the product figure for every card that records one", () => {
    for (const gpu of GPU_CATALOG.filter((g) => g.driverReportedBytes !== undefined)) {
      expect(gpu.driverReportedBytes!).toBeGreaterThanOrEqual(gpu.memoryBytes);
    }
  });

  it("describes Delta's node types (COURSE.md): 4×A100 40GB, 4×A40, 8×A100, 8×MI100", () => {
    const delta = NODE_CATALOG.filter((n) => n.name.startsWith("delta-")).map((n) => [n.gpu.name, n.gpusPerNode]);
    expect(delta).toEqual([["a100-40gb", 4], ["a40", 4], ["a100-40gb", 8], ["mi100", 8]]);
    expect(findNode("h100-80gb").gpusPerNode).toBe(8);
  });

  it("names the known GPUs and nodes when a name is unknown", () => {
    expect(() => findGpu("a200")).toThrow(/Unknown GPU "a200". Known GPUs: v100-16gb/);
    expect(() => findNode("tpu")).toThrow(/nodes: delta-a100x4/);
  });
});

describe("model catalog", () => {
  it("holds the lecture's four models with the table's layers and hidden sizes", () => {
    const rows = ["bert-large", "gpt2-1.5b", "turing-nlg-17b", "gpt3-175b"].map((n) => findModel(n)).map((m) => [m.parameters, m.layers, m.hidden]);
    expect(rows).toEqual([[0.32e9, 24, 1024], [1.5e9, 48, 1600], [17.2e9, 78, 4256], [175e9, 96, 12288]]);
    expect(findModel("GPT-3").name).toBe("gpt3-175b");
  });

  it("lets a user add or replace models without touching the built-ins", () => {
    const mine = { name: "my-7b", displayName: "Mine 7B", parameters: 7e9, layers: 32, hidden: 4096, heads: 32, vocab: 32000, seq: 4096, source: "mine" };
    const catalog = extendModelCatalog([mine, { ...mine, name: "gpt3-175b", parameters: 1 }]);
    expect(findModel("my-7b", catalog).parameters).toBe(7e9);
    expect(findModel("gpt3-175b", catalog).parameters).toBe(1);
    expect(findModel("gpt3-175b").parameters).toBe(175e9);
    expect(catalog.length).toBe(MODEL_CATALOG.length + 1);
    expect(() => findModel("my-7b")).toThrow(/Known models: bert-large/);
  });
});

describe("fitsOnGpu", () => {
  it("works the headroom by hand: 40 GB · 0.95 − 1 GiB = 36.926 GB available", () => {
    const verdict = fitsOnGpu(30e9, findGpu("a100-40gb"));
    // 40e9 · 0.95 = 38e9; 38e9 − 1,073,741,824 = 36,926,258,176 bytes
    expect(verdict).toEqual({
      kind: "fits",
      requiredBytes: 30e9,
      availableBytes: 36_926_258_176,
      capacityBytes: 40e9,
      spareBytes: 6_926_258_176,
    });
  });

  it("says by how much a job does not fit: GPT-2 1.5B (24 GB of model states) on a V100 16GB", () => {
    // ZeRO §3.1: GPT-2 1.5B needs at least 24 GB for model states; 16 GB·0.95 − 1 GiB = 15.2e9 − 2^30 bytes available.
    const verdict = fitsOnGpu(modelStateMemory(1.5e9).total, findGpu("v100-16gb"));
    expect(verdict.kind).toBe("does-not-fit");
    if (verdict.kind === "does-not-fit") expect(verdict.shortfallBytes).toBeCloseTo(24e9 - (15.2e9 - BYTES_PER_GIB), 0);
  });

  it("turns the GB/GiB confusion into a verdict: 79 GiB (84.8 GB) does not fit an 80 GB card, 79 GB does", () => {
    const none = { overheadBytes: 0, fragmentationFraction: 0 };
    expect(fitsOnGpu(79e9, findGpu("a100-80gb"), none).kind).toBe("fits");
    expect(fitsOnGpu(79 * BYTES_PER_GIB, findGpu("a100-80gb"), none).kind).toBe("does-not-fit");
  });

  it("is monotone: spare + required = available for every size that fits", () => {
    for (let gib = 0; gib <= 90; gib += 3) {
      const v = fitsOnGpu(gib * BYTES_PER_GIB, 80e9);
      const margin = v.kind === "fits" ? v.spareBytes : -v.shortfallBytes;
      expect(margin + v.requiredBytes).toBeCloseTo(v.availableBytes, 0);
      expect(v.kind === "fits").toBe(gib * BYTES_PER_GIB <= v.availableBytes);
    }
  });

  it("rejects a negative requirement and a fragmentation fraction of 1", () => {
    expect(() => fitsOnGpu(-1, 1e9)).toThrow(/requiredBytes/);
    expect(() => fitsOnGpu(1, 1e9, { fragmentationFraction: 1 })).toThrow("Expected fragmentationFraction in [0, 1), got 1.");
  });
});
