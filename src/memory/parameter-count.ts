/**
 * How many parameters a GPT-style transformer has, from its shape.
 *
 * Symbols (Narayanan et al. 2021, "Efficient Large-Scale Language Model Training
 * on GPU Clusters Using Megatron-LM", §5.1):
 *   l  number of transformer layers      h  hidden size
 *   V  vocabulary size                   s  sequence length (learned position embeddings)
 *
 * One layer holds attention (QKV: 3h² + 3h, output projection: h² + h) and an MLP
 * with a 4h inner size (4h² + 4h, then 4h² + h), plus two LayerNorms (4h):
 *   12h² + 13h parameters per layer.
 * Embeddings add a V×h token table and an s×h position table: (V + s)h.
 * Summed over l layers this is Narayanan et al. 2021, Eq. 2:
 *
 *   P = 12lh² (1 + 13/(12h) + (V + s)/(12lh)) = 12lh² + 13lh + (V + s)h
 *
 * For large h the layer term dominates, giving the rule of thumb P ≈ 12lh².
 * (The final LayerNorm's 2h parameters are left out, as in Eq. 2.)
 */
import { expectInteger } from "../foundation/validate";

/** The shape of a transformer, as far as parameter counting needs it. */
export interface TransformerShape {
  /** l: number of transformer layers. */
  readonly layers: number;
  /** h: hidden size. */
  readonly hidden: number;
  /** V: vocabulary size. @default 0 (count the layers only) */
  readonly vocab?: number;
  /** s: sequence length, for learned position embeddings. @default 0 */
  readonly seq?: number;
}

/** Parameters by where they live. Counts, not bytes. */
export interface ParameterCount {
  /** 12lh²: the weight matrices of all layers. */
  readonly layerMatrices: number;
  /** 13lh: biases and LayerNorm parameters of all layers. */
  readonly layerVectors: number;
  /** (V + s)h: token and position embeddings. */
  readonly embeddings: number;
  /** P: everything (Narayanan et al. 2021, Eq. 2). */
  readonly total: number;
}

/**
 * Count parameters with Narayanan et al. 2021, Eq. 2: P = 12lh² + 13lh + (V + s)h.
 *
 * @example transformerParameters({ layers: 96, hidden: 12288, vocab: 51200, seq: 2048 }).total
 *          // 174,615,822,336 ≈ 174.6B (GPT-3)
 */
export function transformerParameters(shape: TransformerShape): ParameterCount {
  const l = expectInteger("layers", shape.layers, 1);
  const h = expectInteger("hidden", shape.hidden, 1);
  const V = expectInteger("vocab", shape.vocab ?? 0, 0);
  const s = expectInteger("seq", shape.seq ?? 0, 0);
  const layerMatrices = 12 * l * h * h; // 12lh²
  const layerVectors = 13 * l * h; // 13lh
  const embeddings = (V + s) * h; // (V + s)h
  return { layerMatrices, layerVectors, embeddings, total: layerMatrices + layerVectors + embeddings };
}

/** The rule of thumb P ≈ 12lh² (layer matrices only). */
export function approximateTransformerParameters(layers: number, hidden: number): number {
  const l = expectInteger("layers", layers, 1);
  const h = expectInteger("hidden", hidden, 1);
  return 12 * l * h * h;
}

/** Parameters in one transformer layer: 12h² + 13h. */
export function parametersPerLayer(hidden: number): number {
  const h = expectInteger("hidden", hidden, 1);
  return 12 * h * h + 13 * h;
}
