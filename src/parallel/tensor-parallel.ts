/**
 * Tensor parallelism for a transformer MLP, as in Megatron-LM (Shoeybi et al.
 * 2019, "Megatron-LM: Training Multi-Billion Parameter Language Models Using
 * Model Parallelism", §3, Eq. 1–3 and Figure 3a).
 *
 * The MLP is Z = GeLU(X A) B with X [n, h], A [h, f], B [f, h] (f = 4h in GPT).
 * On t devices:
 *   A = [A_1, …, A_t]         split by columns, A_i [h, f/t]
 *   Y_i = GeLU(X A_i)         local: GeLU acts element-wise, so no communication (Eq. 3)
 *   B = [B_1; …; B_t]         split by rows, B_i [f/t, h]
 *   Z_i = Y_i B_i             a partial sum: Z = Σ_i Z_i
 *   Z = all-reduce(Z_i)       the "g" operator: one all-reduce in the forward
 * Backward, with upstream gradient dZ (the same on every device):
 *   dB_i = Y_iᵀ dZ,  dA_i = Xᵀ (dZ B_iᵀ ⊙ GeLU'(X A_i)),  dX_i = (dZ B_iᵀ ⊙ GeLU'(X A_i)) A_iᵀ
 *   dX = all-reduce(dX_i)     the "f" operator: one all-reduce in the backward
 * So each MLP costs one all-reduce of n·h values forward and one backward
 * (Figure 3: "f and g are conjugate"), and the weight gradients never move.
 *
 * Biases and dropout are left out to keep the algebra in view (Megatron splits
 * A's bias with A and adds B's bias after the all-reduce). Devices are simulated
 * in one process with tfjs tensors.
 */
import { FLOAT32_BYTES } from "../foundation/units";
import { tf } from "../tensor";

/** GeLU, tanh approximation (Hendrycks & Gimpel 2016, §2), as used by GPT-2 and Megatron. */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const c = Math.sqrt(2 / Math.PI);
    const inner = tf.mul(c, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  });
}

/** The two weight matrices of the MLP. */
export interface MlpWeights {
  /** A: [h, f] */
  readonly A: tf.Tensor2D;
  /** B: [f, h] */
  readonly B: tf.Tensor2D;
}

/** What device i holds: A_i (columns of A) and B_i (rows of B). */
export interface TensorParallelMlpShard {
  readonly rank: number;
  /** A_i: [h, f/t] */
  readonly A: tf.Tensor2D;
  /** B_i: [f/t, h] */
  readonly B: tf.Tensor2D;
}

/** All-reduces and bytes a tensor-parallel MLP step sends. */
export interface TensorParallelCommunication {
  /** All-reduces per MLP in this pass (0 when t = 1). */
  readonly allReduces: number;
  /** S: bytes of the reduced tensor, n · h · 4 for float32. */
  readonly bytesPerAllReduce: number;
  /** Bytes each device sends with ring all-reduce: 2(t − 1)/t · S per all-reduce (Patarasuk & Yuan 2009, §4). */
  readonly bytesSentPerDevice: number;
}

/** Reference: Z = GeLU(X A) B on one device. X [n, h] -> Z [n, h]. */
export function unsplitMlpForward(X: tf.Tensor2D, weights: MlpWeights): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(geluTanh(tf.matMul(X, weights.A)) as tf.Tensor2D, weights.B));
}

/** Checks that t shards of `weights` exist: t an integer ≥ 1 dividing f, B [f, h] matching A [h, f]. */
function expectMlpSplit(weights: MlpWeights, t: number): void {
  const [h, f] = weights.A.shape;
  if (!Number.isInteger(t) || t < 1) throw new RangeError(`Expected t to be an integer >= 1, got ${t}.`);
  if (weights.B.shape[0] !== f || weights.B.shape[1] !== h) {
    throw new RangeError(`Expected B to be [${f}, ${h}] to match A [${h}, ${f}], got [${weights.B.shape.join(", ")}].`);
  }
  if (f % t !== 0) throw new RangeError(`Expected t to divide the MLP width f = ${f}, got t = ${t}. Use a divisor of ${f}.`);
}

/**
 * Split A by columns and B by rows into t shards (Shoeybi et al. 2019, §3).
 * @param t tensor-parallel degree; must divide f
 * @example
 *   const shards = splitMlpWeights({ A, B }, 2); // shards[1].A = A[:, f/2:], shards[1].B = B[f/2:, :]
 */
export function splitMlpWeights(weights: MlpWeights, t: number): TensorParallelMlpShard[] {
  // BEGIN SOLUTION pipeline.columnRowSplit
  expectMlpSplit(weights, t);
  const columns = tf.split(weights.A, t, 1) as tf.Tensor2D[]; // t × [h, f/t]
  const rows = tf.split(weights.B, t, 0) as tf.Tensor2D[]; // t × [f/t, h]
  return columns.map((A, rank) => ({ rank, A, B: rows[rank]! }));
  // STUDENT EDITION
  // const yourSplit = yours.answer<typeof splitMlpWeights>("columnRowSplit");
  // expectMlpSplit(weights, t);
  // return yourSplit(weights, t);
  // END SOLUTION
}

function communication(t: number, X: tf.Tensor2D, h: number): TensorParallelCommunication {
  const allReduces = t > 1 ? 1 : 0;
  const bytesPerAllReduce = X.shape[0] * h * FLOAT32_BYTES;
  return { allReduces, bytesPerAllReduce, bytesSentPerDevice: (allReduces * 2 * (t - 1) * bytesPerAllReduce) / t };
}

export interface TensorParallelMlpOutput {
  /** Z = Σ_i Z_i after the all-reduce: [n, h] */
  readonly output: tf.Tensor2D;
  /** Z_i = GeLU(X A_i) B_i before the all-reduce: t × [n, h] */
  readonly partialOutputs: readonly tf.Tensor2D[];
  readonly communication: TensorParallelCommunication;
}

/**
 * Forward on t simulated devices: local GeLU(X A_i) B_i, then one all-reduce.
 * @param X input [n, h], replicated on every device
 */
export function tensorParallelMlpForward(X: tf.Tensor2D, shards: readonly TensorParallelMlpShard[]): TensorParallelMlpOutput {
  const partialOutputs = shards.map((shard) => unsplitMlpForward(X, shard)); // Z_i: [n, h]
  const output = tf.tidy(() => tf.addN(partialOutputs) as tf.Tensor2D); // all-reduce (sum)
  return { output, partialOutputs, communication: communication(shards.length, X, output.shape[1]) };
}

export interface TensorParallelMlpGradients {
  /** dX after the backward all-reduce: [n, h] */
  readonly dX: tf.Tensor2D;
  /** dA_i per device: t × [h, f/t] (concatenated by columns they are dA) */
  readonly dA: readonly tf.Tensor2D[];
  /** dB_i per device: t × [f/t, h] (stacked by rows they are dB) */
  readonly dB: readonly tf.Tensor2D[];
  readonly communication: TensorParallelCommunication;
}

/**
 * Backward on t simulated devices: every device differentiates its own
 * GeLU(X A_i) B_i against the shared dZ (tfjs autodiff), then one all-reduce sums dX_i.
 * @param dZ upstream gradient [n, h]
 */
export function tensorParallelMlpBackward(
  X: tf.Tensor2D,
  shards: readonly TensorParallelMlpShard[],
  dZ: tf.Tensor2D,
): TensorParallelMlpGradients {
  const local = shards.map((shard) => {
    const grads = tf.grads((x: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => unsplitMlpForward(x as tf.Tensor2D, { A: a as tf.Tensor2D, B: b as tf.Tensor2D }));
    const [dXi, dAi, dBi] = grads([X, shard.A, shard.B], dZ) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    return { dXi, dAi, dBi };
  });
  const dX = tf.tidy(() => tf.addN(local.map((g) => g.dXi)) as tf.Tensor2D); // all-reduce (sum)
  local.forEach((g) => g.dXi.dispose());
  return {
    dX,
    dA: local.map((g) => g.dAi),
    dB: local.map((g) => g.dBi),
    communication: communication(shards.length, X, dX.shape[1]),
  };
}

/** Reference gradients of the unsplit MLP: dX, dA, dB for upstream dZ (tfjs autodiff). */
export function unsplitMlpBackward(X: tf.Tensor2D, weights: MlpWeights, dZ: tf.Tensor2D): { dX: tf.Tensor2D; dA: tf.Tensor2D; dB: tf.Tensor2D } {
  const grads = tf.grads((x: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => unsplitMlpForward(x as tf.Tensor2D, { A: a as tf.Tensor2D, B: b as tf.Tensor2D }));
  const [dX, dA, dB] = grads([X, weights.A, weights.B], dZ) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  return { dX, dA, dB };
}
