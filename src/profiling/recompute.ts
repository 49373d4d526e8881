/**
 * Activation recomputation as a trade: memory saved against FLOPs added.
 *
 * Memory: lab 4's activation model (Korthikanti et al. 2022, Table 2; src/memory/activations.ts)
 * for all l layers of one device. FLOPs: Eq. 3 of Narayanan et al. 2021 (src/profiling/flops.ts):
 *   none       F_none = 72Bslh²(1 + s/(6h) + V/(12lh))                  ≈ 6PD
 *   selective  F_none + 4Bs²lh (the attention core's forward again)     a few percent more
 *   full       F_full = 96Bslh²(1 + s/(6h) + V/(16lh))                  ≈ 8PD, a third more
 * Korthikanti et al. §5 show selective recomputation removes most of the activation memory
 * (the 5as²b attention scores) for a small fraction of full recomputation's extra compute.
 */
import { layerActivationBytes, type ActivationOptions } from "../memory/activations";
import { RECOMPUTE_MODES, type RecomputeMode } from "../memory/activations";
import { iterationFlops } from "./flops";

/** A model and micro-batch, in Korthikanti's and Narayanan's symbols. */
export interface RecomputeShape {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly vocab: number;
  readonly seq: number;
  /** b: micro-batch size (sequences). */
  readonly batch: number;
}

/** One recomputation mode's cost and saving. */
export interface RecomputeTradeoff {
  readonly recompute: RecomputeMode;
  /** Activation bytes of all layers on one device. */
  readonly activationBytes: number;
  /** FLOPs of one iteration on the micro-batch (Eq. 3 and its variants). */
  readonly flops: number;
  /** flops ÷ the no-recomputation flops. */
  readonly flopsRatio: number;
  /** activationBytes ÷ the no-recomputation bytes. */
  readonly memoryRatio: number;
}

/** The three modes, none first. */
export function recomputeTradeoffs(shape: RecomputeShape, parallel: Omit<ActivationOptions, "recompute"> = {}): RecomputeTradeoff[] {
  const rows = RECOMPUTE_MODES.map((recompute) => ({
    recompute,
    activationBytes: shape.layers * layerActivationBytes({ seq: shape.seq, batch: shape.batch, hidden: shape.hidden, heads: shape.heads }, { ...parallel, recompute }).total,
    flops: iterationFlops(shape, recompute).total,
  }));
  const base = rows[0]!;
  return rows.map((r) => ({ ...r, flopsRatio: r.flops / base.flops, memoryRatio: r.activationBytes / base.activationBytes }));
}
