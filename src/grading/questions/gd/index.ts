/** Lab 1 (notebooks/01-gradient-descent.ipynb): its questions, in notebook order. */
import type { Question } from "../../question";
import { gdMseGradientQuestion } from "./mse-gradient";
import { gdSgdEpochQuestion } from "./sgd-epoch";
import { gdStepQuestion } from "./step";

export const gdQuestions: readonly Question[] = [gdMseGradientQuestion, gdStepQuestion, gdSgdEpochQuestion];
