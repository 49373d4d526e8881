/**
 * Memory per worker under ZeRO stages 0–3 as stacked bars (parameters,
 * gradients, optimizer states), with the ZeRO paper's formula drawn over them
 * as markers (Rajbhandari et al. 2020, §5 and Figure 1). Feed it what the
 * simulator measured (zeroMemoryHeld) and what the formula predicts
 * (zeroFormulaBytes): the markers should sit on top of the bars.
 */
import type { ZeroMemoryHeld } from "../parallel/zero-bytes";
import { categoryAxis, linearAxis } from "./axes";
import type { Figure } from "./figure";

/** One stage's bar. */
export interface ZeroMemoryBar {
  readonly stage: 0 | 1 | 2 | 3;
  readonly measured: ZeroMemoryHeld;
  readonly formula: ZeroMemoryHeld;
}

/** Units the y axis can use. */
export type ZeroMemoryUnit = "B" | "kB" | "MB" | "GB" | "GiB";

const UNIT_BYTES: Readonly<Record<ZeroMemoryUnit, number>> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9, GiB: 2 ** 30 };
const UNIT_NOTE: Readonly<Record<ZeroMemoryUnit, string>> = {
  B: "bytes",
  kB: "kB = 10³ bytes",
  MB: "MB = 10⁶ bytes",
  GB: "GB = 10⁹ bytes",
  GiB: "GiB = 2³⁰ bytes",
};

/** Options of zeroMemoryFigure. */
export interface ZeroMemoryFigureOptions {
  /** @default "B" */
  readonly unit?: ZeroMemoryUnit;
  /** @default "Model-state memory per worker under ZeRO" */
  readonly title?: string;
}

/** Stacked bars of measured bytes per worker per stage, with the formula's totals as markers. */
export function zeroMemoryFigure(bars: readonly ZeroMemoryBar[], options: ZeroMemoryFigureOptions = {}): Figure {
  if (bars.length === 0) throw new Error("Expected at least one stage, got none. Pass [{ stage, measured, formula }].");
  const unit = options.unit ?? "B";
  const scale = UNIT_BYTES[unit];
  const x = bars.map((b) => `stage ${b.stage}`);
  const part = (name: string, pick: (m: ZeroMemoryHeld) => number) => ({
    type: "bar",
    name,
    x,
    y: bars.map((b) => pick(b.measured) / scale),
  });
  return {
    data: [
      part("parameters (measured)", (m) => m.paramBytes),
      part("gradients (measured)", (m) => m.gradBytes),
      part("optimizer states (measured)", (m) => m.optimizerBytes),
      {
        type: "scatter",
        mode: "markers",
        name: "ZeRO formula (total)",
        x,
        y: bars.map((b) => b.formula.totalBytes / scale),
        marker: { symbol: "diamond", size: 12, color: "black" },
      },
    ],
    layout: {
      title: { text: options.title ?? "Model-state memory per worker under ZeRO" },
      barmode: "stack",
      xaxis: categoryAxis("ZeRO stage"),
      yaxis: linearAxis(`memory per worker (${UNIT_NOTE[unit]})`),
    },
  };
}
