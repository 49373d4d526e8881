/** Lab 4 (notebooks/04-memory.ipynb): its questions, in notebook order. */
import type { Question } from "../../question";
import { memoryActivationsPerLayerQuestion } from "./activations-per-layer";
import { memoryBytesPerParameterQuestion } from "./bytes-per-parameter";
import { memoryFitsOnGpuQuestion } from "./fits-on-gpu";
import { memoryZeroPerDeviceQuestion } from "./zero-per-device";

export const memoryQuestions: readonly Question[] = [memoryBytesPerParameterQuestion, memoryZeroPerDeviceQuestion, memoryActivationsPerLayerQuestion, memoryFitsOnGpuQuestion];
