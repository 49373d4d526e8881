/**
 * A schedule run for real: a small MLP split into pipeline stages, trained on one
 * batch with tfjs, operation by operation in the schedule's order.
 *
 * What it shows: pipelining changes when work happens, never what is computed.
 * The gradient of the full-batch loss is the sum of the micro-batches' gradients
 * (GPipe, Huang et al. 2019, §2.2: the gradients of all micro-batches are
 * accumulated and applied once, at the end of the mini-batch), whatever the order
 * (GPipe, 1F1B, interleaved, ZB-H1), as long as the dependencies hold.
 *
 * Model: L dense layers without bias, h_{l+1} = tanh(h_l W_l) (the last layer is
 * linear), loss ℒ = (1/N) Σ_i ‖y_i − t_i‖² over the N rows of the batch. With m
 * micro-batches the batch is cut into m equal slices and ℒ = Σ_j ℒ_j with
 * ℒ_j = (1/N) Σ_{i in slice j} ‖y_i − t_i‖², so ∇ℒ = Σ_j ∇ℒ_j.
 * The layers are cut into p·v contiguous groups, one per virtual stage k = c·p + s.
 *
 * Each op, for micro-batch j on virtual stage k:
 *   F  x_{j,k+1} = f_k(x_{j,k});  store x_{j,k} (the in-flight activation)
 *   B  δ_{j,k} = (∂f_k/∂x)ᵀ δ_{j,k+1}, where δ_{j,p·v} = ∂ℒ_j/∂y = 2(y_j − t_j)/N;
 *      unsplit schedules also accumulate the weight gradients here
 *   W  ∇W_l += (∂f_k/∂W_l)ᵀ δ_{j,k+1} for the layers l of stage k (split schedules)
 * The backward recomputes f_k from the stored input with tfjs autodiff
 * (tf.grads), which gives the same numbers as keeping every intermediate.
 */
import { tf } from "../tensor";
import type { PipelineSchedule } from "./op";
import { simulatePipeline } from "./simulate";
import { expectInteger } from "../foundation/validate";

/** The MLP: h_{l+1} = tanh(h_l W_l), last layer linear. weights[l]: [d_l, d_{l+1}]. */
export function pipelineMlpForward(x: tf.Tensor2D, weights: readonly tf.Tensor2D[], firstLayer = 0, lastLayer = weights.length): tf.Tensor2D {
  return tf.tidy(() => {
    let h = x;
    for (let l = firstLayer; l < lastLayer; l++) {
      h = tf.matMul(h, weights[l]!);
      if (l < weights.length - 1) h = tf.tanh(h);
    }
    return h;
  });
}

/** ℒ = (1/N) Σ_i ‖y_i − t_i‖² and its gradient for every W_l, on the whole batch at once (the oracle). */
export function fullBatchMlpGradients(weights: readonly tf.Tensor2D[], X: tf.Tensor2D, T: tf.Tensor2D): { loss: number; gradients: tf.Tensor2D[] } {
  const N = X.shape[0];
  const lossOf = (...w: tf.Tensor[]): tf.Scalar =>
    tf.div(tf.sum(tf.square(tf.sub(pipelineMlpForward(X, w as tf.Tensor2D[]), T))), N) as tf.Scalar;
  const { value, grads } = tf.valueAndGrads(lossOf)([...weights]);
  const loss = value.dataSync()[0]!;
  value.dispose();
  return { loss, gradients: grads as tf.Tensor2D[] };
}

export interface PipelineTrainingResult {
  /** Σ_j ℒ_j */
  readonly loss: number;
  /** Accumulated ∇W_l, one per layer. */
  readonly gradients: tf.Tensor2D[];
  /** The ops in the order they ran ("F0@1" = forward of micro-batch 0 on virtual stage 1). */
  readonly executed: readonly string[];
}

/** Layers [first, last) of virtual stage k when L layers are cut into K groups. */
function layersOf(k: number, K: number, L: number): [number, number] {
  return [Math.floor((k * L) / K), Math.floor(((k + 1) * L) / K)];
}

/**
 * Run one batch through `schedule` on the MLP and return the accumulated gradients.
 * @param weights L ≥ p·v layer matrices
 * @param X inputs [N, d_0], N a multiple of m
 * @param T targets [N, d_L]
 * @example
 *   const { gradients } = runPipelineTraining(oneFOneBSchedule(2, 4), weights, X, T);
 *   // equal to fullBatchMlpGradients(weights, X, T).gradients
 */
export function runPipelineTraining(
  schedule: PipelineSchedule,
  weights: readonly tf.Tensor2D[],
  X: tf.Tensor2D,
  T: tf.Tensor2D,
): PipelineTrainingResult {
  const { stages: p, microbatches: m, chunks: v } = schedule;
  const K = p * v; // virtual stages
  const L = weights.length;
  const N = X.shape[0];
  expectInteger("number of layers (at least stages · chunks)", L, K);
  if (N % m !== 0) throw new RangeError(`Expected the batch size N = ${N} to be a multiple of microbatches (${m}), got remainder ${N % m}.`);
  // a valid execution order: the simulated start times (unit costs, all > 0, so a dependency always starts earlier)
  const timed = simulatePipeline(schedule).perStage.flat().sort((a, b) => a.start - b.start || a.stage - b.stage);

  const xs = tf.split(X, m, 0) as tf.Tensor2D[]; // m × [N/m, d_0]
  const ts = tf.split(T, m, 0) as tf.Tensor2D[];
  const inputs = new Map<string, tf.Tensor2D>(); // x_{j,k}: stored at F, freed after the last backward op
  const deltas = new Map<string, tf.Tensor2D>(); // δ_{j,k+1}: gradient arriving at stage k's output
  const gradients = weights.map((w) => tf.zerosLike(w) as tf.Tensor2D);
  const executed: string[] = [];
  let loss = 0;
  const key = (j: number, k: number): string => `${j}@${k}`;

  const stageGrads = (j: number, k: number, wrt: "input" | "weights" | "both"): void => {
    const [first, last] = layersOf(k, K, L);
    const x = inputs.get(key(j, k))!;
    const dy = deltas.get(key(j, k + 1))!;
    const f = (input: tf.Tensor, ...w: tf.Tensor[]): tf.Tensor2D => {
      const all = [...weights];
      w.forEach((wl, i) => (all[first + i] = wl as tf.Tensor2D));
      return pipelineMlpForward(input as tf.Tensor2D, all, first, last);
    };
    const grads = tf.grads(f)([x, ...weights.slice(first, last)], dy) as tf.Tensor2D[];
    if (wrt !== "weights" && k > 0) deltas.set(key(j, k), grads[0]!);
    else grads[0]!.dispose();
    for (let i = 1; i < grads.length; i++) {
      if (wrt === "input") {
        grads[i]!.dispose();
        continue;
      }
      const l = first + i - 1;
      const sum = tf.add(gradients[l]!, grads[i]!) as tf.Tensor2D;
      gradients[l]!.dispose();
      grads[i]!.dispose();
      gradients[l] = sum;
    }
  };
  const release = (j: number, k: number): void => {
    inputs.get(key(j, k))?.dispose();
    inputs.delete(key(j, k));
    deltas.get(key(j, k + 1))?.dispose();
    deltas.delete(key(j, k + 1));
  };

  for (const op of timed) {
    const j = op.microbatch;
    const k = op.chunk * p + op.stage;
    executed.push(`${op.kind === "forward" ? "F" : op.kind === "backward" ? "B" : "W"}${j}@${k}`);
    switch (op.kind) {
      case "forward": {
        const x = k === 0 ? xs[j]! : inputs.get(key(j, k))!;
        const [first, last] = layersOf(k, K, L);
        const y = pipelineMlpForward(x, weights, first, last);
        if (k === 0) inputs.set(key(j, 0), tf.clone(x));
        if (k < K - 1) inputs.set(key(j, k + 1), y); // sent to the next stage
        else {
          // last stage: ℒ_j and δ = ∂ℒ_j/∂y = 2(y − t)/N
          const diff = tf.sub(y, ts[j]!);
          const squares = tf.tidy(() => tf.sum(tf.square(diff)));
          loss += squares.dataSync()[0]! / N;
          squares.dispose();
          deltas.set(key(j, K), tf.mul(diff, 2 / N) as tf.Tensor2D);
          diff.dispose();
          y.dispose();
        }
        break;
      }
      case "backward":
        stageGrads(j, k, schedule.splitBackward ? "input" : "both");
        if (!schedule.splitBackward) release(j, k);
        break;
      case "weight":
        stageGrads(j, k, "weights");
        release(j, k);
        break;
      default: {
        const never: never = op;
        throw new Error(`Unexpected op ${JSON.stringify(never)}`);
      }
    }
  }
  tf.dispose([...xs, ...ts, ...inputs.values(), ...deltas.values()]);
  return { loss, gradients, executed };
}
