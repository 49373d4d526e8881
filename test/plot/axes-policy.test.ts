import { beforeAll, describe, expect, it } from "vitest";
import { formatTickPlain, formatTickPowerOfTwo, formatTickSi, formatTicks, logTickValues, powerOfTwoTickValues } from "../../src/plot/axes";
import type { Axis, Figure, Trace } from "../../src/plot/figure";
import { notebookFigures, type NotebookFigure } from "./notebook-figures";

const SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const SI: Readonly<Record<string, number>> = { p: 1e-12, n: 1e-9, µ: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

/** Read a tick label back as a number: "0.02", "1,024", "10⁻⁶", "2×10⁹", "2¹⁶", "10 ms", "1 GB". */
function parseTick(label: string): number {
  const two = /^2([⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$/.exec(label);
  if (two) return 2 ** Number([...two[1]!].map((c) => (c === "⁻" ? "-" : String(SUPERSCRIPTS.indexOf(c)))).join(""));
  const power = /^(?:([\d.]+)×)?10([⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$/.exec(label);
  if (power) {
    const exponent = Number([...power[2]!].map((c) => (c === "⁻" ? "-" : String(SUPERSCRIPTS.indexOf(c)))).join(""));
    return Number(power[1] ?? 1) * 10 ** exponent;
  }
  const withUnit = /^([\d.,]+) ([pnµmkMGTP]?)(s|B)$/.exec(label);
  if (withUnit) return Number(withUnit[1]!.replace(/,/g, "")) * SI[withUnit[2]!]!;
  return Number(label.replace(/,/g, ""));
}

const titleOf = (axis: Axis | undefined): string => (typeof axis?.title === "string" ? axis.title : (axis?.title?.text ?? ""));

/** Every axis of a figure: [key, axis] for xaxis, yaxis, xaxis2, ... */
function axesOf(figure: Figure): [string, Axis][] {
  return Object.entries(figure.layout).filter(([key]) => /^[xy]axis\d*$/.test(key)) as [string, Axis][];
}

/** Does a trace on this axis plot numbers (so plotly would pick an exponent format)? */
function numeric(figure: Figure, key: string, axis: Axis): boolean {
  if (axis.type === "category" || axis.tickmode === "array") return false;
  const letter = key[0] as "x" | "y";
  const ref = `${letter}${key.slice(5)}`;
  return figure.data.some((t) => ((t[`${letter}axis`] as string | undefined) ?? letter) === ref && (t[letter] ?? []).some((v) => typeof v === "number"));
}

const RATIO_TITLE = /ratio|fraction|\(%\)|\(×\)|accuracy|efficiency/;
const BYTE_TITLE = /bytes|memory|model states|activations, all/;

let figures: NotebookFigure[];
beforeAll(async () => {
  figures = await notebookFigures();
}, 120_000);

describe("tick labels", () => {
  it("write plain numbers without SI letters, and powers of ten outside 10⁻³ … 10⁵", () => {
    expect(formatTickPlain(0.0001)).toBe("10⁻⁴");
    expect(formatTickPlain(0.02)).toBe("0.02");
    expect(formatTickPlain(1024)).toBe("1,024");
    expect(formatTickPlain(2e9)).toBe("2×10⁹");
  });

  it("write SI prefixes with their unit", () => {
    expect(formatTickSi(1e9, "B")).toBe("1 GB");
    expect(formatTickSi(1e4, "B")).toBe("10 kB");
    expect(formatTickSi(0.01, "s")).toBe("10 ms");
    expect(formatTickSi(1e-6, "s")).toBe("1 µs");
  });

  it("do not mix powers of ten and decimals on one axis", () => {
    expect(formatTicks([1e-4, 1e-3, 1e-2], { kind: "plain" })).toEqual(["10⁻⁴", "10⁻³", "10⁻²"]);
  });

  it("write powers of two with superscripts, and only for powers of two", () => {
    expect(formatTickPowerOfTwo(65536)).toBe("2¹⁶");
    expect(formatTickPowerOfTwo(2 ** -24)).toBe("2⁻²⁴");
    expect(formatTickPowerOfTwo(3)).toBe("3");
    expect(formatTicks([8192, 16384], { kind: "power-of-two" })).toEqual(["2¹³", "2¹⁴"]);
  });

  it("place power-of-two ticks on every power in the span, thinned to at most ten", () => {
    expect(powerOfTwoTickValues([8192, 65536, 3e4])).toEqual([8192, 16384, 32768, 65536]);
    expect(powerOfTwoTickValues([1, 2 ** 24]).length).toBeLessThanOrEqual(10);
    expect(powerOfTwoTickValues([1, 2 ** 24])[0]).toBe(1);
  });

  it("label a log axis over less than a factor of two with round values", () => {
    expect(logTickValues([1.45202, 2.50388])).toEqual([1.5, 2, 2.5]);
    expect(logTickValues([0.7, 0.7])).toEqual([0.7]);
    expect(logTickValues([0, -1, null])).toEqual([]);
  });

  it("label 0.3 as 0.3 on a short log axis (never a bare minor-tick digit)", () => {
    const ticks = logTickValues([0.25, 0.31, 0.6, 3]);
    expect(ticks).toContain(0.5);
    expect(ticks).toContain(2);
    expect(formatTicks(ticks, { kind: "plain" })).toContain("0.5");
  });
});

describe("every notebook figure follows the tick and units policy", () => {
  it("covers the figures of all seven notebooks", () => {
    expect(new Set(figures.map((f) => f.notebook))).toEqual(new Set(["00", "01", "02", "03", "04", "05", "06"]));
    expect(figures.filter((f) => f.notebook === "06").length).toBe(6);
  });

  it("titles its axes (a grid of panels: its outer ones)", () => {
    for (const { id, figure } of figures) {
      const axes = axesOf(figure);
      expect(axes.some(([key, a]) => key.startsWith("x") && titleOf(a) !== ""), `${id} x axis`).toBe(true);
      expect(axes.some(([key, a]) => key.startsWith("y") && titleOf(a) !== ""), `${id} y axis`).toBe(true);
      if (figure.layout["grid"] === undefined) {
        expect(titleOf(figure.layout.xaxis), `${id} x axis`).not.toBe("");
        expect(titleOf(figure.layout.yaxis), `${id} y axis`).not.toBe("");
      }
    }
  });

  it("labels log axes only with full values it chose (no minor-tick digits)", () => {
    for (const { id, figure } of figures) {
      for (const [key, axis] of axesOf(figure).filter(([, a]) => a.type === "log")) {
        const where = `${id} ${key} "${titleOf(axis)}"`;
        expect(axis.tickmode, where).toBe("array");
        const values = axis["tickvals"] as number[];
        const labels = axis["ticktext"] as string[];
        expect(labels.length, where).toBe(values.length);
        values.forEach((v, i) => expect(parseTick(labels[i]!) / v, `${where}: label "${labels[i]}" for ${v}`).toBeCloseTo(1, 6));
      }
    }
  });

  it("never leaves a numeric axis to plotly's SI-letter exponent format (\"1B\" for 10⁹, \"100μ\")", () => {
    for (const { id, figure } of figures) {
      for (const [key, axis] of axesOf(figure).filter(([k, a]) => numeric(figure, k, a))) {
        const chosen = ["power", "none", "e", "E"].includes(axis["exponentformat"] as string) || axis["tickformat"] === "d";
        expect(chosen, `${id} ${key} "${titleOf(axis)}" exponentformat`).toBe(true);
      }
    }
  });

  it("keeps SI letters off ratio axes", () => {
    let ratioAxes = 0;
    for (const { id, figure } of figures) {
      for (const [key, axis] of axesOf(figure).filter(([, a]) => RATIO_TITLE.test(titleOf(a)))) {
        ratioAxes++;
        if (axis.tickmode === "array") {
          for (const label of axis["ticktext"] as string[]) expect(label, `${id} ${key}`).not.toMatch(/\d\s?[pnµμmkMGT]$/);
        } else {
          // plotly's default exponent format ("B") writes 10⁻⁴ as "100μ"
          expect(["power", "none", "e", "E"], `${id} ${key} exponentformat`).toContain(axis["exponentformat"]);
        }
      }
    }
    expect(ratioAxes).toBeGreaterThanOrEqual(5);
  });

  it("names the byte unit and what it is in every byte axis's title", () => {
    let byteAxes = 0;
    for (const { id, figure } of figures) {
      for (const [key, axis] of axesOf(figure).filter(([, a]) => BYTE_TITLE.test(titleOf(a)))) {
        byteAxes++;
        expect(titleOf(axis), `${id} ${key}`).toMatch(/(GB|GiB|kB|MB) = (10|2)[⁰¹²³⁴⁵⁶⁷⁸⁹]+ (bytes|B)/);
      }
    }
    expect(byteAxes).toBeGreaterThanOrEqual(7);
  });

  it("writes sizes in titles for humans (no \"S = 1000000000 bytes\")", () => {
    for (const { id, figure } of figures) {
      const title = typeof figure.layout.title === "string" ? figure.layout.title : (figure.layout.title?.text ?? "");
      expect(title, id).not.toMatch(/\d{5,}\s*(bytes|B)\b/);
      expect(title, id).not.toMatch(/\d+(\.\d+)?B parameters/);
    }
  });

  it("draws contour plots to scale", () => {
    const contours = figures.filter((f) => f.figure.data.some((t) => t.type === "contour"));
    expect(contours.length).toBe(3);
    for (const { id, figure } of contours) {
      expect(figure.layout.yaxis?.["scaleanchor"], id).toBe("x");
      expect(figure.layout.yaxis?.["scaleratio"], id).toBe(1);
      const contour = figure.data.find((t) => t.type === "contour")!;
      // a colour bar over coloured bands, not an empty box beside contour lines
      expect((contour["contours"] as { coloring: string }).coloring, id).not.toBe("lines");
    }
  });

  it("gives counted colour bars whole-number ticks", () => {
    for (const { id, figure } of figures) {
      for (const trace of figure.data.filter((t) => t.type === "heatmap" && t["showscale"] !== false)) {
        const z = (trace["z"] as (number | null)[][]).flat().filter((v): v is number => v !== null);
        if (!z.every(Number.isInteger)) continue;
        const bar = trace["colorbar"] as Record<string, unknown>;
        expect(bar["tickformat"], id).toBe("d");
        expect(Number.isInteger(bar["dtick"]), id).toBe(true);
      }
    }
  });
});

describe("the figures that read badly before this policy", () => {
  const find = (title: RegExp): Figure => {
    const found = figures.find((f) => {
      const t = f.figure.layout.title;
      return title.test(typeof t === "string" ? t : (t?.text ?? ""));
    });
    if (!found) throw new Error(`no figure titled ${title}`);
    return found.figure;
  };

  it("lab 1: the full-batch run (8 points among 200) is drawn with markers, on top", () => {
    const fig = find(/Loss per step/);
    const fullBatch = fig.data.find((t) => t.name === "|B| = 200")!;
    expect(fullBatch["mode"]).toContain("markers");
    // drawn last, on top of the 200-step curves, and still first in the legend
    expect(fig.data[fig.data.length - 1]).toBe(fullBatch);
    expect(fullBatch["legendrank"]).toBe(1);
  });

  it("lab 3: inner subplots of the ring progress carry no axis titles that could run into their neighbours", () => {
    const fig = find(/contributions summed/);
    const grid = fig.layout["grid"] as { rows: number; columns: number };
    const panels = fig.data.length;
    for (let s = 1; s <= panels; s++) {
      const suffix = s === 1 ? "" : String(s);
      const bottom = s + grid.columns > panels;
      const left = (s - 1) % grid.columns === 0;
      expect(titleOf(fig.layout[`xaxis${suffix}`] as Axis) !== "", `x title of panel ${s}`).toBe(bottom);
      expect(titleOf(fig.layout[`yaxis${suffix}`] as Axis) !== "", `y title of panel ${s}`).toBe(left);
    }
  });

  it("lab 4: the capacity label sits in the margin, clear of the bars", () => {
    const fig = find(/Memory per GPU by component/);
    const [label] = fig.layout["annotations"] as { x: number; xanchor: string; text: string }[];
    expect(label!.text).toMatch(/capacity/);
    expect(label!.x).toBeGreaterThan(1);
    expect(label!.xanchor).toBe("left");
  });

  it("lab 5: the interleaved Gantt chart colours each chunk differently", () => {
    const fig = find(/^interleaved/);
    const forward = fig.data.filter((t) => String(t.name).startsWith("F "));
    expect(forward.map((t) => t.name)).toEqual(["F (forward), chunk 0", "F (forward), chunk 1"]);
    const colours = forward.map((t) => (t["marker"] as { color: string }).color);
    expect(new Set(colours).size).toBe(2);
    expect(fig.layout["uniformtext"]).toMatchObject({ mode: "hide" });
  });

  it("lab 5: simulated bubbles are markers, so the closed form's dotted line shows through", () => {
    const fig = find(/Pipeline bubble/);
    const simulated: Trace[] = fig.data.filter((t) => String(t.name).endsWith("simulated"));
    expect(simulated.length).toBe(5);
    for (const t of simulated) expect(t["mode"], t.name).toBe("markers");
    const symbols = simulated.map((t) => (t["marker"] as { symbol: string }).symbol);
    expect(new Set(symbols).size).toBe(simulated.length);
  });

  it("lab 6: mixed precision follows fp32 dashed, over a wider fp32 line, so both show", () => {
    const fig = find(/master weights follow fp32/);
    const [fp32, fp16, mixed] = ["fp32", "fp16-weights", "mixed"].map((name) => fig.data.find((t) => t.name === name)!);
    const line = (t: Trace) => t["line"] as { width: number; dash?: string; color: string };
    expect(line(mixed!).dash).toBe("dash");
    expect(line(fp32!).dash).toBeUndefined();
    expect(line(fp32!).width).toBeGreaterThan(line(mixed!).width);
    expect(line(fp32!).color).not.toBe(line(mixed!).color);
    expect(fig.data.indexOf(mixed!)).toBeGreaterThan(fig.data.indexOf(fp32!));
    // the run that stalls is apart from both: a plain line
    expect(line(fp16!).dash).toBeUndefined();
    expect(line(fp16!).width).toBe(line(mixed!).width);
  });

  it("lab 6: the loss scale is labelled in powers of two", () => {
    const fig = find(/Dynamic loss scale/);
    const labels = fig.layout.yaxis!["ticktext"] as string[];
    expect(labels).toContain("2¹⁶");
    expect(labels.every((l) => /^2[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+$/.test(l))).toBe(true);
  });
});
