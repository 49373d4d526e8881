/**
 * Everything a training job keeps on one device: model states + activations + input batch.
 *
 * Model states come from `model-states.ts` (ZeRO §5), activations from `activations.ts`
 * (Korthikanti et al. 2022, Table 2 and §4.2.3). Temporary buffers and fragmentation
 * (ZeRO §3.2, "residual states") are not counted here; `fit.ts` leaves explicit headroom
 * for them.
 */
import {
  deviceActivationBytes,
  inputBatchBytes,
  type ActivationShape,
  type DeviceActivationOptions,
  type RecomputeMode,
} from "./activations";
import { modelStateMemory, type ModelStateOptions } from "./model-states";

/** Bytes per device, by component. */
export interface DeviceMemoryBreakdown {
  readonly parameters: number;
  readonly gradients: number;
  readonly optimizerStates: number;
  readonly activations: number;
  readonly inputBatch: number;
  readonly total: number;
}

/** The activation side of a job: omitted means "model states only". */
export interface ActivationWorkload {
  /** s: sequence length. */
  readonly seq: number;
  /** b: micro-batch size (sequences). */
  readonly microBatch: number;
  /** L, h, a: the model's layers, hidden size and heads. */
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  /** @default "none" */
  readonly recompute?: RecomputeMode;
  /** @default false */
  readonly sequenceParallel?: boolean;
  /** m: micro-batches per step. @default p */
  readonly microbatches?: number;
  /** v: interleaved chunks per stage. @default 1 */
  readonly interleavedChunks?: number;
}

export interface DeviceMemoryOptions extends ModelStateOptions {
  readonly activations?: ActivationWorkload;
}

/**
 * Bytes per device for training a model of `parameters` parameters.
 *
 * @example deviceMemory(1e9, { recipe: "mixed-adam-fp32-grads" }).total // 20e9 (the lecture's 20 GB)
 */
export function deviceMemory(parameters: number, options: DeviceMemoryOptions = {}): DeviceMemoryBreakdown {
  // BEGIN SOLUTION memory.zeroPerDevice
  const states = modelStateMemory(parameters, options);
  const work = options.activations;
  let activations = 0;
  let inputBatch = 0;
  if (work !== undefined) {
    const shape: ActivationShape = { seq: work.seq, batch: work.microBatch, hidden: work.hidden, heads: work.heads };
    const deviceOptions: DeviceActivationOptions = {
      layers: work.layers,
      tensorParallel: options.tensorParallel ?? 1,
      pipelineParallel: options.pipelineParallel ?? 1,
      sequenceParallel: work.sequenceParallel ?? false,
      recompute: work.recompute ?? "none",
      ...(work.microbatches === undefined ? {} : { microbatches: work.microbatches }),
      ...(work.interleavedChunks === undefined ? {} : { interleavedChunks: work.interleavedChunks }),
    };
    activations = deviceActivationBytes(shape, deviceOptions).total;
    inputBatch = inputBatchBytes(work.seq, work.microBatch);
  }
  return {
    parameters: states.parameters,
    gradients: states.gradients,
    optimizerStates: states.optimizerStates,
    activations,
    inputBatch,
    total: states.total + activations + inputBatch,
  };
  // STUDENT EDITION KEEPS THIS BODY
  // END SOLUTION
}
