/**
 * Every figure the notebooks draw through the library, built with the notebooks' own arguments
 * (labs 0–6). Where a notebook plots a student's results (training losses, trajectories of the
 * student's gdStep), the library's reference produces the same kind of data; where it plots
 * measured timings (lab 6's roofline and step profiles), fixed stand-in timings of the same
 * shape do, so nothing here is timed. The policy tests
 * (axes-policy.test.ts) and the screenshot test (test/browser/figures.browser.test.ts) walk this list.
 */
import {
  accuracyCurvesFigure,
  adam,
  activationMemoryVsSeqFigure,
  allReduceTimeVsBytesFigure,
  allReduceTimeVsWorkersFigure,
  categoryAxis,
  customRecipe,
  DELTA_A100_CLUSTER,
  evenShards,
  findGpu,
  findModel,
  findNode,
  gpipeSchedule,
  gpuFitMapFigure,
  planParallelism,
  stageMemories,
  stageMemoryFigure,
  illConditionedQuadratic,
  interleavedSchedule,
  LECTURE_MODEL_NAMES,
  leastSquaresObjective,
  LINK_PRESETS,
  linearAxis,
  logAxis,
  lossCurvesFigure,
  lossScaleFigure,
  masterWeightsProblem,
  mfuVsBatchFigure,
  mlpMatmulParameters,
  mlpStepFlops,
  makeClassificationData,
  makeLinearRegressionData,
  memoryComponentsFigure,
  momentBiasFigure,
  momentum,
  naiveSchedule,
  NODE_CATALOG,
  oneFOneBSchedule,
  optimizeObjective,
  pipelineBubbleFigure,
  pipelineBubbleSweep,
  pipelineGanttFigure,
  pipelineMemoryFigure,
  recomputeTradeoffFigure,
  recomputeTradeoffs,
  ringAllReduce,
  ringProgressFigure,
  ringScheduleFigure,
  rooflineFigure,
  scalingCurve,
  scalingEfficiencyFigure,
  sgd,
  simulateDynamicLossScaling,
  simulatePipeline,
  softmaxRegressionParamCount,
  stepPhasesFigure,
  trainWithPrecision,
  trainZero,
  trajectoryFigure,
  zbH1Schedule,
  zeroFormulaBytes,
  zeroMemoryFigure,
  zeroMemoryHeld,
  zeroMemoryVsDataParallelFigure,
  type Figure,
  type ModelSpec,
  type Roofline,
  type RooflinePoint,
  type StepProfile,
  type TrainingSeries,
} from "../../src";
import { initTensors, tf } from "../../src/tensor";

export interface NotebookFigure {
  /** "01-3": notebook number and the figure's place in it */
  readonly id: string;
  readonly notebook: string;
  readonly figure: Figure;
  readonly height?: number;
}

/** A loss that decays to a floor, with optional noise: stands in for a training run's history. */
function decay(name: string, steps: number, start: number, floor: number, rate: number, noise = 0): TrainingSeries {
  return { name, values: Array.from({ length: steps }, (_, t) => floor + (start - floor) * Math.exp(-rate * t) * (1 + noise * Math.sin(7 * t))) };
}

/** Stand-in machine for lab 6's measurements: 20 GFLOP/s at best, 8 GB/s from memory. */
const STAND_IN = { peak: 20e9, bandwidth: 8e9 };

/**
 * A roofline over the notebook's sweep (matmuls 32…512, transposed products at 128, matvecs,
 * additions) with stand-in timings: each operation reaches a fixed share of min(peak, bandwidth · I).
 */
function standInRoofline(): Roofline {
  const point = (label: string, kind: RooflinePoint["kind"], size: number, flops: number, bytes: number, share: number): RooflinePoint => {
    const seconds = flops / (share * Math.min(STAND_IN.peak, STAND_IN.bandwidth * (flops / bytes)));
    return { label, kind, size, flops, bytes, intensity: flops / bytes, seconds, flopsPerSecond: flops / seconds, bytesPerSecond: bytes / seconds };
  };
  const points = [
    ...[32, 64, 128, 256, 512].map((n, i) => point(`matmul ${n}×${n}`, "matmul", n, 2 * n ** 3, 12 * n * n, [0.35, 0.6, 0.8, 0.95, 1][i]!)),
    point("matmul Aᵀ·B 128×128", "matmul-transposed", 128, 2 * 128 ** 3, 12 * 128 * 128, 0.55),
    point("matmul A·Bᵀ 128×128", "matmul-transposed", 128, 2 * 128 ** 3, 12 * 128 * 128, 0.7),
    ...[256, 1024, 2048].map((n, i) => point(`matvec ${n}×${n}`, "matvec", n, 2 * n * n, 4 * (n * n + 2 * n), [0.5, 0.9, 1][i]!)),
    ...[1e4, 1e5, 1e6].map((N, i) => point(`add ${N.toExponential(0)}`, "elementwise", N, N, 12 * N, [0.3, 0.7, 0.85][i]!)),
  ];
  const peakFlops = Math.max(...points.filter((p) => p.kind === "matmul").map((p) => p.flopsPerSecond));
  const bandwidth = Math.max(...points.filter((p) => p.kind !== "matmul" && p.kind !== "matmul-transposed").map((p) => p.bytesPerSecond));
  return { points, peakFlops, bandwidth, ridgeIntensity: peakFlops / bandwidth, backend: "wasm" };
}

/** A profiled training step of the notebook's MLP with stand-in phase times: a fixed overhead plus FLOPs at a share of the peak. */
function standInProfile(batch: number): StepProfile {
  const layerSizes = [128, 256, 256, 128];
  const flops = mlpStepFlops(layerSizes, batch);
  const rate = STAND_IN.peak * Math.min(0.6, 0.04 * Math.sqrt(batch));
  const phases = { forward: 2e-4 + flops.forward / rate, backward: 3e-4 + flops.backward / rate, optimizer: 1.2e-3 };
  const stepSeconds = phases.forward + phases.backward + phases.optimizer;
  return {
    layerSizes, batch, parameters: mlpMatmulParameters(layerSizes), phases, stepSeconds, modelFlops: flops.total,
    achievedFlops: flops.total / stepSeconds, mfu: flops.total / stepSeconds / STAND_IN.peak, backend: "wasm",
  };
}

export async function notebookFigures(): Promise<NotebookFigure[]> {
  await initTensors();
  const out: NotebookFigure[] = [];
  const add = (notebook: string, figure: Figure, height?: number) =>
    out.push({ id: `${notebook}-${out.filter((f) => f.notebook === notebook).length + 1}`, notebook, figure, height });

  // 00: the memory wall, written in the notebook with the library's axis helpers (cell 9)
  const wall = [["BERT-Large (2018)", 0.32e9], ["GPT-2 (2019)", 1.5e9], ["Turing-NLG (2020)", 17.2e9], ["GPT-3 (2020)", 175e9]] as const;
  add("00", {
    data: [
      { type: "bar", name: "model states (16 B/param)", x: wall.map((m) => m[0]), y: wall.map((m) => (m[1] * 16) / 1e9) },
      { type: "scatter", mode: "lines", name: "A100 80GB", x: wall.map((m) => m[0]), y: wall.map(() => 80), line: { dash: "dash" } },
    ],
    layout: {
      title: { text: "The memory wall: model states vs one GPU" },
      xaxis: categoryAxis("model (year)"),
      yaxis: logAxis("memory (GB = 10⁹ bytes)", [...wall.map((m) => (m[1] * 16) / 1e9), 32, 80]),
    },
  });

  // 01: learning rates, paths on the least-squares bowl, per-epoch and per-step losses
  add("01", lossCurvesFigure([decay("too small", 60, 9, 0.25, 0.02), decay("about right", 60, 9, 0.25, 0.8), { name: "divergent", values: Array.from({ length: 60 }, (_, t) => 9 * 1.1 ** (2 * t)) }],
    { xUnit: "step", lossName: "training MSE", lossUnit: "target units²", title: "Gradient descent with three learning rates" }));
  const data = makeLinearRegressionData({ n: 200, d: 2, noiseStd: 0.5, seed: 1 });
  const X = tf.mul(data.X, tf.tensor2d([[1, 3]])) as tf.Tensor2D;
  const bowl = leastSquaresObjective(X, data.y, [-1, 2.5]);
  X.dispose();
  const eta = bowl.maxStableLearningRate;
  add("01", trajectoryFigure(bowl, [
    { name: "η = 0.3 · 2/λ_max", points: optimizeObjective(bowl, sgd({ lr: 0.3 * eta }), 25).points },
    { name: "η = 0.9 · 2/λ_max", points: optimizeObjective(bowl, sgd({ lr: 0.9 * eta }), 25).points },
  ]));
  add("01", lossCurvesFigure([decay("|B| = 200", 8, 3, 0.25, 0.3), decay("|B| = 20", 8, 3, 0.25, 2), decay("|B| = 2", 8, 3, 0.28, 5, 0.3)],
    { lossName: "training MSE after the epoch", lossUnit: "target units²", title: "Loss per epoch (η = 0.022)" }));
  add("01", lossCurvesFigure([decay("|B| = 200", 8, 3, 0.25, 0.3), decay("|B| = 20", 80, 3, 0.25, 0.06), decay("|B| = 2", 200, 3, 0.28, 0.06, 0.3)],
    { xUnit: "step", lossName: "training MSE after the step", lossUnit: "target units²", title: "Loss per step (first 200 steps): the noise of small batches" }));

  // 02: paths on κ = 100, moment bias, losses, Iris, ε placement
  const quad = illConditionedQuadratic({ condition: 100 });
  const gdRun = optimizeObjective(quad, sgd({ lr: 0.019 }), 100);
  const momentumRun = optimizeObjective(quad, momentum({ lr: 0.01, momentum: 0.9 }), 100);
  add("02", trajectoryFigure(quad, [{ name: "GD, η = 0.019", points: gdRun.points.slice(0, 41) }, { name: "momentum, η = 0.01, μ = 0.9", points: momentumRun.points.slice(0, 41) }]));
  add("02", momentBiasFigure({ steps: 50 }));
  const adamRun = optimizeObjective(quad, adam({ lr: 0.3 }), 100);
  add("02", trajectoryFigure(quad, [
    { name: "GD, η = 0.019", points: gdRun.points },
    { name: "momentum, η = 0.01, μ = 0.9", points: momentumRun.points },
    { name: "Adam, α = 0.3", points: adamRun.points },
  ]));
  add("02", lossCurvesFigure([{ name: "GD, η = 0.019", values: gdRun.values }, { name: "momentum, η = 0.01, μ = 0.9", values: momentumRun.values }],
    { xUnit: "step", lossName: "f(w)", lossUnit: "loss units", title: "Ill-conditioned bowl (κ = 100): f after each step" }));
  add("02", lossCurvesFigure([decay("SGD, η = 0.1", 15, 1.1, 0.3, 0.2), decay("Adam, α = 0.01", 15, 1.1, 0.06, 0.4)], { lossName: "training cross-entropy", title: "MLP 4-32-3 on Iris: training loss" }));
  add("02", accuracyCurvesFigure([{ name: "SGD", values: Array.from({ length: 15 }, (_, t) => Math.min(1, 0.3 + 0.05 * t)) }], "MLP 4-32-3 on Iris: test accuracy (30 flowers)"));
  const g = Array.from({ length: 41 }, (_, i) => 10 ** (-8 + i * 0.2));
  add("02", {
    data: [{ type: "scatter", mode: "lines", name: "paper: √v̂ + ε", x: g, y: g.map((v) => v / (v + 1e-8)) }],
    layout: {
      title: { text: "Adam's first step vs gradient size (ε = 1e-8)" },
      xaxis: logAxis("gradient magnitude |g| (loss units per parameter unit, log scale)", g),
      yaxis: linearAxis("first step |Δw| / α (ratio)", { range: [0, 1.05] }),
    },
  });
  add("02", lossCurvesFigure([{ name: "paper: √v̂ + ε", values: Array.from({ length: 200 }, (_, t) => 10 ** (-t / 40)) }, { name: "lecture: √(v̂ + ε)", values: Array.from({ length: 200 }, (_, t) => 1 - t / 400) }],
    { xUnit: "step", lossName: "f(w) / f(w₀)", lossUnit: "ratio", title: "Adam on a loss with tiny gradients (|g| ≈ 1e-6 to 1e-5)" }));

  // 03: data parallelism, the ring, costs, ZeRO, scaling
  add("03", lossCurvesFigure([decay("1 worker × 32 (reference)", 60, 1.1, 0.1, 0.05)], { xUnit: "step", lossName: "mean cross-entropy of the global batch", title: "Data parallelism = large-batch training (Iris, Adam)" }));
  const traced = ringAllReduce(Array.from({ length: 4 }, (_, i) => new Float32Array(8).fill(i + 1)));
  add("03", ringScheduleFigure(traced.trace));
  add("03", ringProgressFigure(traced.trace), 620);
  add("03", allReduceTimeVsBytesFigure(8, [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10], { link: LINK_PRESETS["a100-nvlink3"] }));
  add("03", allReduceTimeVsWorkersFigure(1e9, [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], { link: LINK_PRESETS["slingshot-200g"] }));
  const wide = makeClassificationData({ samples: 512, features: 63, classes: 16, seed: 3 });
  const psi = softmaxRegressionParamCount(wide.features, wide.classes);
  const zeroBars = ([0, 1, 2, 3] as const).map((stage) => ({
    stage,
    measured: zeroMemoryHeld(trainZero(wide, { shardSizes: evenShards(4, 16), optimizer: { kind: "adam", lr: 0.01 }, stage }, 1).workers[0]!),
    formula: zeroFormulaBytes(stage, psi, 4),
  }));
  add("03", zeroMemoryFigure(zeroBars, { unit: "kB", title: `Model-state memory per worker, Ψ = ${psi}, N = 4 (fp32 Adam)` }));
  const common = { cluster: DELTA_A100_CLUSTER, workerCounts: [1, 2, 4, 8, 16, 32, 64, 128, 256], gradientBytes: 3e9, secondsPerSample: (6 * 1.5e9 * 1024) / 125e12 };
  add("03", scalingEfficiencyFigure([
    { name: "weak, 8 per GPU, no overlap", points: scalingCurve({ ...common, mode: "weak", batch: 8 }) },
    { name: "strong, global batch 512, overlapped", points: scalingCurve({ ...common, mode: "strong", batch: 512, buckets: 100, overlap: true }) },
  ], "GPT-2 1.5B data parallelism on Delta 4×A100 nodes (model)"));

  // 04: memory
  const lectureModels = LECTURE_MODEL_NAMES.map((name) => findModel(name));
  add("04", memoryComponentsFigure(lectureModels.slice(0, 3), { memory: { recipe: customRecipe("lecture (yours)", 2, 2, 16) }, gpu: findGpu("a100-80gb") }));
  const gpt3 = findModel("gpt3-175b");
  add("04", zeroMemoryVsDataParallelFigure(gpt3.parameters));
  add("04", activationMemoryVsSeqFigure(gpt3, { tensorParallel: 8, sequenceParallel: true }));
  const deltaGpus = [...new Set(NODE_CATALOG.filter((n) => n.name.startsWith("delta-")).map((n) => n.gpu))];
  add("04", gpuFitMapFigure([...lectureModels, findModel("megatron-22b")], deltaGpus));
  const myModel: ModelSpec = { name: "my-model", displayName: "my model", parameters: 6.7e9, layers: 32, hidden: 4096, heads: 32, vocab: 32000, seq: 4096, source: "test" };
  add("04", memoryComponentsFigure([myModel], {
    gpu: findGpu("a100-40gb"),
    memory: { zeroStage: 1, dataParallel: 4, tensorParallel: 4, pipelineParallel: 1, activations: { seq: 4096, microBatch: 1, layers: 32, hidden: 4096, heads: 32, recompute: "selective", sequenceParallel: true } },
  }));
  const deltaNode = findNode("delta-a100x4");
  const deltaBest = planParallelism(gpt3, deltaNode, { gpus: 1024, globalBatch: 1536 }).plans[0]!;
  add("04", stageMemoryFigure(stageMemories(gpt3, deltaBest.layout, { globalBatch: 1536 }), { gpu: deltaNode.gpu, title: "GPT-3 on 1,024 Delta A100s: memory per GPU by pipeline stage" }));

  // 05: pipelines
  const costs = { forward: 1, backward: 2, weight: 0 };
  add("05", pipelineGanttFigure(simulatePipeline(naiveSchedule(4), costs), { timeUnit: "T_F" }));
  const gpipe = simulatePipeline(gpipeSchedule(4, 8), costs);
  const oneFOneB = simulatePipeline(oneFOneBSchedule(4, 8), costs);
  add("05", pipelineGanttFigure(gpipe, { timeUnit: "T_F" }));
  add("05", pipelineGanttFigure(oneFOneB, { timeUnit: "T_F" }));
  add("05", pipelineMemoryFigure(gpipe, { timeUnit: "T_F" }));
  add("05", pipelineMemoryFigure(oneFOneB, { timeUnit: "T_F" }));
  add("05", pipelineGanttFigure(simulatePipeline(interleavedSchedule(4, 8, 2), costs), { timeUnit: "T_F" }));
  add("05", pipelineGanttFigure(simulatePipeline(zbH1Schedule(4, 8), { forward: 1, backward: 1, weight: 1 }), { timeUnit: "T_F" }));
  add("05", pipelineBubbleFigure(pipelineBubbleSweep({ stages: 8, microbatches: [1, 2, 4, 8, 16, 32, 64, 128, 256], costs: { forward: 1, backward: 1, weight: 1 } })));
  add("05", lossCurvesFigure([decay("1F1B pipeline, 4 stages × 4 micro-batches", 40, 2, 0.01, 0.1), decay("full batch, one device", 40, 2, 0.01, 0.1)],
    { xUnit: "step", lossName: "mean squared error", lossUnit: "target units²", title: "Pipeline training = full-batch training" }));

  // 06: profiling and precision (measured timings replaced by the stand-ins above)
  add("06", rooflineFigure(standInRoofline()));
  const sweep = [1, 4, 16, 64, 128].map(standInProfile);
  add("06", stepPhasesFigure(sweep));
  add("06", mfuVsBatchFigure(sweep, STAND_IN.peak));
  const gpt3Shape = { layers: gpt3.layers, hidden: gpt3.hidden, vocab: gpt3.vocab, seq: gpt3.seq, heads: gpt3.heads, batch: 1 };
  add("06", recomputeTradeoffFigure(recomputeTradeoffs(gpt3Shape, { tensorParallel: 8, sequenceParallel: true }), "GPT-3, t = 8, sequence parallel, b = 1"));
  // the notebook's scaler run: largest gradient 2(1 + ½ sin(t/7)), 64 times that at step 60, and a tiny one
  const scaling = simulateDynamicLossScaling(Array.from({ length: 150 }, (_, t) => [(t === 60 ? 64 : 1) * 2 * (1 + 0.5 * Math.sin(t / 7)), 1e-6]), 2 ** 16, { growthInterval: 20 });
  add("06", lossScaleFigure([{ name: "your lossScalerStep", scales: scaling.scales, skipped: scaling.skipped }]));
  const problem = masterWeightsProblem();
  const precisionRuns = (["fp32", "fp16-weights", "mixed"] as const).map((mode) => trainWithPrecision(problem, mode));
  add("06", lossCurvesFigure(precisionRuns.map((r) => ({ name: r.mode, values: r.losses })),
    { xUnit: "step", lossName: "mean squared error", lossUnit: "target units²", title: "fp16 weights stall; fp32 master weights follow fp32" }));
  return out;
}
