/**
 * Picking a schedule by name (the way Megatron-LM's `get_forward_backward_func`
 * dispatches), for the CLI and the notebooks' comparisons.
 */
import { gpipeSchedule } from "./gpipe";
import { interleavedSchedule } from "./interleaved";
import { naiveSchedule } from "./naive";
import { oneFOneBSchedule } from "./one-f-one-b";
import type { PipelineSchedule } from "./op";
import { zbH1Schedule } from "./zero-bubble";

/** The schedules this unit generates. */
export const PIPELINE_SCHEDULE_NAMES = ["naive", "gpipe", "1f1b", "interleaved", "zb-h1"] as const;
export type PipelineScheduleName = (typeof PIPELINE_SCHEDULE_NAMES)[number];

export interface PipelineScheduleRequest {
  readonly schedule: PipelineScheduleName;
  /** p */
  readonly stages: number;
  /** m */
  readonly microbatches: number;
  /** v, model chunks per device; used by "interleaved" only. @default 2 */
  readonly chunks?: number;
}

/**
 * Generate the named schedule.
 * @example
 *   buildPipelineSchedule({ schedule: "1f1b", stages: 4, microbatches: 8 });
 */
export function buildPipelineSchedule(request: PipelineScheduleRequest): PipelineSchedule {
  // BEGIN SOLUTION pipeline.gpipe
  const { schedule, stages, microbatches } = request;
  switch (schedule) {
    case "naive":
      return naiveSchedule(stages, microbatches);
    case "gpipe":
      return gpipeSchedule(stages, microbatches);
    case "1f1b":
      return oneFOneBSchedule(stages, microbatches);
    case "interleaved":
      return interleavedSchedule(stages, microbatches, request.chunks ?? 2);
    case "zb-h1":
      return zbH1Schedule(stages, microbatches);
    default: {
      const never: never = schedule;
      throw new RangeError(
        `Expected schedule to be one of ${PIPELINE_SCHEDULE_NAMES.join(", ")}, got ${JSON.stringify(never)}.`,
      );
    }
  }
  // STUDENT EDITION KEEPS THIS BODY
  // END SOLUTION
}
