/**
 * Model, GPU and node names as people type them. The catalogs have one key each
 * ("gpt3-175b", "a100-80gb"); on the command line "gpt3", "GPT-3", "gpt-3" and
 * "GPT3 175B" all mean GPT-3. A name is compared without case, spaces, dashes or
 * dots, against each entry's key, its published name, and its key without the
 * trailing size ("gpt3-175b" -> "gpt3"). A name that matches nothing gets the
 * nearest entry as a suggestion; one that matches several lists them.
 */
import { GPU_CATALOG, MODEL_CATALOG, NODE_CATALOG, findGpu, findModel, findNode, type GpuSpec, type ModelSpec, type NodeSpec } from "../memory";
import { editDistance, UsageError } from "./usage-error";

/** "GPT-3 175B" -> "gpt3175b" */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

interface Named {
  readonly key: string;
  readonly spellings: readonly string[];
}

/** The spellings that name one catalog entry: key, published name, key without its size suffix. */
function spellingsOf(key: string, displayName: string): Named {
  const family = key.replace(/-(\d+(\.\d+)?[bmt]|\d+gb)$/, "");
  const withoutGb = nameKey(key).replace(/gb$/, ""); // "a100-80" for "a100-80gb"
  return { key, spellings: [...new Set([...[key, displayName, family].map(nameKey), withoutGb])] };
}

/**
 * The catalog key `typed` means, or a usage error naming `flag` with the nearest key
 * ("did you mean") or the keys it could mean.
 */
export function resolveName(typed: string, entries: readonly Named[], flag: string, what: string): string {
  const wanted = nameKey(typed);
  const matches = entries.filter((e) => e.spellings.includes(wanted)).map((e) => e.key);
  if (matches.length === 1) return matches[0]!;
  const known = entries.map((e) => e.key);
  if (matches.length > 1) {
    throw new UsageError(`--${flag} "${typed}" could be ${matches.join(" or ")}: give one of them.`);
  }
  // nearest over every spelling, reported as the catalog keys they belong to ("gpt4": gpt2 and gpt3 tie)
  const distance = (e: Named) => Math.min(...e.spellings.map((s) => editDistance(wanted, s)));
  const best = Math.min(...entries.map(distance));
  const guesses = best <= Math.max(2, Math.floor(wanted.length / 3)) ? entries.filter((e) => distance(e) === best).map((e) => e.key) : [];
  const suggestion = guesses.length === 0 ? "" : ` Did you mean ${guesses.join(" or ")}?`;
  throw new UsageError(`unknown ${what} "${typed}" for --${flag}.${suggestion} Known: ${known.join(", ")}.`);
}

/** `--model` on the command line: "gpt3", "GPT-3", "gpt-3", "gpt3-175b" are all GPT-3. */
export function modelFromFlag(typed: string, flag = "model"): ModelSpec {
  return findModel(resolveName(typed, MODEL_CATALOG.map((m) => spellingsOf(m.name, m.displayName)), flag, "model"));
}

/** `--gpu` naming one GPU: "a100-80gb", "A100 80GB", "a100_80gb", "h100". */
export function gpuFromFlag(typed: string, flag = "gpu"): GpuSpec {
  return findGpu(resolveName(typed, GPU_CATALOG.map((g) => spellingsOf(g.name, g.displayName)), flag, "GPU"));
}

/** `--gpu` naming a node type ("delta-a100x4") or a GPU (a generic 8-GPU node of it). */
export function nodeFromFlag(typed: string, flag = "gpu"): NodeSpec {
  const entries = [...NODE_CATALOG.map((n) => spellingsOf(n.name, n.displayName)), ...GPU_CATALOG.map((g) => spellingsOf(g.name, g.displayName))];
  return findNode(resolveName(typed, entries, flag, "GPU or node"));
}
