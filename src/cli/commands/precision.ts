/** `efflab precision`: range and precision of fp32, fp16, bf16 and fp8, and exact rounding to each. */
import type { CommandSpec, ParsedArgs } from "../command";
import { encodeFloat, FLOAT_FORMAT_NAMES, floatFormat, formatLimits, roundToFormat } from "../../precision/formats";
import { formatTextTable } from "../../foundation/text-table";

export const precisionCommand: CommandSpec = {
  name: "precision",
  summary: "largest, smallest and epsilon of fp32, fp16, bf16, fp8 (E4M3, E5M2); round a number to one of them",
  description:
    "Formats from their bit layout: fp16 1/5/10 bits (IEEE binary16), bf16 1/8/7, fp8 E4M3 1/4/3 (no infinities,\n" +
    "max 448) and E5M2 1/5/2 (max 57344) as in Micikevicius et al. 2022 (OCP FP8). Rounding is to nearest, ties to\n" +
    "even, with subnormals; overflow gives ±Infinity (NaN for E4M3). JSON prints numbers exactly.",
  flags: [
    { name: "round", type: "number", placeholder: "X", description: "a number to round (prints value and rounded)" },
    { name: "format", type: "string", default: "fp16", choices: FLOAT_FORMAT_NAMES, description: "format for --round" },
  ],
  examples: ["efflab precision", "efflab precision --json", "efflab precision --round 0.1 --format fp16 --json", "efflab precision --round 70000 --format bf16"],
  run(args: ParsedArgs, io) {
    const f = args.flags;
    if (f.round !== undefined) {
      const value = Number(f.round);
      const format = floatFormat(String(f.format ?? "fp16"));
      const rounded = roundToFormat(value, format);
      if (args.json) {
        // JSON has no ±Infinity or NaN: those are printed as strings.
        const exact = (x: number): number | string => (Number.isFinite(x) ? x : String(x));
        io.out(JSON.stringify({ format: format.name, value: exact(value), rounded: exact(rounded), error: Number.isFinite(rounded) ? rounded - value : null, bits: encodeFloat(value, format).bits }));
        return 0;
      }
      io.out(`${value} in ${format.name}: ${rounded} (bits ${encodeFloat(value, format).bits}; error ${Number.isFinite(rounded) ? rounded - value : "overflow"})`);
      return 0;
    }
    const formats = FLOAT_FORMAT_NAMES.map((name) => formatLimits(name));
    if (args.json) {
      io.out(JSON.stringify({ formats }));
      return 0;
    }
    io.out(
      formatTextTable(
        ["format", "bits (s/e/m)", "max", "min normal", "min subnormal", "epsilon"],
        formats.map((l) => {
          const spec = floatFormat(l.name);
          return [l.name, `1/${spec.exponentBits}/${spec.mantissaBits}`, String(l.max), l.minNormal.toExponential(4), l.minSubnormal.toExponential(4), `2^-${spec.mantissaBits} = ${l.epsilon}`];
        }),
      ),
    );
    return 0;
  },
};
