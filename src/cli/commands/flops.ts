/** `efflab flops`: FLOPs of training a GPT model, time to train and utilisation (Kaplan et al. 2020; Narayanan et al. 2021). */
import type { CommandSpec, ParsedArgs } from "../command";
import { flopsReport, type FlopsRecompute } from "../../profiling/flops";
import { formatTextTable, groupDigits } from "../../foundation/text-table";

const RECOMPUTE: readonly FlopsRecompute[] = ["none", "selective", "full"];

function optionalNumber(value: unknown): number | undefined {
  return value === undefined ? undefined : Number(value);
}

function show(x: number | null, digits = 4): string {
  return x === null ? "—" : Number(x.toPrecision(digits)).toExponential(digits - 1);
}

export const flopsCommand: CommandSpec = {
  name: "flops",
  summary: "FLOPs per iteration and for a training run, days to train, MFU and HFU of a GPT model",
  description:
    "Training ≈ 6PD FLOPs: 2PD forward, 4PD backward (Kaplan et al. 2020 §2.1); full recomputation adds a forward: 8PD.\n" +
    "Per iteration (Narayanan et al. 2021 §5.1, Eq. 3): 96Bslh²(1 + s/(6h) + V/(16lh)) with full recomputation,\n" +
    "72Bslh²(1 + s/(6h) + V/(12lh)) without. Days to train T tokens on n GPUs at X FLOP/s each: 8TP/(nX) (Eq. 4).\n" +
    "MFU = model FLOPs (no recomputation) / (time × GPUs × peak); HFU counts recomputation (PaLM, Appendix B).\n" +
    "Give either --tflops-per-gpu (sustained, Eq. 4) or --step-time; --peak-tflops adds MFU and HFU.",
  flags: [
    { name: "layers", type: "integer", required: true, placeholder: "L", description: "l: transformer layers" },
    { name: "hidden", type: "integer", required: true, placeholder: "H", description: "h: hidden size" },
    { name: "vocab", type: "integer", required: true, placeholder: "V", description: "V: vocabulary size" },
    { name: "seq", type: "integer", required: true, placeholder: "S", description: "s: sequence length" },
    { name: "batch", type: "integer", required: true, placeholder: "B", description: "B: sequences per iteration (global batch)" },
    { name: "recompute", type: "string", default: "none", choices: RECOMPUTE, description: "activation recomputation" },
    { name: "tokens", type: "count", placeholder: "T", description: "T: tokens to train on (300B, 3e11)" },
    { name: "gpus", type: "integer", default: 1, placeholder: "N", description: "n: GPUs" },
    { name: "tflops-per-gpu", type: "number", placeholder: "X", description: "X: sustained TFLOP/s per GPU (10^12 FLOP/s)" },
    { name: "step-time", type: "number", placeholder: "S", description: "measured seconds per iteration" },
    { name: "peak-tflops", type: "number", placeholder: "P", description: "peak TFLOP/s per GPU (A100 bf16: 312)" },
  ],
  examples: [
    "efflab flops --layers 96 --hidden 12288 --vocab 51200 --seq 2048 --batch 1536 --recompute full --tokens 300B --gpus 1024 --tflops-per-gpu 140",
    "efflab flops --layers 96 --hidden 12288 --vocab 51200 --seq 2048 --batch 1536 --gpus 1024 --step-time 30 --peak-tflops 312 --json",
  ],
  run(args: ParsedArgs, io) {
    const f = args.flags;
    if (f.tflopsPerGpu !== undefined && f.stepTime !== undefined) {
      io.err("efflab flops: give either --tflops-per-gpu (a sustained rate) or --step-time (a measured step), not both. See efflab flops --help.");
      return 2;
    }
    const recompute = String(f.recompute ?? "none") as FlopsRecompute;
    const tflops = optionalNumber(f.tflopsPerGpu);
    const peak = optionalNumber(f.peakTflops);
    const input = {
      layers: Number(f.layers),
      hidden: Number(f.hidden),
      vocab: Number(f.vocab),
      seq: Number(f.seq),
      batch: Number(f.batch),
      recompute,
      tokens: optionalNumber(f.tokens),
      gpus: Number(f.gpus ?? 1),
      flopsPerGpu: tflops === undefined ? undefined : tflops * 1e12,
      stepSeconds: optionalNumber(f.stepTime),
      peakFlops: peak === undefined ? undefined : peak * 1e12,
    };
    const r = flopsReport(input);
    if (args.json) {
      io.out(JSON.stringify({ ...input, ...r }));
      return 0;
    }
    io.out(`l = ${input.layers}, h = ${input.hidden}, V = ${input.vocab}, s = ${input.seq}, B = ${input.batch}, recompute ${recompute}, ${input.gpus} GPU(s)`);
    io.out(
      formatTextTable(
        ["quantity", "value", "source"],
        [
          ["parameters P", groupDigits(r.parameters), "Narayanan et al. 2021, Eq. 2"],
          ["FLOPs per iteration", show(r.iterationFlops), recompute === "full" ? "Eq. 3: 96Bslh²(1 + s/6h + V/16lh)" : "72Bslh²(1 + s/6h + V/12lh)" + (recompute === "selective" ? " + 4Bs²lh" : "")],
          ["model FLOPs per iteration", show(r.modelIterationFlops), "no recomputation (MFU's numerator)"],
          ["training FLOPs", show(r.trainingFlops), recompute === "full" ? "8PT" : "6PT (Kaplan et al. 2020 §2.1)"],
          ["training FLOPs, Eq. 3", show(r.trainingFlopsEq3), "Eq. 3 × T/(Bs) iterations"],
          ["seconds per iteration", r.secondsPerIteration === null ? "—" : r.secondsPerIteration.toFixed(3), input.stepSeconds !== undefined ? "measured" : "Eq. 3 / (nX)"],
          ["days to train", r.trainingDays === null ? "—" : r.trainingDays.toFixed(2), input.stepSeconds !== undefined ? "iterations × step time" : "Eq. 4: 8TP/(nX) (6TP without recomputation)"],
          ["MFU", r.mfu === null ? "—" : `${(100 * r.mfu).toFixed(1)}%`, "PaLM, Appendix B"],
          ["HFU", r.hfu === null ? "—" : `${(100 * r.hfu).toFixed(1)}%`, "recomputation counted"],
        ],
      ),
    );
    return 0;
  },
};
