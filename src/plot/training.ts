/**
 * Figures of training (labs 1–2): loss curves on a log scale, accuracy curves,
 * optimizer trajectories over the contours of a 2-D loss, and the bias of Adam's
 * uncorrected moments in the first steps.
 *
 * The experiments produce the numbers (src/models/train.ts, src/optim/trajectory.ts);
 * these builders only draw them as plotly JSON.
 */
import type { Objective2D } from "../foundation/objective";
import { equalAspect, integerAxis, linearAxis, logAxis } from "./axes";
import type { Figure, Trace } from "./figure";

/** One named curve: a value per epoch (or per step). */
export interface TrainingSeries {
  readonly name: string;
  readonly values: readonly number[];
}

export interface LossCurvesOptions {
  /** What one point on the x axis is. @default "epoch" */
  readonly xUnit?: "epoch" | "step";
  /** Log-scale y axis (losses span decades). @default true */
  readonly logY?: boolean;
  /** Name of the loss for the axis title. @default "training loss" */
  readonly lossName?: string;
  /**
   * Unit of the loss for the axis title: cross-entropy with natural logs is in nats; a
   * mean squared error is in squared units of the target (e.g. "target units²").
   * @default "nats"
   */
  readonly lossUnit?: string;
  /** @default "Training loss" */
  readonly title?: string;
}

/** plotly.js's default trace colours (layout.colorway), in order. */
const PLOTLY_COLORWAY = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"] as const;

function expectSeries(series: readonly TrainingSeries[], what: string): void {
  if (series.length === 0) throw new Error(`${what}: expected at least one series, got none.`);
  for (const s of series) {
    if (s.values.length === 0) throw new Error(`${what}: series "${s.name}" has no values.`);
  }
}

/** Do two runs lie on one another: same length, every value within 2% of the other's? */
function coincide(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.length > 1 && a.every((v, t) => Math.abs(v - b[t]!) <= 0.02 * Math.max(Math.abs(v), Math.abs(b[t]!)));
}

/**
 * Loss against epoch (or step), one line per run, log y axis by default.
 * @example
 *   lossCurvesFigure([{ name: "Adam", values: history.loss }, { name: "SGD", values: sgdHistory.loss }]);
 */
export function lossCurvesFigure(series: readonly TrainingSeries[], options: LossCurvesOptions = {}): Figure {
  expectSeries(series, "lossCurvesFigure");
  const xUnit = options.xUnit ?? "epoch";
  const logY = options.logY ?? true;
  const longest = Math.max(...series.map((s) => s.values.length));
  // a short run beside long ones (full-batch GD: one step per epoch, 8 points among 200) gets
  // markers and a wider line, and is drawn last, on top, so the long curves cannot hide it
  const short = (s: TrainingSeries) => longest > 12 && s.values.length <= longest / 10;
  // a run that follows an earlier one point for point (mixed precision beside fp32) is dashed and
  // drawn over a wider line of the run it follows, so neither hides the other
  const follows = series.map((s, i) => series.slice(0, i).some((earlier) => coincide(earlier.values, s.values)));
  const followed = series.map((s, i) => series.slice(i + 1).some((later) => coincide(s.values, later.values)));
  const traces: Trace[] = series.map((s, i) => ({
    type: "scatter",
    mode: short(s) || longest <= 12 ? "lines+markers" : "lines",
    name: s.name,
    x: s.values.map((_, t) => t + 1),
    // a log axis cannot show 0 or negative values: drop them instead of breaking the plot
    y: s.values.map((v) => (logY && !(v > 0) ? null : v)),
    // colours fixed by position, so reordering the drawing keeps each run's colour and legend place
    line: {
      color: PLOTLY_COLORWAY[i % PLOTLY_COLORWAY.length],
      width: short(s) ? 3 : followed[i] && !follows[i] ? 5 : 2,
      ...(follows[i] ? { dash: "dash" } : {}),
    },
    marker: { size: short(s) ? 8 : 6, color: PLOTLY_COLORWAY[i % PLOTLY_COLORWAY.length] },
    legendrank: i + 1,
  }));
  const data = [...traces.filter((_, i) => !short(series[i]!)), ...traces.filter((_, i) => short(series[i]!))];
  const yTitle = `${options.lossName ?? "training loss"} (${options.lossUnit ?? "nats"}${logY ? ", log scale" : ""})`;
  return {
    data,
    layout: {
      title: { text: options.title ?? "Training loss" },
      xaxis: linearAxis(`${xUnit} (count)`, { rangemode: "tozero" }),
      yaxis: logY ? logAxis(yTitle, data.flatMap((t) => t.y ?? [])) : linearAxis(yTitle),
    },
  };
}

/**
 * Accuracy (in %) against epoch, one line per run (e.g. train and test, or one per optimizer).
 * @param series accuracies as fractions in [0, 1]
 */
export function accuracyCurvesFigure(series: readonly TrainingSeries[], title = "Classification accuracy"): Figure {
  expectSeries(series, "accuracyCurvesFigure");
  for (const s of series) {
    if (s.values.some((v) => !(v >= 0 && v <= 1))) {
      throw new Error(`accuracyCurvesFigure: series "${s.name}" has values outside [0, 1]; pass fractions, not percentages.`);
    }
  }
  return {
    data: series.map((s) => ({
      type: "scatter",
      mode: "lines+markers",
      name: s.name,
      x: s.values.map((_, i) => i + 1),
      y: s.values.map((v) => 100 * v),
    })),
    layout: {
      title: { text: title },
      xaxis: integerAxis("epoch (count)", { tick0: 1, dtick: Math.max(1, Math.ceil(Math.max(...series.map((s) => s.values.length)) / 10)) }),
      yaxis: linearAxis("accuracy (%)", { range: [0, 102], ticksuffix: "%" }),
    },
  };
}


/** A path in the plane: the points an optimizer visited. */
export interface TrajectorySeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface TrajectoryFigureOptions {
  /** [min, max] of w1. @default fitted to the trajectories and the minimum, with a margin */
  readonly xRange?: readonly [number, number];
  /** [min, max] of w2. @default fitted likewise */
  readonly yRange?: readonly [number, number];
  /** Grid points per axis for the contours. @default 80 */
  readonly resolution?: number;
  /** Contour log10(f − f_min + 1e-12)? Useful for Rosenbrock. @default true */
  readonly logContours?: boolean;
  /** Width ÷ height of the area the fitted ranges should fill (ignored when a range is given). @default 2.6 */
  readonly aspect?: number;
}

/** [lo, hi] widened about its centre to `length`. */
function widen(lo: number, hi: number, length: number): [number, number] {
  const centre = (lo + hi) / 2;
  return [centre - length / 2, centre + length / 2];
}

/**
 * Optimizer paths drawn over the contour lines of a 2-D objective, with the minimum marked.
 * @example
 *   const f = illConditionedQuadratic({ condition: 20 });
 *   trajectoryFigure(f, [{ name: "GD", points: optimizeObjective(f, sgd({ lr: 0.09 }), 50).points }]);
 */
export function trajectoryFigure(objective: Objective2D, trajectories: readonly TrajectorySeries[], options: TrajectoryFigureOptions = {}): Figure {
  const resolution = options.resolution ?? 80;
  if (!Number.isInteger(resolution) || resolution < 2) throw new Error(`Expected resolution to be an integer >= 2, got ${resolution}.`);
  const finite = trajectories.flatMap((t) => t.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = [...finite.map((p) => p[0]), objective.minimum[0]];
  const ys = [...finite.map((p) => p[1]), objective.minimum[1]];
  const span = (v: number[]): [number, number] => {
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    const pad = Math.max(0.1 * (hi - lo), 0.5);
    return [lo - pad, hi + pad];
  };
  // Axes are drawn to scale (equalAspect below). Widen the shorter span about its centre so the
  // to-scale plot fills an area `aspect` times wider than tall instead of a narrow strip.
  const aspect = options.aspect ?? 2.6;
  let [x0, x1] = options.xRange ?? span(xs);
  let [y0, y1] = options.yRange ?? span(ys);
  if (options.xRange === undefined && options.yRange === undefined) {
    const width = x1 - x0;
    const height = y1 - y0;
    if (width < aspect * height) [x0, x1] = widen(x0, x1, aspect * height);
    else [y0, y1] = widen(y0, y1, width / aspect);
  }
  const gx = Array.from({ length: resolution }, (_, i) => x0 + ((x1 - x0) * i) / (resolution - 1));
  const gy = Array.from({ length: resolution }, (_, j) => y0 + ((y1 - y0) * j) / (resolution - 1));
  const fMin = objective.value(objective.minimum[0], objective.minimum[1]);
  const logContours = options.logContours ?? true;
  const z = gy.map((y) => gx.map((x) => (logContours ? Math.log10(objective.value(x, y) - fMin + 1e-12) : objective.value(x, y))));
  const data: Trace[] = [
    {
      type: "contour",
      name: "loss",
      x: gx,
      y: gy,
      z,
      showscale: true,
      // filled bands, light near the minimum: the colour bar has colours to show (with
      // coloring "lines" it is an empty box) and the paths stay readable on top
      colorscale: [
        [0, "#ffffff"],
        [1, "#9e9e9e"],
      ],
      contours: { coloring: "fill", showlines: true },
      line: { color: "rgba(0,0,0,0.25)", width: 0.5 },
      colorbar: { title: { text: logContours ? "log₁₀(f − f*)" : "f (loss units)" }, exponentformat: "power" },
      hoverinfo: "skip",
    },
    ...trajectories.map(
      (t, i): Trace => ({
        type: "scatter",
        mode: "lines+markers",
        name: t.name,
        x: t.points.map((p) => p[0]),
        y: t.points.map((p) => p[1]),
        // the contour trace would take plotly's first colour: give the i-th path the i-th colour,
        // so a run has the same colour here as in lossCurvesFigure
        line: { color: PLOTLY_COLORWAY[i % PLOTLY_COLORWAY.length] },
        marker: { size: 4, color: PLOTLY_COLORWAY[i % PLOTLY_COLORWAY.length] },
      }),
    ),
    { type: "scatter", mode: "markers", name: "minimum", x: [objective.minimum[0]], y: [objective.minimum[1]], marker: { symbol: "star", size: 14, color: "black" } },
  ];
  return {
    data,
    layout: {
      title: { text: `Optimizer paths on ${objective.name}` },
      // w1 and w2 share units: draw them to scale, so the contours' true shape shows
      ...equalAspect(
        linearAxis("w1 (parameter value, dimensionless)", { range: [x0, x1] }),
        linearAxis("w2 (parameter value, dimensionless)", { range: [y0, y1] }),
      ),
      // legend under the plot: on the right it would cover the contours' colour bar
      legend: { orientation: "h", x: 0, y: -0.22, yanchor: "top" },
      margin: { b: 110 },
    },
  };
}

export interface MomentBiasOptions {
  /** @default 0.9 */
  readonly beta1?: number;
  /** @default 0.999 */
  readonly beta2?: number;
  /** Steps to show. @default 50 */
  readonly steps?: number;
}

/**
 * Why Adam corrects its moments (Kingma & Ba 2015, §3): with a constant gradient g and
 * m_0 = v_0 = 0, the moving averages give m_t = (1 − β1^t) g and v_t = (1 − β2^t) g², far below
 * g and g² in the first steps. The figure shows m_t/g and v_t/g² (run through the actual
 * recurrence) against the corrected m̂_t/g = v̂_t/g² = 1.
 */
export function momentBiasFigure(options: MomentBiasOptions = {}): Figure {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const steps = options.steps ?? 50;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`Expected steps to be an integer >= 1, got ${steps}.`);
  const t = Array.from({ length: steps }, (_, i) => i + 1);
  const mRatio: number[] = [];
  const vRatio: number[] = [];
  const mHatRatio: number[] = [];
  const vHatRatio: number[] = [];
  let m = 0;
  let v = 0;
  for (const step of t) {
    m = beta1 * m + (1 - beta1) * 1; // g = 1
    v = beta2 * v + (1 - beta2) * 1; // g² = 1
    mRatio.push(m);
    vRatio.push(v);
    mHatRatio.push(m / (1 - beta1 ** step));
    vHatRatio.push(v / (1 - beta2 ** step));
  }
  return {
    data: [
      { type: "scatter", mode: "lines", name: `m_t / g (β1 = ${beta1})`, x: t, y: mRatio },
      { type: "scatter", mode: "lines", name: `v_t / g² (β2 = ${beta2})`, x: t, y: vRatio },
      { type: "scatter", mode: "lines", name: "m̂_t / g (corrected)", x: t, y: mHatRatio, line: { dash: "dash" } },
      { type: "scatter", mode: "lines", name: "v̂_t / g² (corrected)", x: t, y: vHatRatio, line: { dash: "dot" } },
    ],
    layout: {
      title: { text: "Bias of Adam's moments started at zero (constant gradient)" },
      xaxis: linearAxis("step t (count)"),
      yaxis: linearAxis("moment / true value (ratio)", { range: [0, 1.1] }),
    },
  };
}
