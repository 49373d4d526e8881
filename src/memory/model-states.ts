/**
 * Model-state memory per device under data, tensor and pipeline parallelism and ZeRO.
 *
 * Tensor parallelism t splits every layer's matrices across t devices and pipeline
 * parallelism p splits the layers into p stages (Narayanan et al. 2021, §2.2-2.3), so
 * one model-parallel rank holds Ψ = P / (t·p) parameters (layers split evenly).
 *
 * Data parallelism with degree N replicates those Ψ parameters N times; ZeRO
 * (Rajbhandari et al. 2020, §5.1-5.3 and Figure 1) partitions the replicated model
 * states across the N data-parallel ranks, with K optimizer bytes per parameter:
 *
 *   stage 0 (plain DP):            (2 + 2 + K) Ψ
 *   stage 1 (P_os):                 2Ψ + 2Ψ + KΨ/N
 *   stage 2 (P_os+g):               2Ψ + (2 + K)Ψ/N
 *   stage 3 (P_os+g+p):            (2 + 2 + K)Ψ/N
 *
 * (2, 2 being the recipe's parameter and gradient bytes.) ZeRO Figure 1: Ψ = 7.5B,
 * N = 64, K = 12 gives 120 GB, 31.4 GB, 16.6 GB and 1.88 GB. The formula itself is the
 * one byte model of parallel/zero-bytes.ts, which the ZeRO simulation uses too.
 */
import { resolveRecipe, type PrecisionRecipe, type RecipeName } from "./precision-recipe";
import { expectInteger, expectPositive } from "../foundation/validate";
import { zeroStateBytes, type ZeroStage } from "../parallel/zero-bytes";
import type { ZeroPerDeviceAnswer } from "./your-answers";

export type { ZeroStage } from "../parallel/zero-bytes";

/** Bytes per device of each model state. */
export interface ModelStateBreakdown {
  /** Working parameters held by this device (bytes). */
  readonly parameters: number;
  /** Gradients held by this device (bytes). */
  readonly gradients: number;
  /** Optimizer states held by this device (bytes). */
  readonly optimizerStates: number;
  /** Sum of the three (bytes). */
  readonly total: number;
}

export interface ModelStateOptions {
  /** Precision recipe (bytes per parameter of each state). @default "mixed-adam" */
  readonly recipe?: PrecisionRecipe | RecipeName;
  /** ZeRO stage. @default 0 */
  readonly zeroStage?: ZeroStage;
  /** N: data-parallel degree. @default 1 */
  readonly dataParallel?: number;
  /** t: tensor-parallel degree. @default 1 */
  readonly tensorParallel?: number;
  /** p: pipeline-parallel degree. @default 1 */
  readonly pipelineParallel?: number;
}

/**
 * Model-state bytes per device for a model of `parameters` parameters.
 *
 * @param parameters P, the whole model's parameter count
 * @returns bytes per device, by state
 * @example modelStateMemory(7.5e9, { zeroStage: 1, dataParallel: 64 }).total // 31,406,250,000 (ZeRO Fig. 1)
 */
export function modelStateMemory(parameters: number, options: ModelStateOptions = {}): ModelStateBreakdown {
  // BEGIN SOLUTION memory.zeroPerDevice
  const P = expectPositive("parameters", parameters);
  const t = expectInteger("tensorParallel", options.tensorParallel ?? 1, 1);
  const p = expectInteger("pipelineParallel", options.pipelineParallel ?? 1, 1);
  const psi = P / (t * p); // Ψ: parameters of one model-parallel rank
  return zeroModelStates(psi, options.recipe ?? "mixed-adam", options.zeroStage ?? 0, options.dataParallel ?? 1);
  // STUDENT EDITION KEEPS THIS BODY
  // END SOLUTION
}

/**
 * ZeRO's per-device model states for Ψ parameters replicated over N data-parallel ranks
 * (Rajbhandari et al. 2020, Figure 1 and §5).
 *
 * @param psi Ψ, parameters held by one model-parallel rank before ZeRO partitioning
 */
export function zeroModelStates(
  psi: number,
  recipe: PrecisionRecipe | RecipeName,
  zeroStage: ZeroStage,
  dataParallel: number,
): ModelStateBreakdown {
  // BEGIN SOLUTION memory.zeroPerDevice
  const r = resolveRecipe(recipe);
  const N = expectInteger("dataParallel", dataParallel, 1);
  expectPositive("psi", psi);
  const held = zeroStateBytes(expectZeroStage(zeroStage), psi, N, {
    param: r.parameterBytes, // 2 for fp16
    grad: r.gradientBytes, // 2 for fp16
    optimizer: r.optimizerBytes, // K
  });
  return { parameters: held.paramBytes, gradients: held.gradBytes, optimizerStates: held.optimizerBytes, total: held.totalBytes };
  // STUDENT EDITION
  // const yourZeroPerDevice = yours.answer<ZeroPerDeviceAnswer>("zeroPerDevice");
  // const perParameter = resolveRecipe(recipe); // bytes per parameter of each state
  // const bytes = { parameters: perParameter.parameterBytes, gradients: perParameter.gradientBytes, optimizerStates: perParameter.optimizerBytes };
  // const device = yourZeroPerDevice(expectPositive("psi", psi), bytes, expectZeroStage(zeroStage), expectInteger("dataParallel", dataParallel, 1));
  // return { parameters: device.parameters, gradients: device.gradients, optimizerStates: device.optimizerStates, total: device.total };
  // END SOLUTION
}

export function expectZeroStage(stage: number): ZeroStage {
  if (stage === 0 || stage === 1 || stage === 2 || stage === 3) return stage;
  throw new Error(`Expected zeroStage to be 0, 1, 2 or 3, got ${stage}.`);
}
