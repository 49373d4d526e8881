import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { activeBackend, initTensors, tf } from "../../src/tensor/backend";

const root = path.resolve(__dirname, "..", "..");

function tfjsNodeLoads(): boolean {
  try {
    require("@tensorflow/tfjs-node");
    return true;
  } catch {
    return false;
  }
}

describe("tensor backend selection", () => {
  it("picks tfjs-node when it loads and wasm otherwise, and says why it skipped a backend", async () => {
    const info = await initTensors();
    expect(activeBackend()).toBe(info);
    expect(tf.getBackend()).toBe(info.name);
    if (tfjsNodeLoads()) {
      expect(info.name).toBe("tensorflow");
    } else {
      expect(info.name).toBe("wasm");
      expect(info.skipped[0]).toMatch(/^tensorflow: @tensorflow\/tfjs-node is not installed/);
    }
  });

  it("computes the same matmul on the chosen backend and on the pure-JS backend", async () => {
    const a = [
      [1, 2],
      [3, 4],
    ];
    const b = [
      [5, 6],
      [7, 8],
    ];
    await initTensors();
    const fast = tf.matMul(tf.tensor2d(a), tf.tensor2d(b)).arraySync();
    await initTensors({ backend: "cpu" });
    const slow = tf.matMul(tf.tensor2d(a), tf.tensor2d(b)).arraySync();
    await initTensors();
    expect(fast).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(slow).toEqual(fast);
  });

  it("never prints tfjs's Node.js advertisement, even on the pure-JS backend", () => {
    const script = `
      const lab = require(${JSON.stringify(path.join(root, "dist", "index.js"))});
      lab.initTensors({ backend: "cpu" }).then(() => { lab.tf.tensor([1, 2]).add(1).dataSync(); console.log("done"); });`;
    const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", cwd: root });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("done");
    expect(result.stdout + result.stderr).not.toMatch(/looks like you are running TensorFlow\.js in Node\.js/i);
  });
});
