/**
 * The course's question registry: every lab's questions, in teaching order.
 *
 * A lab adds its questions by writing `src/grading/questions/<lab>.ts` (exporting
 * `Question` values or arrays) and importing it here. Hidden tests are not
 * imported anywhere in `src/`: they live in `test/graded/hidden/<lab>.hidden.ts`
 * and are loaded by the grader at grade time, so the student edition never
 * contains them.
 */
import type { Question } from "../question";
import { questionsInModule } from "../question-registry";
import * as adam from "./adam";
import * as dp from "./dp";
import * as flops from "./flops";
import * as gd from "./gd";
import * as memory from "./memory";
import * as pipeline from "./pipeline";
import * as precision from "./precision";

/** Modules holding the labs' questions, in teaching order (add a lab's module here). */
const labModules: readonly unknown[] = [gd, adam, dp, memory, pipeline, flops, precision];

/** Every registered question of the course. */
export const courseQuestions: readonly Question[] = labModules.flatMap((m) => questionsInModule(m));
