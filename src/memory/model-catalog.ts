/**
 * A catalog of transformer models: the lecture's memory-wall table and a few
 * configurations from the Megatron papers, extendable with your own.
 *
 * The lecture's table (COURSE.md item 4):
 *
 *   | Model      | Parameters | Layers | Hidden | Relative compute | Memory footprint |
 *   | BERT-Large | 0.32B      | 24     | 1024   | 1×               | 5.12 GB          |
 *   | GPT-2      | 1.5B       | 48     | 1600   | 4.7×             | 24 GB            |
 *   | Turing-NLG | 17.2B      | 78     | 4256   | 54×              | 275 GB           |
 *   | GPT-3      | 175B       | 96     | 12288  | 547×             | 2800 GB          |
 *
 * "Relative compute" is the parameter count relative to BERT-Large (compute per token
 * is ~6P FLOPs, Kaplan et al. 2020 §2.1) and the footprint is 16 bytes per parameter
 * (mixed-precision Adam, ZeRO §3.1).
 */
import { transformerParameters } from "./parameter-count";
import { bytesPerParameter, type PrecisionRecipe, type RecipeName } from "./precision-recipe";

export interface ModelSpec {
  /** Catalog key, lower-case with dashes: "gpt3-175b". */
  readonly name: string;
  /** Name as published: "GPT-3". */
  readonly displayName: string;
  /** P: parameter count as published. */
  readonly parameters: number;
  /** l: transformer layers. */
  readonly layers: number;
  /** h: hidden size. */
  readonly hidden: number;
  /** a: attention heads. */
  readonly heads: number;
  /** V: vocabulary size. */
  readonly vocab: number;
  /** s: sequence length used in training. */
  readonly seq: number;
  /** Where the numbers come from. */
  readonly source: string;
}

/** The built-in models. */
export const MODEL_CATALOG: readonly ModelSpec[] = [
  {
    name: "bert-large",
    displayName: "BERT-Large",
    parameters: 0.32e9, // lecture table (Devlin et al. 2019 report 340M)
    layers: 24,
    hidden: 1024,
    heads: 16,
    vocab: 30522,
    seq: 512,
    source: "Devlin et al. 2019, §3 (L=24, H=1024, A=16); lecture table: 0.32B",
  },
  {
    name: "gpt2-1.5b",
    displayName: "GPT-2",
    parameters: 1.5e9,
    layers: 48,
    hidden: 1600,
    heads: 25,
    vocab: 50257,
    seq: 1024,
    source: "Radford et al. 2019, Table 2 (1542M, 48 layers, d_model 1600); lecture table: 1.5B",
  },
  {
    name: "turing-nlg-17b",
    displayName: "Turing-NLG",
    parameters: 17.2e9,
    layers: 78,
    hidden: 4256,
    heads: 28,
    vocab: 50257,
    seq: 1024,
    source: "Microsoft Turing-NLG blog (Feb 2020): 78 layers, hidden 4256, 28 heads; lecture table: 17.2B",
  },
  {
    name: "gpt3-175b",
    displayName: "GPT-3",
    parameters: 175e9,
    layers: 96,
    hidden: 12288,
    heads: 96,
    vocab: 51200, // Megatron pads GPT-2's 50257 tokens to 51200 (Narayanan et al. 2021, §5.1)
    seq: 2048,
    source: "Brown et al. 2020, Table 2.1 (n_layers 96, d_model 12288, n_heads 96, n_ctx 2048)",
  },
  {
    name: "llama2-7b",
    displayName: "Llama 2 7B",
    parameters: 6.74e9,
    layers: 32,
    hidden: 4096,
    heads: 32,
    vocab: 32000,
    seq: 4096,
    // Its SwiGLU MLP has 3·h·11008 = 8.06·h² weights per layer against a GPT's 8·h²: the
    // workbook's GPT-shaped layer formulas hold to 1%.
    source: "Touvron et al. 2023 (Llama 2), Table 1 and §2.2: 7B, 32 layers, dimension 4096, 32 heads, context 4k; 6.74B parameters",
  },
  {
    name: "megatron-22b",
    displayName: "Megatron 22B",
    parameters: 22e9,
    layers: 48,
    hidden: 6144,
    heads: 64,
    vocab: 51200,
    seq: 2048,
    source: "Korthikanti et al. 2022, §6 (evaluated model configurations)",
  },
  {
    name: "megatron-530b",
    displayName: "Megatron-Turing NLG 530B",
    parameters: 530e9,
    layers: 105,
    hidden: 20480,
    heads: 128,
    vocab: 51200,
    seq: 2048,
    source: "Korthikanti et al. 2022, §6 (evaluated model configurations); Smith et al. 2022 (MT-NLG)",
  },
  {
    name: "megatron-1t",
    displayName: "Megatron 1T",
    parameters: 1008e9,
    layers: 128,
    hidden: 25600,
    heads: 160,
    vocab: 51200,
    seq: 2048,
    source: "Narayanan et al. 2021, Table 1 (1008.0B)",
  },
];

/** The lecture's four models, in the table's order. */
export const LECTURE_MODEL_NAMES: readonly string[] = ["bert-large", "gpt2-1.5b", "turing-nlg-17b", "gpt3-175b"];

/**
 * The built-in catalog plus your own models (yours win on a name clash).
 *
 * @example const catalog = extendModelCatalog([{ name: "my-7b", displayName: "Mine", parameters: 7e9, ... }]);
 */
export function extendModelCatalog(extra: readonly ModelSpec[], base: readonly ModelSpec[] = MODEL_CATALOG): readonly ModelSpec[] {
  const names = new Set(extra.map((m) => m.name));
  return [...base.filter((m) => !names.has(m.name)), ...extra];
}

/** Find a model by catalog key or display name (case-insensitive). Throws naming the known models. */
export function findModel(name: string, catalog: readonly ModelSpec[] = MODEL_CATALOG): ModelSpec {
  const key = name.trim().toLowerCase();
  const model = catalog.find((m) => m.name === key || m.displayName.toLowerCase() === key);
  if (model === undefined) {
    throw new Error(`Unknown model "${name}". Known models: ${catalog.map((m) => m.name).join(", ")}.`);
  }
  return model;
}

/** Parameter count from the model's shape (Narayanan et al. 2021, Eq. 2). */
export function modelParametersFromShape(model: ModelSpec): number {
  return transformerParameters(model).total;
}

/** One row of the lecture's memory-wall table. */
export interface FootprintRow {
  readonly model: string;
  readonly parameters: number;
  readonly layers: number;
  readonly hidden: number;
  /** P / P_baseline (compute per token scales with P). */
  readonly relativeCompute: number;
  /** Model-state bytes on one device without any partitioning. */
  readonly footprintBytes: number;
}

/**
 * The lecture's table: footprint = bytes per parameter × P, relative compute = P / P_baseline.
 *
 * @param recipe the precision recipe; the lecture's table uses 16 bytes per parameter ("mixed-adam")
 */
export function footprintTable(
  models: readonly ModelSpec[] = LECTURE_MODEL_NAMES.map((n) => findModel(n)),
  recipe: PrecisionRecipe | RecipeName = "mixed-adam",
): readonly FootprintRow[] {
  if (models.length === 0) throw new Error("Expected at least one model for the footprint table, got none.");
  const baseline = models[0]!.parameters;
  const perParameter = bytesPerParameter(recipe);
  return models.map((m) => ({
    model: m.displayName,
    parameters: m.parameters,
    layers: m.layers,
    hidden: m.hidden,
    relativeCompute: m.parameters / baseline,
    footprintBytes: m.parameters * perParameter,
  }));
}
