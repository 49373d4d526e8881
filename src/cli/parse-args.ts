/**
 * Turning `argv` into typed flag values for a `CommandSpec`.
 *
 * Rules (DESIGN.md, "The efflab command"):
 *   --name value | --name=value, booleans as bare `--name`;
 *   sizes accept units (1GB = 1e9 bytes, 1GiB = 2^30 bytes), counts accept K/M/B/T;
 *   a numeric flag outside its [min, max] is an error naming the flag ("--dp must be an integer >= 1, got 0");
 *   a number and its unit in two words (`--bytes 1 GB`) is answered with the one-word spelling;
 *   an unknown flag is an error naming the nearest valid flag.
 * How one value is read and checked: flag-values.ts.
 */
import type { CommandSpec, FlagSpec, ParsedArgs } from "./command";
import { sizeSuggestion } from "../foundation/units";
import { camelCase, checkedFlags, valueFromText, type FlagValue } from "./flag-values";
import { nearest, UsageError } from "./usage-error";

export { camelCase, rangeText } from "./flag-values";
export { editDistance, nearest, UsageError } from "./usage-error";

/** A unit written as a separate word after a number: `--bytes 1 GB`, `--params 175 B`. */
function splitUnitSuggestion(flag: FlagSpec, text: string, next: string | undefined): string | undefined {
  if (next === undefined || !/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return undefined;
  if (flag.type === "size") return sizeSuggestion(text + next);
  if (flag.type === "count" && /^[kKmMbBtT]$/.test(next)) return `${text}${next.toUpperCase()}`;
  return undefined;
}

/** `--hiden` for `efflab demo`: the error, with the nearest valid flag. */
function unknownFlag(spec: CommandSpec, word: string, name: string): UsageError {
  const names = [...spec.flags.map((f) => f.name), ...(spec.supportsJson !== false ? ["json"] : []), "help"];
  const guess = nearest(name, names);
  return new UsageError(`Unknown flag ${word.split("=")[0]} for \`efflab ${spec.name}\`.` + (guess ? ` Did you mean --${guess}?` : ""));
}

/** Positional arguments against what the command takes: how many, and none when it takes none. */
function checkPositionals(spec: CommandSpec, positionals: readonly string[]): void {
  const min = spec.positionals?.min ?? 0;
  if (positionals.length < min) {
    const what = spec.positionals?.name ?? "argument";
    throw new UsageError(`\`efflab ${spec.name}\` needs ${min === 1 ? `a ${what}` : `at least ${min} ${what} arguments`}.`);
  }
  const max = spec.positionals?.max;
  if (max !== undefined && positionals.length > max) {
    // `efflab export lab 1.ipynb` is most likely one file name with a space in it.
    const looksLikeSplitFile = positionals.some((p) => /\.\w+$/.test(p));
    throw new UsageError(
      `\`efflab ${spec.name}\` takes ${max === 1 ? "one" : `at most ${max}`} ${spec.positionals!.name}, got ${positionals.length}: ` +
        `${positionals.map((p) => `"${p}"`).join(" ")}.${looksLikeSplitFile ? " (A file name with spaces needs quotes.)" : ""}`,
    );
  }
  if (!spec.positionals && positionals.length > 0) {
    throw new UsageError(`\`efflab ${spec.name}\` takes no arguments besides flags; got "${positionals[0]}".`);
  }
}

/**
 * Parse `argv` (the words after the subcommand) against `spec`: every flag read as its
 * type and checked, defaults filled in. (A flag's `parse` runs when the command runs.)
 */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const byName = new Map(spec.flags.map((f) => [f.name, f]));
  const flags: Record<string, FlagValue> = {};
  const positionals: string[] = [];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith("-") || word === "-") {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf("=");
    const name = word.replace(/^--?/, "").slice(0, eq === -1 ? undefined : eq - (word.startsWith("--") ? 2 : 1));
    const inline = eq === -1 ? undefined : word.slice(eq + 1);
    if (name === "json" && spec.supportsJson !== false) {
      json = true;
      continue;
    }
    const flag = byName.get(name);
    if (!flag) throw unknownFlag(spec, word, name);
    if (flag.type === "boolean") {
      flags[camelCase(flag.name)] = inline === undefined ? true : valueFromText(flag, inline);
      continue;
    }
    const text = inline ?? argv[++i];
    if (text === undefined || (inline === undefined && text.startsWith("--"))) {
      throw new UsageError(`--${flag.name} needs a value, e.g. --${flag.name} ${flag.placeholder ?? "VALUE"}.`);
    }
    const joined = inline === undefined ? splitUnitSuggestion(flag, text, argv[i + 1]) : undefined;
    if (joined !== undefined) {
      throw new UsageError(`--${flag.name} ${text} ${argv[i + 1]!}: write the number and its unit as one word. Did you mean --${flag.name} ${joined}?`);
    }
    flags[camelCase(flag.name)] = valueFromText(flag, text);
  }
  const checked = checkedFlags(spec, flags);
  checkPositionals(spec, positionals);
  return { flags: checked, positionals, json };
}
