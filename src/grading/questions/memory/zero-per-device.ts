/**
 * memory.zeroPerDevice (notebooks/04-memory.ipynb): ZeRO model-state bytes per device
 * (Rajbhandari et al. 2020, Figure 1, §5).
 *
 *   zeroPerDevice(psi, bytes, stage, N) -> { parameters, gradients, optimizerStates, total }
 *
 * The reference is the library's `zeroModelStates` (src/memory/model-states.ts).
 */
import { zeroModelStates as libraryZeroModelStates, type ZeroStage } from "../../../memory/model-states";
import { customRecipe } from "../../../memory/precision-recipe";
import { callAnswer, type Implementation, type Question } from "../../question";
import { gradedTest, type KnownMistake } from "../expectations";
import { expectStates, readStateBytes, states, type StateBytes } from "./state-bytes";
import { recordedReference } from "../../recorded-expectations";
import { ZERO_BYTES_BY_HAND } from "../forbidden";

/** The references that build expected values: recorded data in the student edition (recorded-expectations.ts). */
const zeroModelStates = recordedReference("zeroModelStates", libraryZeroModelStates);

/** Bytes per parameter of each state (the answer's second input). */
export interface StateBytesPerParameter {
  readonly parameters: number;
  readonly gradients: number;
  readonly optimizerStates: number;
}

/** Which states a stage partitions: "correct" (ZeRO §5), or a typical mistake. */
type ZeroVariant = "correct" | "stage-plus-one" | "stage-minus-one" | "all-states-always" | "n-minus-one" | "default-recipe";

/** ZeRO per-device model states, written out with the typical mistakes (ZeRO Figure 1). */
export function zeroPerDeviceWith(psi: number, bytes: StateBytesPerParameter, stage: ZeroStage, N: number, variant: ZeroVariant = "correct"): StateBytes {
  const b = variant === "default-recipe" ? { parameters: 2, gradients: 2, optimizerStates: 12 } : bytes;
  const effectiveStage = variant === "stage-plus-one" ? stage + 1 : variant === "stage-minus-one" ? stage - 1 : variant === "all-states-always" ? 3 : stage;
  const divisor = variant === "n-minus-one" ? Math.max(N - 1, 1) : N;
  const share = (replicated: number, partitionedFrom: number): number => (effectiveStage >= partitionedFrom ? replicated / divisor : replicated);
  return states(share(b.parameters * psi, 3), share(b.gradients * psi, 2), share(b.optimizerStates * psi, 1));
}

function zeroMistakes(psi: number, bytes: StateBytesPerParameter, stage: ZeroStage, N: number): KnownMistake<StateBytes>[] {
  return [
    { value: zeroPerDeviceWith(psi, bytes, stage, N, "stage-plus-one"), description: `stage ${stage} partitions one state too many (stage 1 divides only the optimizer states by N; the gradients are divided by N from stage 2, the parameters at stage 3)` },
    { value: zeroPerDeviceWith(psi, bytes, stage, N, "stage-minus-one"), description: `stage ${stage} partitions one state too few (stage 1 already divides the optimizer states by N)` },
    { value: zeroPerDeviceWith(psi, bytes, stage, N, "all-states-always"), description: "every state is divided by N whatever the stage (only stage 3 partitions all three)" },
    { value: zeroPerDeviceWith(psi, bytes, stage, N, "n-minus-one"), description: "the states are divided by N − 1: each of the N data-parallel ranks keeps 1/N" },
    { value: zeroPerDeviceWith(psi, bytes, stage, N, "default-recipe"), description: "the bytes per parameter are hard-coded as 2, 2, 12: use the `bytes` argument" },
  ];
}

/** Check `zeroPerDevice` on one input; shared by public and hidden tests. */
export async function checkZeroPerDeviceCase(impl: Implementation, psi: number, bytes: StateBytesPerParameter, stage: ZeroStage, N: number, label?: string): Promise<void> {
  const what = label ?? `zeroPerDevice(${psi}, { parameters: ${bytes.parameters}, gradients: ${bytes.gradients}, optimizerStates: ${bytes.optimizerStates} }, ${stage}, ${N})`;
  const expected = zeroModelStates(psi, customRecipe("graded", bytes.parameters, bytes.gradients, bytes.optimizerStates), stage, N);
  const mistakes = zeroMistakes(psi, bytes, stage, N);
  const result = await callAnswer(impl, "memory.zeroPerDevice", "zeroPerDevice", psi, { ...bytes }, stage, N);
  expectStates(readStateBytes(result, what), expected, what, mistakes);
}

const MIXED_ADAM: StateBytesPerParameter = { parameters: 2, gradients: 2, optimizerStates: 12 };

export const memoryZeroPerDeviceQuestion: Question = {
  id: "memory.zeroPerDevice",
  notebook: "04-memory.ipynb",
  title: "ZeRO model-state bytes per device, stages 0-3",
  exports: ["zeroPerDevice"],
  references: ["zeroModelStates", "modelStateMemory", "zeroFormulaBytes", "deviceMemory"],
  forbidden: [ZERO_BYTES_BY_HAND],
  publicTests: [
    gradedTest("stage 0 (plain data parallelism) keeps everything: Ψ = 7.5B, 16 B/param gives 120 GB per GPU (ZeRO Figure 1)", 1, "Without ZeRO every rank holds (2 + 2 + K) Ψ bytes, whatever N is.", (impl) =>
      checkZeroPerDeviceCase(impl, 7.5e9, MIXED_ADAM, 0, 64),
    ),
    gradedTest("stage 1 with N = 64 gives 2Ψ + 2Ψ + KΨ/N = 31.4 GB (ZeRO Figure 1)", 1, "Stage 1 (P_os) partitions only the optimizer states.", (impl) => checkZeroPerDeviceCase(impl, 7.5e9, MIXED_ADAM, 1, 64)),
    gradedTest("stage 2 with N = 64 gives 2Ψ + (2 + K)Ψ/N = 16.6 GB (ZeRO Figure 1)", 1, "Stage 2 (P_os+g) partitions the optimizer states and the gradients.", (impl) =>
      checkZeroPerDeviceCase(impl, 7.5e9, MIXED_ADAM, 2, 64),
    ),
    gradedTest("stage 3 with N = 64 gives (2 + 2 + K)Ψ/N = 1.88 GB (ZeRO Figure 1)", 1, "Stage 3 (P_os+g+p) partitions all three states.", (impl) => checkZeroPerDeviceCase(impl, 7.5e9, MIXED_ADAM, 3, 64)),
    gradedTest("uses the bytes it is given: fp32 Adam (4, 4, 8) at stage 1 with N = 8", 1, "Multiply Ψ by bytes.parameters, bytes.gradients, bytes.optimizerStates; do not assume 2, 2, 12.", (impl) =>
      checkZeroPerDeviceCase(impl, 1e9, { parameters: 4, gradients: 4, optimizerStates: 8 }, 1, 8),
    ),
  ],
};
