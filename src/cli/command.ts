/**
 * The shape of an `efflab` subcommand.
 *
 * Each subcommand is one file in `src/cli/commands/`, exporting a `CommandSpec`:
 * its flags as data (so `--help`, validation and "did you mean" come for free) and
 * a `run` that receives parsed, typed values. `run` returns the exit code; it
 * writes through `io`, never `console`, so tests can capture the output.
 */

/** How a flag's text is turned into a value. */
export type FlagType =
  | "string"
  | "integer" // "64"                -> 64
  | "number" // "1.5e9"              -> 1.5e9
  | "size" //   "1GB", "512MiB", "7.5e9" -> bytes (GB = 1e9, GiB = 2^30), by memory/units.ts
  | "count" //  "175B", "1.5M", "7e9"  -> a plain count (K = 1e3, M = 1e6, B = 1e9, T = 1e12)
  | "boolean"; // present -> true

export interface FlagSpec {
  /** Long name without dashes, kebab-case: "micro-batch". Parsed values use camelCase keys: "microBatch". */
  readonly name: string;
  readonly type: FlagType;
  readonly description: string;
  /** Fails with a message naming the flag when absent. @default false */
  readonly required?: boolean;
  /** Value used when absent (shown in --help). */
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
}

/** Values after parsing: camelCase flag name -> value. */
export type FlagValues = Readonly<Record<string, string | number | boolean | undefined>>;

export interface ParsedArgs {
  readonly flags: FlagValues;
  readonly positionals: readonly string[];
  /** `--json` was given: print one JSON document and nothing else on stdout. */
  readonly json: boolean;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

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
  run(args: ParsedArgs, io: Io): Promise<number> | number;
}
