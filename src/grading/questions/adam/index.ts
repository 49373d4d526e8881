/** Lab 2 (notebooks/02-adam.ipynb): its questions, in notebook order. */
import type { Question } from "../../question";
import { adamBiasCorrectionQuestion } from "./bias-correction";
import { adamMomentsQuestion } from "./moments";
import { adamStepQuestion } from "./step";

export const adamQuestions: readonly Question[] = [adamMomentsQuestion, adamBiasCorrectionQuestion, adamStepQuestion];
