/**
 * GFLOP/s of a 512x512 matmul on each TensorFlow.js backend that loads here.
 * Baseline: the pure-JS `cpu` backend, measured in the same run.
 */
import { initTensors, tf, type BackendName } from "../src/tensor/backend";
import { medianMs, printTable } from "./timing";

export async function run(): Promise<void> {
  const n = 512;
  const flops = 2 * n * n * n; // n^2 outputs, each n multiply-adds
  const rows: (string | number)[][] = [];
  const results: Partial<Record<BackendName, number>> = {};
  for (const backend of ["tensorflow", "wasm", "cpu"] as const) {
    try {
      await initTensors({ backend });
    } catch {
      rows.push([backend, "not available", "", ""]);
      continue;
    }
    const a = tf.randomNormal([n, n], 0, 1, "float32", 1);
    const b = tf.randomNormal([n, n], 0, 1, "float32", 2);
    const ms = await medianMs(
      () => {
        const c = tf.matMul(a, b);
        c.dataSync();
        c.dispose();
      },
      backend === "cpu" ? 5 : 15,
      2,
    );
    a.dispose();
    b.dispose();
    results[backend] = flops / (ms / 1000) / 1e9;
    rows.push([backend, ms, results[backend]!, ""]);
  }
  const baseline = results.cpu;
  for (const row of rows) {
    const gflops = typeof row[2] === "number" ? row[2] : undefined;
    row[3] = gflops !== undefined && baseline ? `${(gflops / baseline).toFixed(1)}x` : "";
  }
  console.log(`matmul ${n}x${n} (median ms; GFLOP/s; ratio to the cpu backend)`);
  printTable(["backend", "ms", "GFLOP/s", "vs cpu"], rows);
  await initTensors();
}
