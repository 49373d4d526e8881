/**
 * Turning `argv` into typed flag values for a `CommandSpec`.
 *
 * Rules (DESIGN.md, "The efflab command"):
 *   --name value | --name=value, booleans as bare `--name`;
 *   sizes accept units (1GB = 1e9 bytes, 1GiB = 2^30 bytes), counts accept K/M/B/T;
 *   a numeric flag outside its [min, max] is an error naming the flag ("--dp must be an integer >= 1, got 0");
 *   a number and its unit in two words (`--bytes 1 GB`) is answered with the one-word spelling;
 *   an unknown flag is an error naming the nearest valid flag.
 */
import type { CommandSpec, FlagSpec, ParsedArgs } from "./command";
import { formatBytes, parseCount, parseSize, sizeSuggestion } from "../foundation/units";

/** A mistake on the command line: `main` prints it after the command's name with a pointer to its --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** "micro-batch" -> "microBatch" */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The candidate closest to `word`, if it is close enough to be a plausible typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** What a numeric flag's range allows, in words: ">= 1", "from 0 to 3", "> 0 and <= 1". */
export function rangeText(flag: FlagSpec): string | undefined {
  const show = (x: number): string => (flag.type === "size" ? formatBytes(x, { unit: "iec" }) : String(x));
  if (flag.type === "integer" && flag.min !== undefined && flag.max !== undefined && flag.minExclusive !== true) {
    return `from ${flag.min} to ${flag.max}`;
  }
  const lower = flag.min === undefined ? undefined : `${flag.minExclusive === true ? ">" : ">="} ${show(flag.min)}`;
  const upper = flag.max === undefined ? undefined : `<= ${show(flag.max)}`;
  const both = [lower, upper].filter((part) => part !== undefined).join(" and ");
  return both === "" ? undefined : both;
}

const KIND_OF_VALUE: Readonly<Record<FlagSpec["type"], string>> = {
  string: "a word",
  integer: "an integer",
  number: "a number",
  size: "a size",
  count: "a count",
  boolean: "a switch",
};

/** Reject a value outside the flag's [min, max], naming the flag as the user typed it. */
function checkRange(flag: FlagSpec, value: number, text: string): number {
  const below = flag.min !== undefined && (flag.minExclusive === true ? value <= flag.min : value < flag.min);
  const above = flag.max !== undefined && value > flag.max;
  if (below || above) throw new UsageError(`--${flag.name} must be ${KIND_OF_VALUE[flag.type]} ${rangeText(flag)}, got ${text}.`);
  return value;
}

/** A unit written as a separate word after a number: `--bytes 1 GB`, `--params 175 B`. */
function splitUnitSuggestion(flag: FlagSpec, text: string, next: string | undefined): string | undefined {
  if (next === undefined || !/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return undefined;
  if (flag.type === "size") return sizeSuggestion(text + next);
  if (flag.type === "count" && /^[kKmMbBtT]$/.test(next)) return `${text}${next.toUpperCase()}`;
  return undefined;
}

function convert(flag: FlagSpec, text: string): string | number | boolean {
  const value = convertType(flag, text);
  return typeof value === "number" ? checkRange(flag, value, text) : value;
}

function convertType(flag: FlagSpec, text: string): string | number | boolean {
  const where = `--${flag.name}`;
  switch (flag.type) {
    case "string":
      if (flag.choices && !flag.choices.includes(text)) {
        // "GPipe", "1F1B", "ZB-H1": the choice as printed in papers means the same one
        const sameButCase = flag.choices.find((choice) => choice.toLowerCase() === text.toLowerCase());
        if (sameButCase !== undefined) return sameButCase;
        const guess = nearest(text, flag.choices);
        throw new UsageError(
          `${where} must be one of ${flag.choices.join(", ")}; got "${text}".` + (guess ? ` Did you mean "${guess}"?` : ""),
        );
      }
      return text;
    case "integer": {
      const value = Number(text);
      if (!Number.isInteger(value)) throw new UsageError(`${where} expects an integer, got "${text}".`);
      return value;
    }
    case "number": {
      const value = Number(text);
      if (text.trim() === "" || !Number.isFinite(value)) throw new UsageError(`${where} expects a number, got "${text}".`);
      return value;
    }
    case "size":
    case "count":
      try {
        return flag.type === "size" ? parseSize(text) : parseCount(text);
      } catch (error) {
        throw new UsageError(`${where}: ${(error as Error).message}`);
      }
    case "boolean":
      if (text === "true") return true;
      if (text === "false") return false;
      throw new UsageError(`${where} is a switch: write ${where} (or ${where}=false), got "${text}".`);
    default:
      return assertNever(flag.type);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unexpected flag type ${String(value)}`);
}

/** Parse `argv` (the words after the subcommand) against `spec`. */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const byName = new Map(spec.flags.map((f) => [f.name, f]));
  const flags: Record<string, string | number | boolean | undefined> = {};
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
    if (!flag) {
      const names = [...byName.keys(), ...(spec.supportsJson !== false ? ["json"] : []), "help"];
      const guess = nearest(name, names);
      throw new UsageError(
        `Unknown flag ${word.split("=")[0]} for \`efflab ${spec.name}\`.` +
          (guess ? ` Did you mean --${guess}?` : ""),
      );
    }
    if (flag.type === "boolean") {
      flags[camelCase(flag.name)] = inline === undefined ? true : convert(flag, inline);
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
    flags[camelCase(flag.name)] = convert(flag, text);
  }
  for (const flag of spec.flags) {
    const key = camelCase(flag.name);
    if (flags[key] === undefined && flag.default !== undefined) flags[key] = flag.default;
    if (flags[key] === undefined && flag.required) {
      throw new UsageError(`\`efflab ${spec.name}\` needs --${flag.name} ${flag.placeholder ?? ""}`.trimEnd() + ".");
    }
  }
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
  return { flags, positionals, json };
}
