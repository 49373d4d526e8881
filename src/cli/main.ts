/**
 * `efflab`: everything a notebook does that a script, a TA or CI also needs.
 * Thin by design: each command parses flags and calls the library.
 */
import type { CommandSpec, Io } from "./command";
import { commands } from "./commands";
import { commandHelp, programHelp } from "./help";
import { inputErrorInFlags } from "./input-errors";
import { parseArgs } from "./parse-args";
import { nearest, UsageError } from "./usage-error";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../../package.json") as { version: string };

const consoleIo: Io = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : text + "\n"),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : text + "\n"),
};

/** Run `efflab` with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(programHelp(commands, version));
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.out(version);
    return 0;
  }
  const spec: CommandSpec | undefined = commands.find((c) => c.name === name);
  if (!spec) {
    const guess = nearest(name, commands.map((c) => c.name));
    return usageFailure(io, undefined, `unknown command "${name}".${guess ? ` Did you mean \`efflab ${guess}\`?` : ""}`);
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(commandHelp(spec));
    return 0;
  }
  try {
    return await spec.run(parseArgs(spec, rest), io);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(io, spec.name, error.message);
    const message = error instanceof Error ? error.message : String(error);
    const inFlags = inputErrorInFlags(spec, message);
    if (inFlags !== undefined) return usageFailure(io, spec.name, inFlags);
    io.err(`efflab ${spec.name}: ${message}`);
    return 1;
  }
}

/**
 * A mistake on the command line: one line that says what was wrong and ends by
 * pointing to the help, "efflab memory: --dp must be ... (see efflab memory --help)";
 * exit code 2, as Python's argparse and the shell's builtins answer a usage error.
 */
function usageFailure(io: Io, command: string | undefined, message: string): number {
  const prefix = command === undefined ? "efflab" : `efflab ${command}`;
  io.err(`${prefix}: ${message} (see ${prefix} --help)`);
  return 2;
}
