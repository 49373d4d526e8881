/**
 * The ZeRO byte model: what one data-parallel rank holds of each model state.
 *
 * Rajbhandari, Rasley, Ruwase & He 2020, "ZeRO: Memory Optimizations Toward Training
 * Trillion Parameter Models", SC'20, §5.1–5.3 and Figure 1. With Ψ parameters
 * replicated over N data-parallel ranks, p and g bytes per parameter of parameters and
 * gradients and K bytes per parameter of optimizer states:
 *
 *   stage 0 (plain DP):            (p + g + K)Ψ
 *   stage 1 (P_os):                 pΨ + gΨ + KΨ/N
 *   stage 2 (P_os+g):               pΨ + (g + K)Ψ/N
 *   stage 3 (P_os+g+p):            (p + g + K)Ψ/N
 *
 * Written once: memory accounting (memory/model-states.ts, with a precision recipe's
 * bytes) and the ZeRO simulation (zero.ts, with its fp32 4 + 4 + 8) both call it.
 * ZeRO Figure 1: Ψ = 7.5B, N = 64, p = g = 2, K = 12 gives 120 GB, 31.4 GB, 16.6 GB and 1.88 GB.
 */
import { assertNever } from "../foundation/assert-never";

/** ZeRO stage: 0 = plain data parallelism, 1 = optimizer states, 2 = + gradients, 3 = + parameters partitioned. */
export type ZeroStage = 0 | 1 | 2 | 3;

/** Bytes per parameter of each model state. */
export interface ModelStateBytesPerParameter {
  /** p: bytes per parameter of the parameters themselves */
  readonly param: number;
  /** g: bytes per parameter of the gradients */
  readonly grad: number;
  /** K: bytes per parameter of optimizer states */
  readonly optimizer: number;
}

/** Bytes a worker holds between steps, split as in the ZeRO paper. */
export interface ZeroMemoryHeld {
  readonly paramBytes: number;
  readonly gradBytes: number;
  readonly optimizerBytes: number;
  readonly totalBytes: number;
}

/**
 * Bytes per data-parallel rank of each model state at a ZeRO stage (the table above).
 * @param stage 0–3
 * @param Psi Ψ, parameters replicated over the data-parallel ranks
 * @param N data-parallel degree
 * @param bytes p, g and K
 * @example zeroStateBytes(1, 7.5e9, 64, { param: 2, grad: 2, optimizer: 12 }).totalBytes // 31,406,250,000 (ZeRO Fig. 1)
 */
export function zeroStateBytes(stage: ZeroStage, Psi: number, N: number, bytes: ModelStateBytesPerParameter): ZeroMemoryHeld {
  const p = bytes.param * Psi; // pΨ, replicated
  const g = bytes.grad * Psi; // gΨ, replicated
  const o = bytes.optimizer * Psi; // KΨ, replicated
  let held: [number, number, number];
  switch (stage) {
    case 0:
      held = [p, g, o];
      break;
    case 1:
      held = [p, g, o / N]; // optimizer states partitioned
      break;
    case 2:
      held = [p, g / N, o / N]; // + gradients
      break;
    case 3:
      held = [p / N, g / N, o / N]; // + parameters
      break;
    default:
      return assertNever(stage);
  }
  const [paramBytes, gradBytes, optimizerBytes] = held;
  return { paramBytes, gradBytes, optimizerBytes, totalBytes: paramBytes + gradBytes + optimizerBytes };
}

/**
 * memory.zeroPerDevice (lab 04) as the student's answer computes it: ZeRO's model-state bytes on one
 * of N data-parallel devices (ZeRO Figure 1). A per-lab edition's library calls it in place of
 * `zeroStateBytes` (foundation/your-answer.ts).
 */
export type ZeroPerDeviceAnswer = (
  psi: number,
  bytes: { readonly parameters: number; readonly gradients: number; readonly optimizerStates: number },
  stage: 0 | 1 | 2 | 3,
  N: number,
) => { readonly parameters: number; readonly gradients: number; readonly optimizerStates: number; readonly total: number };
