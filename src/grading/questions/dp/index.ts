/** Lab 3 (notebooks/03-data-parallel.ipynb): its questions, in notebook order. */
import type { Question } from "../../question";
import { dpRingAllReduceQuestion } from "./ring-all-reduce";
import { dpStepQuestion } from "./step";
import { dpZeroStage1Question } from "./zero-stage1";

export const dpQuestions: readonly Question[] = [dpRingAllReduceQuestion, dpStepQuestion, dpZeroStage1Question];
