/**
 * From a flag's text to the value its command declared, checked.
 *
 * One set of rules for every value, whether it comes from `argv` (parse-args.ts) or
 * from code that calls a command directly (defineCommand in command.ts):
 *   text -> value by the flag's type (sizes accept units by foundation/units.ts, counts K/M/B/T);
 *   a choice must be one of the flag's choices (any case: "GPipe" is gpipe);
 *   a number must lie in the flag's [min, max] ("--dp must be an integer >= 1, got 0");
 *   an absent flag takes its default, or is an error when required;
 *   last, a flag's `parse` turns the checked value into what the command works with.
 */
import type { CommandSpec, FlagSpec } from "./command";
import { assertNever } from "../foundation/assert-never";
import { formatBytes, parseCount, parseSize } from "../foundation/units";
import { nearest, UsageError } from "./usage-error";

/** A value before `parse`: what the flag's type reads from text. */
export type FlagValue = string | number | boolean;

/** "micro-batch" -> "microBatch" */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
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

/** The value `text` stands for as `flag`'s type, in the flag's choices and range. */
export function valueFromText(flag: FlagSpec, text: string): FlagValue {
  const value = typeFromText(flag, text);
  return typeof value === "number" ? checkRange(flag, value, text) : value;
}

function typeFromText(flag: FlagSpec, text: string): FlagValue {
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

/**
 * A value given as text (as typed, or a default such as "512MiB") is read like argv;
 * one given as a value must already have the flag's type, and is held to its range.
 */
function checkedValue(flag: FlagSpec, value: unknown): FlagValue {
  if (typeof value === "string") return valueFromText(flag, value);
  const numeric = flag.type !== "string" && flag.type !== "boolean";
  const fits =
    flag.type === "boolean"
      ? typeof value === "boolean"
      : numeric && typeof value === "number" && (flag.type === "integer" ? Number.isInteger(value) : !Number.isNaN(value));
  if (!fits) throw new UsageError(`--${flag.name} expects ${KIND_OF_VALUE[flag.type]}, got ${JSON.stringify(value) ?? String(value)}.`);
  return typeof value === "number" ? checkRange(flag, value, String(value)) : (value as boolean);
}

/**
 * Every declared flag of `spec`, checked, with defaults filled in: camelCase key -> value.
 * Fails on a missing required flag, naming it; keys `spec` does not declare are dropped.
 */
export function checkedFlags(spec: Pick<CommandSpec, "name" | "flags">, given: Readonly<Record<string, unknown>>): Record<string, FlagValue> {
  const values: Record<string, FlagValue> = {};
  for (const flag of spec.flags) {
    const key = camelCase(flag.name);
    const value = given[key] ?? flag.default;
    if (value !== undefined) values[key] = checkedValue(flag, value);
    else if (flag.required) throw new UsageError(`\`efflab ${spec.name}\` needs --${flag.name} ${flag.placeholder ?? ""}`.trimEnd() + ".");
  }
  return values;
}

/**
 * The values a command's `run` receives: `checkedFlags`, then each flag's `parse`, in the
 * order the flags are declared (a recipe name to the recipe, "2/4" to a shard). A failing
 * `parse` is a usage error with its message.
 */
export function typedFlags(spec: Pick<CommandSpec, "name" | "flags">, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const values: Record<string, unknown> = checkedFlags(spec, given);
  for (const flag of spec.flags) {
    const key = camelCase(flag.name);
    if (flag.parse === undefined || values[key] === undefined) continue;
    try {
      values[key] = (flag.parse as (value: FlagValue) => unknown)(values[key] as FlagValue);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  return values;
}
