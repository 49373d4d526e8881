/**
 * Picking the fastest TensorFlow.js backend this machine can run.
 *
 * Order of preference (DESIGN.md, "Tensors"):
 *   1. `tensorflow` — @tensorflow/tfjs-node, native libtensorflow. Fastest, but its
 *      install downloads libtensorflow, so it is an optional dependency and is
 *      often missing (no internet on compute nodes, in CI, ...). That is normal.
 *   2. `wasm` — @tensorflow/tfjs-backend-wasm, XNNPACK compiled to WebAssembly.
 *      Ships inside npm, so it is always there. Measured on a 2-core machine:
 *      ~36x the pure-JS backend on a 512x512 matmul (run `npm run bench`).
 *   3. `cpu` — pure JavaScript. Always works; slow.
 *
 * Every lab calls `initTensors()` (the notebooks do it in their first cell) and
 * then uses the `tf` namespace exported here, so the whole workbook shares one
 * backend and one tensor registry (which is what `tf.memory()` counts).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

export { tf };

/** The backends this workbook knows, fastest first. */
export type BackendName = "tensorflow" | "wasm" | "cpu";

export interface BackendInfo {
  /** The backend in use. */
  readonly name: BackendName;
  /** Why faster backends were skipped, one line each (empty when the fastest loaded). */
  readonly skipped: readonly string[];
}

export interface InitTensorsOptions {
  /**
   * Force one backend instead of the fastest available one (tests use this to
   * compare backends). Throws if that backend cannot start.
   * @default undefined (fastest available)
   */
  readonly backend?: BackendName;
}

let active: BackendInfo | undefined;

/**
 * Start TensorFlow.js on the fastest backend available and remember the choice.
 * Calling it again returns the same answer unless `options.backend` asks for another.
 *
 * @returns which backend is active and why faster ones were skipped
 * @example
 *   const info = await initTensors();
 *   console.log(info.name); // "wasm" on a machine without tfjs-node
 */
export async function initTensors(options: InitTensorsOptions = {}): Promise<BackendInfo> {
  if (active && (options.backend === undefined || options.backend === active.name)) {
    return active;
  }
  const wanted: readonly BackendName[] = options.backend ? [options.backend] : ["tensorflow", "wasm", "cpu"];
  const skipped: string[] = [];
  for (const name of wanted) {
    const problem = await tryBackend(name);
    if (problem === undefined) {
      silenceNodeAdvert();
      active = { name, skipped };
      return active;
    }
    skipped.push(`${name}: ${problem}`);
  }
  throw new Error(
    `No TensorFlow.js backend could start (${skipped.join("; ")}). ` +
      "Run `npm install` in the workbook folder, then `npx efflab kernel doctor`.",
  );
}

/** The active backend, or `undefined` before `initTensors()` has run. */
export function activeBackend(): BackendInfo | undefined {
  return active;
}

/**
 * Throws a clear message unless a TensorFlow.js backend has been started (by
 * `initTensors()`, or by `tf.setBackend` directly). Without one, tfjs would say only
 * that its "highest priority backend has not yet been initialized".
 * @param what the computation that needs tensors, e.g. "The Adam update of a replica"
 */
export function expectTensorsStarted(what: string): void {
  if (tf.engine().backendName == null) {
    throw new Error(`${what} computes with TensorFlow.js, which has not been started: run \`await initTensors()\` first (the notebooks' first cell does).`);
  }
}

/** Try to make `name` the active tfjs backend; return a one-line reason on failure. */
async function tryBackend(name: BackendName): Promise<string | undefined> {
  if (name === "tensorflow") {
    try {
      // Registers the "tensorflow" backend with the same tfjs-core instance if it loads.
      require("@tensorflow/tfjs-node");
    } catch (error) {
      return `@tensorflow/tfjs-node is not installed or its native library is missing (${firstLine(error)})`;
    }
  }
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok ? undefined : `tf.setBackend("${name}") returned false`;
  } catch (error) {
    return firstLine(error);
  }
}

/**
 * The pure-JS backend prints a banner ("Hi, looks like you are running TensorFlow.js
 * in Node.js...") on its first tensor. It advertises the backend we already tried
 * first, so we mark it as already shown. Both flags are the backend's own.
 */
function silenceNodeAdvert(): void {
  const cpu = tf.findBackend("cpu") as unknown as { firstUse?: boolean } | null;
  if (cpu && "firstUse" in cpu) cpu.firstUse = false;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
