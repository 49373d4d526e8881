/**
 * The course's question registry: every lab's questions, in teaching order.
 *
 * One question per file: `src/grading/questions/<lab>/<question>.ts` exports the
 * `Question`; `<lab>/index.ts` lists the lab's questions in notebook order; the helpers
 * every question uses to call an answer and name a mistake are in `expectations.ts`. A lab
 * is registered by importing its index here. Hidden tests are not imported anywhere in
 * `src/`: they live in `test/graded/hidden/<lab>.hidden.ts` and are loaded by the grader
 * at grade time, so the student edition never contains them.
 *
 * The labs are imported as `./<lab>/index` (not `./<lab>`) so that a `dist/` built before
 * the questions were split, still holding `questions/<lab>.js`, cannot shadow the folder.
 */
import type { Question } from "../question";
import { adamQuestions } from "./adam/index";
import { dpQuestions } from "./dp/index";
import { flopsQuestions } from "./flops/index";
import { gdQuestions } from "./gd/index";
import { memoryQuestions } from "./memory/index";
import { pipelineQuestions } from "./pipeline/index";
import { precisionQuestions } from "./precision/index";

/** Every registered question of the course, lab by lab in teaching order. */
export const courseQuestions: readonly Question[] = [...gdQuestions, ...adamQuestions, ...dpQuestions, ...memoryQuestions, ...pipelineQuestions, ...flopsQuestions, ...precisionQuestions];
