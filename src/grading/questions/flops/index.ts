/** Lab 6 (notebooks/06-profiling-precision.ipynb): the FLOPs questions, in notebook order. */
import type { Question } from "../../question";
import { flopsMfuQuestion } from "./mfu";
import { flopsTrainingQuestion } from "./training";

export const flopsQuestions: readonly Question[] = [flopsTrainingQuestion, flopsMfuQuestion];
