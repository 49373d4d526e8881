/**
 * Choose an all-reduce algorithm by name.
 *
 * All three give every worker the element-wise sum of the workers' buffers; they
 * differ in how many steps they take and how many bytes each worker sends
 * (cost-model.ts prices both).
 */
import { naiveAllReduce } from "./naive";
import { ringAllReduce } from "./ring";
import type { CollectiveResult } from "./trace";
import { treeAllReduce } from "./tree";
import { assertNever } from "../foundation/assert-never";

/** The all-reduce algorithms of this unit. */
export type AllReduceAlgorithm = "naive" | "tree" | "ring";

/** Every algorithm name, for menus and CLI choices. */
export const ALL_REDUCE_ALGORITHMS: readonly AllReduceAlgorithm[] = ["naive", "tree", "ring"];

/** Throws unless `name` is one of ALL_REDUCE_ALGORITHMS. */
export function parseAllReduceAlgorithm(name: string): AllReduceAlgorithm {
  const found = ALL_REDUCE_ALGORITHMS.find((a) => a === name);
  if (found === undefined) {
    throw new Error(`Expected algorithm to be one of ${ALL_REDUCE_ALGORITHMS.join(", ")}, got "${name}".`);
  }
  return found;
}

/**
 * All-reduce the workers' buffers with the chosen algorithm.
 * @example allReduce([new Float32Array([1, 2]), new Float32Array([3, 4])], "tree").outputs[1] // Float32Array [4, 6]
 */
export function allReduce(buffers: readonly Float32Array[], algorithm: AllReduceAlgorithm): CollectiveResult {
  switch (algorithm) {
    case "naive":
      return naiveAllReduce(buffers);
    case "tree":
      return treeAllReduce(buffers);
    case "ring":
      return ringAllReduce(buffers);
    default:
      return assertNever(algorithm);
  }
}
