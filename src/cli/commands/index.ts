/** Every `efflab` subcommand, in the order `efflab --help` lists them. */
import type { CommandSpec } from "../command";
import { kernelCommand } from "./kernel";
import { runCommand } from "./run";
import { startCommand } from "./start";

export const commands: readonly CommandSpec[] = [runCommand, kernelCommand, startCommand];
