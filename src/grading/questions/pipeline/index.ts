/** Lab 5 (notebooks/05-pipeline.ipynb): its questions, in notebook order. */
import type { Question } from "../../question";
import { pipelineBubbleFractionQuestion } from "./bubble-fraction";
import { pipelineColumnRowSplitQuestion } from "./column-row-split";
import { pipelineGpipeQuestion } from "./gpipe";
import { pipelineOneFOneBQuestion } from "./one-f-one-b";

export const pipelineQuestions: readonly Question[] = [pipelineGpipeQuestion, pipelineOneFOneBQuestion, pipelineBubbleFractionQuestion, pipelineColumnRowSplitQuestion];
