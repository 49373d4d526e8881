/** Lab 6 (notebooks/06-profiling-precision.ipynb): the precision questions, in notebook order. */
import type { Question } from "../../question";
import { precisionLossScalerQuestion } from "./loss-scaler";
import { precisionToFp16Question } from "./to-fp16";

export const precisionQuestions: readonly Question[] = [precisionToFp16Question, precisionLossScalerQuestion];
