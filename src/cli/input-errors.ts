/**
 * A bad value the flag checks let through (a combination, such as 96 heads over
 * `--tp 5`) is caught by the library, whose messages name its own fields:
 * "Expected tensorParallel to be ...". The command line speaks in flags, so such a
 * message is rewritten with the flags the user typed ("Expected --tp to be ...")
 * and reported as a usage error, exit code 2.
 */
import type { CommandSpec } from "./command";
import { camelCase } from "./flag-values";

/** Library field names that differ from the flag that sets them. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  dataParallel: "dp",
  tensorParallel: "tp",
  pipelineParallel: "pp",
  zeroStage: "zero",
  parameters: "params",
  interleavedChunks: "chunks",
  microBatch: "micro-batch",
};

/**
 * The library's input error `message` in the words of `spec`'s flags, or undefined
 * when it does not name any of them (then it is not the user's input: a real failure).
 */
export function inputErrorInFlags(spec: CommandSpec, message: string): string | undefined {
  if (!message.startsWith("Expected ")) return undefined;
  const flagNames = new Set(spec.flags.map((f) => f.name));
  let named = false;
  // The subject ("Expected layers to be ...") and identifiers (camelCase: dataParallel) are fields;
  // other plain words are English ("the interleaved schedule") and stay as they are.
  const rewritten = message.replace(/\b[a-z][A-Za-z]*\b/g, (word, offset: number) => {
    const isField = offset === "Expected ".length || /[A-Z]/.test(word) || word in FLAG_OF_FIELD;
    if (!isField) return word;
    const flag = FLAG_OF_FIELD[word] ?? spec.flags.find((f) => camelCase(f.name) === word)?.name;
    if (flag === undefined || !flagNames.has(flag)) return word;
    named = true;
    return `--${flag}`;
  });
  return named ? rewritten : undefined;
}
