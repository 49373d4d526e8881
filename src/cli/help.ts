/** `--help` text, generated from the command specs so it never drifts from the parser. */
import type { CommandSpec, FlagSpec } from "./command";
import { rangeText } from "./flag-values";

function flagUsage(flag: FlagSpec): string {
  const value = flag.type === "boolean" ? "" : ` ${flag.placeholder ?? flag.type.toUpperCase()}`;
  return `--${flag.name}${value}`;
}

/** Help for one command: usage line, description, flags with defaults, examples. */
export function commandHelp(spec: CommandSpec): string {
  const required = spec.flags.filter((f) => f.required).map(flagUsage);
  const optional = spec.flags.filter((f) => !f.required).map((f) => `[${flagUsage(f)}]`);
  const positional = spec.positionals ? [`${spec.positionals.name}${spec.positionals.max === 1 ? "" : "..."}`] : [];
  const json = spec.supportsJson !== false ? ["[--json]"] : [];
  const lines = [
    `Usage: efflab ${spec.name} ${[...positional, ...required, ...optional, ...json].join(" ")}`,
    "",
    spec.summary,
  ];
  if (spec.description) lines.push("", spec.description);
  if (spec.positionals) lines.push("", `  ${spec.positionals.name}  ${spec.positionals.description}`);
  if (spec.flags.length > 0) {
    lines.push("", "Flags:");
    const width = Math.max(...spec.flags.map((f) => flagUsage(f).length), 6);
    for (const flag of spec.flags) {
      const extras = [
        flag.choices ? `one of: ${flag.choices.join(", ")}` : "",
        flag.default !== undefined ? `default: ${String(flag.default)}` : "",
        rangeText(flag) ?? "",
        flag.required ? "required" : "",
      ].filter(Boolean);
      lines.push(`  ${flagUsage(flag).padEnd(width)}  ${flag.description}${extras.length ? ` (${extras.join("; ")})` : ""}`);
    }
    if (spec.supportsJson !== false) lines.push(`  ${"--json".padEnd(width)}  print one JSON document (exact numbers) instead of a table`);
  }
  if (spec.examples.length > 0) lines.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

/** `efflab --help`: every command with its summary. */
export function programHelp(commands: readonly CommandSpec[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `efflab ${version} — the AI Efficiency Labs command line`,
    "",
    "Usage: efflab <command> [flags]      efflab <command> --help for a command's flags",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Sizes accept units: 1GB = 10^9 bytes, 1GiB = 2^30 bytes; counts accept K, M, B, T (175B).",
  ].join("\n");
}
