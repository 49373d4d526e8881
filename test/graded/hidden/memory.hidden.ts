/**
 * Hidden tests of lab 4 (never shipped in the student edition): other recipes, other
 * sizes and degrees, every row of Korthikanti et al. 2022 Table 2, capacities in both
 * units. Messages never show expected values (the grader suppresses `expected`/`received`
 * for hidden tests) nor the inputs: each check is given a label that names the case instead.
 */
import type { HiddenTests } from "../../../src/grading/question";
import { gradedTest } from "../../../src/grading/questions/expectations";
import { checkBytesPerParameterCase } from "../../../src/grading/questions/memory/bytes-per-parameter";
import { checkZeroPerDeviceCase } from "../../../src/grading/questions/memory/zero-per-device";
import { checkActivationsPerLayerCase } from "../../../src/grading/questions/memory/activations-per-layer";
import { checkFitsOnGpuCase } from "../../../src/grading/questions/memory/fits-on-gpu";

const GiB = 2 ** 30;

export const memoryHiddenTests: HiddenTests[] = [
  {
    questionId: "memory.bytesPerParameter",
    tests: [
      gradedTest("plain fp32 SGD keeps no optimizer state", 1, "SGD has no moments; fp32 weights need no master copy.", (impl) =>
        checkBytesPerParameterCase(impl, { weights: "fp32", gradients: "fp32", optimizer: "sgd", fp32GradientCopy: false }, "bytesPerParameter of plain fp32 SGD"),
      ),
      gradedTest("fp16 SGD with momentum", 1, "One fp32 moment plus the fp32 master weights.", (impl) =>
        checkBytesPerParameterCase(impl, { weights: "fp16", gradients: "fp16", optimizer: "momentum", fp32GradientCopy: false }, "bytesPerParameter of fp16 SGD with momentum"),
      ),
      gradedTest("an fp32 gradient copy is not added when the gradients are already fp32", 1, "An fp32 gradient is its own copy.", (impl) =>
        checkBytesPerParameterCase(impl, { weights: "bf16", gradients: "fp32", optimizer: "adam", fp32GradientCopy: true }, "bytesPerParameter with fp32 gradients and fp32GradientCopy"),
      ),
      gradedTest("bf16 SGD with an fp32 gradient copy", 1, "Master weights, no moments, one gradient copy.", (impl) =>
        checkBytesPerParameterCase(impl, { weights: "bf16", gradients: "bf16", optimizer: "sgd", fp32GradientCopy: true }, "bytesPerParameter of bf16 SGD with a gradient copy"),
      ),
      gradedTest("fp32 momentum", 1, "fp32 weights are their own master copy.", (impl) =>
        checkBytesPerParameterCase(impl, { weights: "fp32", gradients: "fp32", optimizer: "momentum", fp32GradientCopy: true }, "bytesPerParameter of fp32 momentum"),
      ),
    ],
  },
  {
    questionId: "memory.zeroPerDevice",
    tests: [
      gradedTest("GPT-3 (175B) at stage 3 over N = 1024", 1, "Stage 3 partitions all three states.", (impl) =>
        checkZeroPerDeviceCase(impl, 175e9, { parameters: 2, gradients: 2, optimizerStates: 12 }, 3, 1024, "zeroPerDevice for GPT-3 at stage 3"),
      ),
      gradedTest("the lecture's 20 B/param recipe at stage 1 and stage 2, N = 16", 1, "Stage 1: optimizer states only; stage 2: plus gradients.", async (impl) => {
        await checkZeroPerDeviceCase(impl, 1.5e9, { parameters: 2, gradients: 2, optimizerStates: 16 }, 1, 16, "zeroPerDevice of the 20 B/param recipe at stage 1");
        await checkZeroPerDeviceCase(impl, 1.5e9, { parameters: 2, gradients: 2, optimizerStates: 16 }, 2, 16, "zeroPerDevice of the 20 B/param recipe at stage 2");
      }),
      gradedTest("bf16 weights with fp32 gradients at stage 2, N = 4", 1, "Use the bytes given for each state.", (impl) =>
        checkZeroPerDeviceCase(impl, 7e9, { parameters: 2, gradients: 4, optimizerStates: 12 }, 2, 4, "zeroPerDevice with fp32 gradients at stage 2"),
      ),
      gradedTest("N = 1 partitions nothing, at every stage", 1, "Dividing by N = 1 changes nothing.", async (impl) => {
        for (const stage of [0, 1, 2, 3] as const) await checkZeroPerDeviceCase(impl, 3e8, { parameters: 2, gradients: 2, optimizerStates: 12 }, stage, 1, `zeroPerDevice at stage ${stage} with N = 1`);
      }),
      gradedTest("stage 0 ignores N, even for N = 2", 1, "Plain data parallelism replicates every state.", (impl) =>
        checkZeroPerDeviceCase(impl, 2e9, { parameters: 4, gradients: 4, optimizerStates: 8 }, 0, 2, "zeroPerDevice at stage 0 with N = 2"),
      ),
    ],
  },
  {
    questionId: "memory.activationsPerLayer",
    tests: [
      gradedTest("a 22B Megatron layer (s = 2048, h = 6144, a = 64), b = 4, t = 8, tensor parallel only", 1, "Table 2, tensor-parallel row.", (impl) =>
        checkActivationsPerLayerCase(impl, { s: 2048, b: 4, h: 6144, a: 64 }, { t: 8, sequenceParallel: false, recompute: "none" }, "activationsPerLayer of the 22B layer, tensor parallel"),
      ),
      gradedTest("selective recomputation without sequence parallelism", 1, "Table 2, tensor parallel + selective row.", (impl) =>
        checkActivationsPerLayerCase(impl, { s: 4096, b: 2, h: 4096, a: 32 }, { t: 4, sequenceParallel: false, recompute: "selective" }, "activationsPerLayer with selective recomputation, no sequence parallelism"),
      ),
      gradedTest("BERT-Large's layer on one device (s = 512, b = 8, h = 1024, a = 16)", 1, "Table 2, first row.", (impl) =>
        checkActivationsPerLayerCase(impl, { s: 512, b: 8, h: 1024, a: 16 }, { t: 1, sequenceParallel: false, recompute: "none" }, "activationsPerLayer of BERT-Large's layer"),
      ),
      gradedTest("full recomputation with sequence parallelism", 1, "Table 2, full recomputation row.", (impl) =>
        checkActivationsPerLayerCase(impl, { s: 1024, b: 3, h: 2048, a: 16 }, { t: 2, sequenceParallel: true, recompute: "full" }, "activationsPerLayer with full recomputation and sequence parallelism"),
      ),
      gradedTest("a long sequence (s = 16384) with tensor and sequence parallelism, t = 4", 1, "The attention term grows with s².", (impl) =>
        checkActivationsPerLayerCase(impl, { s: 16384, b: 1, h: 5120, a: 40 }, { t: 4, sequenceParallel: true, recompute: "none" }, "activationsPerLayer of the long sequence"),
      ),
    ],
  },
  {
    questionId: "memory.fitsOnGpu",
    tests: [
      gradedTest("an A40 (48 GiB) with 1 GiB overhead and 5% fragmentation, a job that fits", 1, "Convert GiB to bytes with 2^30.", (impl) =>
        checkFitsOnGpuCase(impl, 40e9, 48, "GiB", { overheadBytes: GiB, fragmentationFraction: 0.05 }, "fitsOnGpu on the A40"),
      ),
      gradedTest("a capacity in GB with a job just too large", 1, "GB means 10^9 bytes.", (impl) =>
        checkFitsOnGpuCase(impl, 38.5e9 + 1e6, 40, "GB", { overheadBytes: 5e8, fragmentationFraction: 0.025 }, "fitsOnGpu of the job just too large"),
      ),
      gradedTest("a job between 40 GB and 40 GiB, no headroom", 1, "The two units differ by 7%.", async (impl) => {
        await checkFitsOnGpuCase(impl, 42e9, 40, "GiB", { overheadBytes: 0, fragmentationFraction: 0 }, "fitsOnGpu of the job on the GiB card");
        await checkFitsOnGpuCase(impl, 42e9, 40, "GB", { overheadBytes: 0, fragmentationFraction: 0 }, "fitsOnGpu of the job on the GB card");
      }),
      gradedTest("exactly the available bytes after the overhead, in GiB", 1, "required <= available fits.", (impl) =>
        checkFitsOnGpuCase(impl, 15 * GiB, 16, "GiB", { overheadBytes: GiB, fragmentationFraction: 0 }, "fitsOnGpu of the exact fit"),
      ),
      gradedTest("a large fragmentation fraction with an overhead", 1, "Apply the fraction to the capacity, then subtract the overhead.", (impl) =>
        checkFitsOnGpuCase(impl, 60e9, 80, "GiB", { overheadBytes: 4 * GiB, fragmentationFraction: 0.2 }, "fitsOnGpu with large fragmentation"),
      ),
    ],
  },
];
