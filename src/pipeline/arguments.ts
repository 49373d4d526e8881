/** Argument checks shared by the schedule generators (internal: not re-exported from the unit's index). */
import { expectInteger } from "../foundation/validate";

/** Validate p, m, v at a public boundary; messages name the value and the fix. */
export function expectPipelineSize(stages: number, microbatches: number, chunks = 1): void {
  expectInteger("stages", stages, 1);
  expectInteger("microbatches", microbatches, 1);
  expectInteger("chunks", chunks, 1);
}
