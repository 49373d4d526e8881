import { describe, expect, it } from "vitest";
import { deepSpeedEstimateTable, deepSpeedZero2Estimate, deepSpeedZero3Estimate } from "../../src/memory";

/**
 * DeepSpeed's published examples (docs/code-docs/source/memory.rst, "Memory Requirements"):
 * estimate_zero{2,3}_model_states_mem_needs_all_cold(total_params=2851e6, largest_layer_params=32e6,
 * num_gpus_per_node=8, num_nodes=1). Trailing blanks of "cpu " are trimmed on the page.
 */
const PAGE_ZERO3 = `Estimated memory needed for params, optim states and gradients for a:
HW: Setup with 1 node, 8 GPUs per node.
SW: Model with 2851M total params, 32M largest layer params.
  per CPU  |  per GPU |   Options
   71.69GB |   0.12GB | offload_param=cpu , offload_optimizer=cpu , zero_init=1
  127.45GB |   0.12GB | offload_param=cpu , offload_optimizer=cpu , zero_init=0
   63.72GB |   0.78GB | offload_param=none, offload_optimizer=cpu , zero_init=1
  127.45GB |   0.78GB | offload_param=none, offload_optimizer=cpu , zero_init=0
    1.43GB |   6.09GB | offload_param=none, offload_optimizer=none, zero_init=1
  127.45GB |   6.09GB | offload_param=none, offload_optimizer=none, zero_init=0`;

const t5 = { totalParams: 2851e6, largestLayerParams: 32e6, gpusPerNode: 8, nodes: 1 };

describe("DeepSpeed's memory estimator", () => {
  it("reproduces the ZeRO-3 table of DeepSpeed's documentation line for line", () => {
    expect(deepSpeedEstimateTable(3, t5).map((l) => l.trimEnd())).toEqual(PAGE_ZERO3.split("\n"));
  });

  it("reproduces the page's ZeRO-2 offload row (127.45 GB | 5.31 GB) and follows the current code without offload", () => {
    const lines = deepSpeedEstimateTable(2, t5).map((l) => l.trimEnd());
    expect(lines.slice(0, 3)).toEqual(PAGE_ZERO3.split("\n").slice(0, 2).concat("SW: Model with 2851M total params."));
    expect(lines[4]).toBe("  127.45GB |   5.31GB | offload_optimizer=cpu");
    // The page prints 15.93 GB here: (4P + 16P/N) / 2^30, an older formula. The code's 2P + 18P/N:
    expect(lines[5]).toBe("  127.45GB |  11.28GB | offload_optimizer=none");
    expect((4 * 2851e6 + Math.trunc((16 * 2851e6) / 8)) / 2 ** 30).toBeCloseTo(15.93, 2);
  });

  it("computes bytes as DeepSpeed's code does, truncating like Python's int()", () => {
    // ZeRO-2 offload: GPU 2P, CPU P · max(4N, 16) · 1.5 with N = 8 GPUs
    expect(deepSpeedZero2Estimate({ ...t5, offloadOptimizer: true })).toEqual({ gpuBytes: 5_702_000_000, cpuBytes: 136_848_000_000 });
    // ZeRO-2, nothing offloaded: 2P + ⌊18P/8⌋ = 5.702e9 + 6.41475e9; CPU P · 4 · 8 · 1.5
    expect(deepSpeedZero2Estimate({ ...t5, offloadOptimizer: false })).toEqual({ gpuBytes: 12_116_750_000, cpuBytes: 136_848_000_000 });
    // ZeRO-3, nothing offloaded, 2 nodes: 4L + ⌊18P/16⌋; zero_init CPU = L · 4 · 8 · 1.5
    expect(deepSpeedZero3Estimate({ ...t5, nodes: 2, offloadOptimizer: false, zeroInit: true })).toEqual({
      gpuBytes: 128_000_000 + 3_207_375_000,
      cpuBytes: 1_536_000_000,
      largestLayerBytes: 128_000_000,
    });
    // ZeRO-3, everything offloaded, 2 nodes, no zero_init: P · max(4·8, 18/2) · 1.5
    expect(deepSpeedZero3Estimate({ ...t5, nodes: 2, offloadOptimizer: true, offloadParams: true, zeroInit: false }).cpuBytes).toBe(2851e6 * 32 * 1.5);
  });

  it("the t5-large example of the page: 125 MB gathered layer, case 1 3291 MB, case 3 477 MB on 4 GPUs", () => {
    // total params 737.67M, largest layer 32.90M (the page prints both rounded to 0.01M)
    const o = { totalParams: 737_668_096, largestLayerParams: 32_899_072, gpusPerNode: 4 };
    const mb = (b: number) => Math.floor(b / 2 ** 20); // the page's `>>20`
    expect(mb(deepSpeedZero3Estimate({ ...o, offloadOptimizer: false }).gpuBytes)).toBe(3291);
    expect(mb(deepSpeedZero3Estimate({ ...o, offloadOptimizer: true, offloadParams: true }).gpuBytes)).toBe(125);
    expect(mb(deepSpeedZero3Estimate({ ...o, offloadOptimizer: true }).gpuBytes)).toBe(477);
  });

  it("refuses ZeRO-3 without the largest layer, and parameter offload without optimizer offload", () => {
    expect(() => deepSpeedZero3Estimate({ totalParams: 1e9, offloadOptimizer: false })).toThrow(/largest layer/);
    expect(() => deepSpeedZero3Estimate({ ...t5, offloadOptimizer: false, offloadParams: true })).toThrow(/needs offload_optimizer=cpu/);
  });
});
