/** `efflab activations`: activation bytes per layer and per device (Korthikanti et al. 2022, Table 2). */
import type { CommandSpec, ParsedArgs } from "../command";
import { layerActivationBytes, parseRecomputeMode, RECOMPUTE_MODES } from "../../memory";
import { BYTE_COLUMN_HEADERS, byteCells, formatTextTable, groupDigits } from "../../foundation/text-table";

export const activationsCommand: CommandSpec = {
  name: "activations",
  summary: "activation memory of a transformer layer and of L layers, with tensor/sequence parallelism and recomputation",
  description:
    "Korthikanti et al. 2022, Table 2 (bytes per layer, 16-bit activations):\n" +
    "  none                   sbh(34 + 5as/h)            tensor parallel   sbh(10 + 24/t + 5as/(ht))\n" +
    "  + sequence parallel    sbh(34/t + 5as/(ht))       + selective       sbh(34/t)      full recompute  2sbh",
  flags: [
    { name: "seq", type: "integer", required: true, min: 1, placeholder: "S", description: "s: sequence length" },
    { name: "batch", type: "integer", required: true, min: 1, placeholder: "B", description: "b: micro-batch size" },
    { name: "hidden", type: "integer", required: true, min: 1, placeholder: "H", description: "h: hidden size" },
    { name: "heads", type: "integer", required: true, min: 1, placeholder: "A", description: "a: attention heads" },
    { name: "layers", type: "integer", default: 1, min: 1, placeholder: "L", description: "L: layers to sum over" },
    { name: "tp", type: "integer", default: 1, min: 1, placeholder: "T", description: "t: tensor-parallel degree" },
    { name: "sequence-parallel", type: "boolean", description: "sequence parallelism (needs --tp > 1 to matter)" },
    { name: "recompute", type: "string", default: "none", choices: RECOMPUTE_MODES, description: "activation recomputation" },
  ],
  examples: [
    "efflab activations --seq 2048 --batch 1 --hidden 12288 --heads 96 --layers 96",
    "efflab activations --seq 2048 --batch 1 --hidden 12288 --heads 96 --tp 8 --sequence-parallel --recompute selective --json",
  ],
  run(args: ParsedArgs, io) {
    const f = args.flags;
    const shape = { seq: Number(f.seq), batch: Number(f.batch), hidden: Number(f.hidden), heads: Number(f.heads) };
    const layers = Number(f.layers ?? 1);
    const tp = Number(f.tp ?? 1);
    const sequenceParallel = f.sequenceParallel === true;
    const recompute = parseRecomputeMode(String(f.recompute ?? "none"));
    const layer = layerActivationBytes(shape, { tensorParallel: tp, sequenceParallel, recompute });
    const { total, ...breakdown } = layer;
    if (args.json) {
      io.out(JSON.stringify({ ...shape, layers, tp, sequenceParallel, recompute, bytesPerLayer: total, bytesPerDevice: total * layers, breakdown }));
      return 0;
    }
    io.out(`s = ${shape.seq}, b = ${shape.batch}, h = ${shape.hidden}, a = ${shape.heads}, t = ${tp}, sequence parallel: ${sequenceParallel ? "yes" : "no"}, recompute: ${recompute}`);
    const row = (name: string, bytes: number) => [name, groupDigits(bytes), ...byteCells(bytes)];
    io.out(
      formatTextTable(
        ["component", "bytes", ...BYTE_COLUMN_HEADERS],
        [
          row("replicated (10sbh)", breakdown.replicated),
          row("split across t", breakdown.split),
          row("attention scores", breakdown.attentionScores),
          row("layer input (full)", breakdown.checkpoint),
          row("one layer", total),
          // with --layers 1 the layer is the whole answer: no second row saying the same
          ...(layers === 1 ? [] : [row(`${layers} layers`, total * layers)]),
        ],
      ),
    );
    return 0;
  },
};
