/**
 * Tensor parallelism for self-attention, beside the MLP split of `tensor-parallel.ts`
 * (Shoeybi et al. 2019, "Megatron-LM", §3 and Figure 3b).
 *
 * Self-attention with a heads of size d = h/a on X [n, h]:
 *   Q = X W_Q, K = X W_K, V = X W_V            W_Q, W_K, W_V [h, h]; head j uses columns j·d … (j+1)·d − 1
 *   O_j = softmax(Q_j K_jᵀ / √d + causal mask) V_j
 *   Z = [O_1, …, O_a] W_O                      W_O [h, h]
 * On t devices (t divides a), device i owns a/t whole heads:
 *   W_Q, W_K, W_V split by columns (its heads' columns), [h, h/t] each: the heads are independent,
 *     so Q, K, V, the softmax and O for those heads are computed locally, with no communication;
 *   W_O split by rows, [h/t, h]: Z_i = [its O_j] W_O,i is a partial sum, Z = Σ_i Z_i;
 *   forward: one all-reduce of Z (n·h values), the "g" operator;
 *   backward: one all-reduce of dX = Σ_i dX_i, the "f" operator.
 * With the MLP's pair, a transformer layer costs two all-reduces forward and two backward
 * (§3: "4 total communication operations in the forward and backward pass of a single model
 * parallel transformer layer"). Biases and dropout are left out, as in the MLP.
 */
import { tf } from "../tensor";

/** The four projection matrices of one attention layer, each [h, h]. */
export interface AttentionWeights {
  readonly Wq: tf.Tensor2D;
  readonly Wk: tf.Tensor2D;
  readonly Wv: tf.Tensor2D;
  readonly Wo: tf.Tensor2D;
}

/** What device i holds: columns of W_Q, W_K, W_V for its heads ([h, h/t]) and rows of W_O ([h/t, h]). */
export interface AttentionShard extends AttentionWeights {
  readonly rank: number;
  /** Heads on this device: a/t. */
  readonly heads: number;
}

/** Communication of one tensor-parallel transformer layer (attention + MLP) for n tokens of hidden size h. */
export interface LayerTensorParallelTraffic {
  readonly allReducesForward: number;
  readonly allReducesBackward: number;
  /** S: bytes of one all-reduced [n, h] tensor. */
  readonly bytesPerAllReduce: number;
  /** Ring all-reduce: 2(t − 1)/t · S per all-reduce, summed over the layer's forward and backward. */
  readonly bytesSentPerDevice: number;
}

/** Causal multi-head attention output [n, heads·d] before the output projection. */
function attentionHeads(X: tf.Tensor2D, Wq: tf.Tensor2D, Wk: tf.Tensor2D, Wv: tf.Tensor2D, heads: number): tf.Tensor2D {
  return tf.tidy(() => {
    const n = X.shape[0];
    const width = Wq.shape[1];
    const d = width / heads;
    const split = (W: tf.Tensor2D) => tf.transpose(tf.reshape(tf.matMul(X, W), [n, heads, d]), [1, 0, 2]) as tf.Tensor3D; // [heads, n, d]
    const [Q, K, V] = [split(Wq), split(Wk), split(Wv)];
    const future = tf.sub(1, tf.linalg.bandPart(tf.ones([n, n]), -1, 0)); // 1 above the diagonal
    const scores = tf.add(tf.div(tf.matMul(Q, K, false, true), Math.sqrt(d)), tf.mul(future, -1e9));
    const O = tf.matMul(tf.softmax(scores), V); // [heads, n, d]
    return tf.reshape(tf.transpose(O, [1, 0, 2]), [n, width]) as tf.Tensor2D;
  });
}

/** Reference: causal self-attention on one device. X [n, h] -> Z [n, h]. */
export function unsplitAttentionForward(X: tf.Tensor2D, weights: AttentionWeights, heads: number): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(attentionHeads(X, weights.Wq, weights.Wk, weights.Wv, heads), weights.Wo));
}

/** Split the heads over t devices: W_Q, W_K, W_V by columns, W_O by rows. t must divide the heads. */
export function splitAttentionWeights(weights: AttentionWeights, heads: number, t: number): AttentionShard[] {
  const h = weights.Wq.shape[0];
  if (!Number.isInteger(t) || t < 1) throw new RangeError(`Expected t to be an integer >= 1, got ${t}.`);
  if (h % heads !== 0) throw new RangeError(`Expected the hidden size ${h} to be divisible by the ${heads} heads.`);
  if (heads % t !== 0) throw new RangeError(`Expected t to divide the ${heads} heads (each device holds whole heads), got t = ${t}.`);
  const columns = (W: tf.Tensor2D) => tf.split(W, t, 1) as tf.Tensor2D[];
  const [q, k, v] = [columns(weights.Wq), columns(weights.Wk), columns(weights.Wv)];
  const rows = tf.split(weights.Wo, t, 0) as tf.Tensor2D[];
  return rows.map((Wo, rank) => ({ rank, heads: heads / t, Wq: q[rank]!, Wk: k[rank]!, Wv: v[rank]!, Wo }));
}

/** Forward on t simulated devices: each computes its heads and its partial Z_i; one all-reduce sums them. */
export function tensorParallelAttentionForward(X: tf.Tensor2D, shards: readonly AttentionShard[]): { output: tf.Tensor2D; partialOutputs: tf.Tensor2D[]; allReduces: number } {
  const partialOutputs = shards.map((shard) => unsplitAttentionForward(X, shard, shard.heads));
  const output = tf.tidy(() => tf.addN(partialOutputs) as tf.Tensor2D); // all-reduce (sum)
  return { output, partialOutputs, allReduces: shards.length > 1 ? 1 : 0 };
}

export interface AttentionGradients {
  readonly dX: tf.Tensor2D;
  readonly dWq: tf.Tensor2D;
  readonly dWk: tf.Tensor2D;
  readonly dWv: tf.Tensor2D;
  readonly dWo: tf.Tensor2D;
}

function attentionGradients(X: tf.Tensor2D, w: AttentionWeights, heads: number, dZ: tf.Tensor2D): AttentionGradients {
  const grads = tf.grads((x: tf.Tensor, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, o: tf.Tensor) =>
    unsplitAttentionForward(x as tf.Tensor2D, { Wq: q as tf.Tensor2D, Wk: k as tf.Tensor2D, Wv: v as tf.Tensor2D, Wo: o as tf.Tensor2D }, heads),
  );
  const [dX, dWq, dWk, dWv, dWo] = grads([X, w.Wq, w.Wk, w.Wv, w.Wo], dZ) as tf.Tensor2D[];
  return { dX: dX!, dWq: dWq!, dWk: dWk!, dWv: dWv!, dWo: dWo! };
}

/** Reference gradients of the unsplit layer for upstream dZ (tfjs autodiff). */
export function unsplitAttentionBackward(X: tf.Tensor2D, weights: AttentionWeights, heads: number, dZ: tf.Tensor2D): AttentionGradients {
  return attentionGradients(X, weights, heads, dZ);
}

/**
 * Backward on t simulated devices: each differentiates its own heads against the shared dZ; the
 * weight gradients stay where their weights are, and one all-reduce sums dX.
 */
export function tensorParallelAttentionBackward(
  X: tf.Tensor2D,
  shards: readonly AttentionShard[],
  dZ: tf.Tensor2D,
): { dX: tf.Tensor2D; local: AttentionGradients[]; allReduces: number } {
  const local = shards.map((shard) => attentionGradients(X, shard, shard.heads, dZ));
  const dX = tf.tidy(() => tf.addN(local.map((g) => g.dX)) as tf.Tensor2D); // all-reduce (sum)
  return { dX, local, allReduces: shards.length > 1 ? 1 : 0 };
}

/**
 * Tensor-parallel traffic of one transformer layer: attention and MLP each all-reduce an [n, h]
 * tensor once forward and once backward.
 * @param bytesPerValue 2 for fp16/bf16 activations, 4 for float32
 * @example tensorParallelLayerTraffic(2048, 12288, 8, 2).bytesSentPerDevice // 4 · 7/4 · 50.3 MB = 352 MB
 */
export function tensorParallelLayerTraffic(tokens: number, hidden: number, t: number, bytesPerValue = 2): LayerTensorParallelTraffic {
  const bytesPerAllReduce = tokens * hidden * bytesPerValue;
  const perDirection = t > 1 ? 2 : 0;
  return {
    allReducesForward: perDirection,
    allReducesBackward: perDirection,
    bytesPerAllReduce,
    bytesSentPerDevice: t > 1 ? 2 * perDirection * ((2 * (t - 1)) / t) * bytesPerAllReduce : 0,
  };
}
