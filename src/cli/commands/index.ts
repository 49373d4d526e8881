/** Every `efflab` subcommand, in the order `efflab --help` lists them. */
import type { CommandSpec } from "../command";
import { activationsCommand } from "./activations";
import { allreduceCommand } from "./allreduce";
import { checkCommand } from "./check";
import { exportCommand } from "./export";
import { flopsCommand } from "./flops";
import { gradeCommand } from "./grade";
import { kernelCommand } from "./kernel";
import { memoryCommand } from "./memory";
import { paramsCommand } from "./params";
import { pipelineCommand } from "./pipeline";
import { precisionCommand } from "./precision";
import { planCommand } from "./plan";
import { releaseCommand } from "./release";
import { runCommand } from "./run";
import { startCommand } from "./start";

export const commands: readonly CommandSpec[] = [
  paramsCommand,
  memoryCommand,
  activationsCommand,
  planCommand,
  allreduceCommand,
  pipelineCommand,
  flopsCommand,
  precisionCommand,
  runCommand,
  checkCommand,
  gradeCommand,
  releaseCommand,
  exportCommand,
  kernelCommand,
  startCommand,
];
