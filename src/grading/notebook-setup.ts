/**
 * The first code cell of every lab notebook, and the grader's view of it.
 *
 * Each lab starts with the same setup cell: the library, the names answer cells may
 * use (`lab`, `tf`, `check`, `checkAll`) and the tensor backend. Its last line is a
 * declaration, not an expression, so the kernel prints nothing: the backend's
 * report (which names the optional backends that were skipped, e.g. tfjs-node
 * without its native library) is kept in `tensorBackend` for whoever wants it.
 *
 * The grader compiles each answer cell on its own after `ANSWER_PRELUDE`, the same
 * cell without the top-level `await` (it starts the backend itself), so an answer
 * sees the same names in the notebook and in the grader.
 */

/** The setup cell of labs 1 and later, line for line. */
export const NOTEBOOK_SETUP_CELL = [
  'import * as lab from "ai-efficiency-labs";',
  "const { tf, check, checkAll } = lab;",
  "const tensorBackend = await lab.initTensors();   // TensorFlow.js on the fastest backend here (tensorBackend.name)",
].join("\n");

/** The setup cell as the grader prepends it to an answer cell: its declarations of library names. */
export const ANSWER_PRELUDE = `${NOTEBOOK_SETUP_CELL.split("\n")
  .filter((line) => !line.includes("await "))
  .join("\n")}\n`;
