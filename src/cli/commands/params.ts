/** `efflab params`: parameter count of a transformer from its shape (Narayanan et al. 2021, Eq. 2). */
import type { CommandSpec, ParsedArgs } from "../command";
import { approximateTransformerParameters, transformerParameters } from "../../memory";
import { formatTextTable, groupDigits } from "../../foundation/text-table";
import { formatCount } from "../../foundation/units";

export const paramsCommand: CommandSpec = {
  name: "params",
  summary: "parameter count of a GPT-style transformer from layers, hidden size, vocabulary and sequence length",
  description:
    "P = 12lh² + 13lh + (V + s)h (Narayanan et al. 2021, Eq. 2): 12h² + 13h per layer (attention, MLP,\n" +
    "LayerNorms) plus token and position embeddings. The rule of thumb 12lh² keeps only the layer matrices.",
  flags: [
    { name: "layers", type: "integer", required: true, min: 1, placeholder: "L", description: "l: transformer layers" },
    { name: "hidden", type: "integer", required: true, min: 1, placeholder: "H", description: "h: hidden size" },
    { name: "vocab", type: "integer", default: 0, min: 0, placeholder: "V", description: "V: vocabulary size (0: layers only)" },
    { name: "seq", type: "integer", default: 0, min: 0, placeholder: "S", description: "s: sequence length (learned position embeddings)" },
  ],
  examples: ["efflab params --layers 96 --hidden 12288 --vocab 51200 --seq 2048", "efflab params --layers 24 --hidden 1024 --json"],
  run(args: ParsedArgs, io) {
    const layers = Number(args.flags.layers);
    const hidden = Number(args.flags.hidden);
    const vocab = Number(args.flags.vocab ?? 0);
    const seq = Number(args.flags.seq ?? 0);
    const count = transformerParameters({ layers, hidden, vocab, seq });
    const approximation = approximateTransformerParameters(layers, hidden);
    if (args.json) {
      io.out(JSON.stringify({ layers, hidden, vocab, seq, params: count.total, layerMatrices: count.layerMatrices, layerVectors: count.layerVectors, embeddings: count.embeddings, approximation12lh2: approximation }));
      return 0;
    }
    io.out(`Parameters for l = ${layers}, h = ${hidden}, V = ${vocab}, s = ${seq} (Narayanan et al. 2021, Eq. 2)`);
    io.out(
      formatTextTable(
        ["term", "formula", "parameters"],
        [
          ["layer matrices", "12lh²", groupDigits(count.layerMatrices)],
          ["biases + LayerNorms", "13lh", groupDigits(count.layerVectors)],
          ["embeddings", "(V + s)h", groupDigits(count.embeddings)],
          ["total", "P", groupDigits(count.total)],
        ],
      ),
    );
    io.out(`P = ${formatCount(count.total)} (rule of thumb 12lh² = ${formatCount(approximation)})`);
    return 0;
  },
};
