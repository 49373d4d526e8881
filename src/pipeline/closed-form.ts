/**
 * The textbook bubble of each schedule with uniform costs and no communication
 * time, for comparison with the simulator (plots draw both).
 *
 *   naive        p − 1                      (one device busy at a time)
 *   GPipe, 1F1B  (p − 1)/m                  (Narayanan et al. 2021, §2.2.1)
 *   interleaved  (p − 1)/(v·m)              (Narayanan et al. 2021, §2.2.2)
 *   ZB-H1        (p − 1)/(3m) when T_F = T_B = T_W   (Qi et al. 2024, §2.1: bubble
 *                (p − 1)(T_F + T_B − T_W) against the ideal m(T_F + T_B + T_W);
 *                the handcrafted schedules assume m >= p)
 * all as bubble over ideal, (makespan − ideal)/ideal.
 */
import type { PipelineScheduleName } from "./build-schedule";

/**
 * Closed-form bubble over ideal.
 * @param chunks v, for "interleaved". @default 2
 * @example
 *   closedFormBubbleOverIdeal("gpipe", 4, 8); // 3/8
 */
export function closedFormBubbleOverIdeal(schedule: PipelineScheduleName, stages: number, microbatches: number, chunks = 2): number {
  const p = stages;
  const m = microbatches;
  switch (schedule) {
    case "naive":
      return p - 1;
    case "gpipe":
    case "1f1b":
      return (p - 1) / m;
    case "interleaved":
      return (p - 1) / (chunks * m);
    case "zb-h1":
      return (p - 1) / (3 * m);
    default: {
      const never: never = schedule;
      throw new RangeError(`Unknown schedule ${JSON.stringify(never)}.`);
    }
  }
}
