/**
 * The shape of an `efflab` subcommand.
 *
 * Each subcommand is one file in `src/cli/commands/`, made by `defineCommand`: its
 * flags as data (so `--help`, validation and "did you mean" come for free) and a
 * `run` that receives the values those flags declare, typed. From
 *
 *   flags: [
 *     { name: "gpus", type: "integer", required: true, min: 1, ... },
 *     { name: "recompute", type: "string", choices: RECOMPUTE_MODES, default: "none", ... },
 *     { name: "shard", type: "string", parse: parseShard, ... },
 *     { name: "micro-batch", type: "integer", min: 1, ... },
 *   ]
 *
 * TypeScript infers `run`'s `args.flags` as
 * `{ gpus: number; recompute: RecomputeMode; shard?: GradeShard; microBatch?: number }`:
 * camelCase keys, one of the choices, `parse`'s result, and optional unless the flag
 * is required or has a default. The values are checked before `run` sees them, so a
 * command neither converts nor re-checks them. `run` returns the exit code; it
 * writes through `io`, never `console`, so tests can capture the output.
 */
import { typedFlags } from "./flag-values";

/** How a flag's text is turned into a value. */
export type FlagType =
  | "string"
  | "integer" // "64"                -> 64
  | "number" // "1.5e9"              -> 1.5e9
  | "size" //   "1GB", "512MiB", "7.5e9" -> bytes (GB = 1e9, GiB = 2^30), by foundation/units.ts
  | "count" //  "175B", "1.5M", "7e9"  -> a plain count (K = 1e3, M = 1e6, B = 1e9, T = 1e12)
  | "boolean"; // present -> true

export interface FlagSpec {
  /** Long name without dashes, kebab-case: "micro-batch". Parsed values use camelCase keys: "microBatch". */
  readonly name: string;
  readonly type: FlagType;
  readonly description: string;
  /** Fails with a message naming the flag when absent. @default false */
  readonly required?: boolean;
  /** Value used when absent (shown in --help); a size or count may be written as text ("512MiB"). */
  readonly default?: string | number | boolean;
  /** Allowed values for string flags; anything else is an error that lists them. */
  readonly choices?: readonly string[];
  /** Placeholder in --help: `--layers L`. */
  readonly placeholder?: string;
  /**
   * Smallest allowed value of a numeric flag (integer, number, size, count); anything
   * smaller is a usage error that names the flag: "--dp must be an integer >= 1, got 0".
   */
  readonly min?: number;
  /** `min` itself is not allowed (a rate must be > 0). @default false */
  readonly minExclusive?: boolean;
  /** Largest allowed value of a numeric flag. */
  readonly max?: number;
  /**
   * Turns the checked value into what `run` works with (a recipe name into the recipe,
   * "2/4" into a shard). What it throws is a usage error, its message unchanged.
   */
  readonly parse?: (value: never) => unknown;
}

/** "micro-batch" -> "microBatch", as a type. */
export type CamelCase<Name extends string> = Name extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : Name;

/** The value one flag gives `run`: `parse`'s result, one of the choices, or its type's value. */
export type FlagValueOf<Flag extends FlagSpec> = Flag extends { readonly parse: (value: never) => infer Parsed }
  ? Parsed
  : Flag extends { readonly choices: readonly (infer Choice)[] }
    ? Choice
    : Flag["type"] extends "boolean"
      ? boolean
      : Flag["type"] extends "string"
        ? string
        : number;

/** Whether `run` always sees the flag: it is required or has a default. */
type AlwaysGiven<Flag extends FlagSpec> = Flag extends { readonly required: true } ? true : Flag extends { readonly default: string | number | boolean } ? true : false;

/** The typed values of a list of flags, as `run` receives them. */
export type FlagValuesOf<Flags extends readonly FlagSpec[]> = {
  readonly [Flag in Flags[number] as AlwaysGiven<Flag> extends true ? CamelCase<Flag["name"]> : never]: FlagValueOf<Flag>;
} & {
  readonly [Flag in Flags[number] as AlwaysGiven<Flag> extends true ? never : CamelCase<Flag["name"]>]?: FlagValueOf<Flag>;
};

/** Flag values as text or plain values, before checking: camelCase flag name -> value. */
export type FlagValues = Readonly<Record<string, string | number | boolean | undefined>>;

export interface ParsedArgs {
  readonly flags: FlagValues;
  readonly positionals: readonly string[];
  /** `--json` was given: print one JSON document and nothing else on stdout. */
  readonly json: boolean;
}

/** What a command's `run` receives: its flags typed as declared. */
export interface TypedArgs<Flags extends readonly FlagSpec[]> {
  readonly flags: FlagValuesOf<Flags>;
  readonly positionals: readonly string[];
  /** `--json` was given: print one JSON document and nothing else on stdout. */
  readonly json: boolean;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** A command as `main`, `--help` and the parser see it. */
export interface CommandSpec {
  readonly name: string;
  /** One line for `efflab --help`. */
  readonly summary: string;
  /** Extra help text (a paragraph; formulas and sources). */
  readonly description?: string;
  readonly flags: readonly FlagSpec[];
  /** Positional arguments, e.g. notebooks: shown in usage. */
  readonly positionals?: { readonly name: string; readonly description: string; readonly min?: number; readonly max?: number };
  /** Whether `--json` is supported. @default true */
  readonly supportsJson?: boolean;
  readonly examples: readonly string[];
  /** Checks `args.flags` against `flags` (defaults, types, ranges, choices, `parse`), then runs. */
  run(args: ParsedArgs, io: Io): Promise<number> | number;
}

/** A command as its file declares it: `run` sees its flags typed. */
export interface TypedCommandSpec<Flags extends readonly FlagSpec[]> extends Omit<CommandSpec, "flags" | "run"> {
  readonly flags: Flags;
  run(args: TypedArgs<Flags>, io: Io): Promise<number> | number;
}

/**
 * A command whose `run` receives the typed values its `flags` declare. Values from
 * the parser and values built by hand (tests, scripts) pass the same checks first.
 */
export function defineCommand<const Flags extends readonly FlagSpec[]>(command: TypedCommandSpec<Flags>): CommandSpec {
  return {
    ...command,
    run: (args, io) =>
      command.run({ flags: typedFlags(command, args.flags) as FlagValuesOf<Flags>, positionals: args.positionals, json: args.json }, io),
  };
}
