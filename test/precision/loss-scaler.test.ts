import { describe, expect, it } from "vitest";
import { dynamicLossScalerStep, GRAD_SCALER_DEFAULTS, initialLossScalerState, logNormalGradients, masterWeightsProblem, simulateDynamicLossScaling, trainWithPrecision, underflowReport } from "../../src/precision";

describe("dynamic loss scaling (PyTorch GradScaler)", () => {
  it("starts at 2^16 and grows ×2 after 2000 clean steps, as torch/amp/grad_scaler.py's defaults", () => {
    expect(GRAD_SCALER_DEFAULTS).toEqual({ initScale: 65536, growthFactor: 2, backoffFactor: 0.5, growthInterval: 2000 });
    let state = initialLossScalerState();
    for (let t = 0; t < 1999; t++) state = dynamicLossScalerStep(state, [1]).state;
    expect(state).toEqual({ scale: 65536, growthTracker: 1999 });
    state = dynamicLossScalerStep(state, [1]).state;
    expect(state).toEqual({ scale: 131072, growthTracker: 0 });
  });

  it("an overflow skips the step, halves the scale and resets the tracker; clean steps return unscaled gradients", () => {
    const skipped = dynamicLossScalerStep({ scale: 1024, growthTracker: 7 }, [2048, Infinity]);
    expect(skipped).toEqual({ state: { scale: 512, growthTracker: 0 }, skipped: true, gradients: null });
    expect(dynamicLossScalerStep({ scale: 1024, growthTracker: 7 }, [1, NaN]).skipped).toBe(true);
    const clean = dynamicLossScalerStep({ scale: 1024, growthTracker: 2 }, [2048, -512], { growthInterval: 3 });
    expect(clean).toEqual({ state: { scale: 2048, growthTracker: 0 }, skipped: false, gradients: [2, -0.5] });
  });

  it("a simulated run backs off until S·g fits in fp16, then grows again", () => {
    const steps = Array.from({ length: 12 }, () => [1]); // S·1 > 65504 overflows at S = 2^16
    const trace = simulateDynamicLossScaling(steps, 2 ** 16, { growthInterval: 4 });
    expect(trace.scales.slice(0, 6)).toEqual([65536, 32768, 32768, 32768, 32768, 65536]);
    expect(trace.skipped).toEqual([0, 5, 10]);
  });
});

describe("underflow and master weights (Micikevicius et al. 2018)", () => {
  it("loss scaling moves gradients out of fp16's underflow: S = 2^16 keeps almost all of them", () => {
    const g = logNormalGradients(4000);
    const unscaled = underflowReport(g, 1);
    const scaled = underflowReport(g, 2 ** 16);
    expect(unscaled.underflow).toBeGreaterThan(0.3);
    expect(scaled.underflow).toBeLessThan(0.01);
    expect(scaled.underflow + scaled.subnormal + scaled.normal + scaled.overflow).toBeCloseTo(1, 12);
  });

  it("fp16-stored weights stall while fp16 compute with fp32 master weights follows fp32", () => {
    const data = masterWeightsProblem();
    const fp32 = trainWithPrecision(data, "fp32");
    const stored = trainWithPrecision(data, "fp16-weights");
    const mixed = trainWithPrecision(data, "mixed");
    const last = (r: { losses: number[] }): number => r.losses[r.losses.length - 1]!;
    expect(stored.lostUpdates).toBeGreaterThan(100);
    expect(mixed.lostUpdates).toBe(0);
    expect(last(stored)).toBeGreaterThan(5 * last(fp32));
    expect(Math.abs(last(mixed) - last(fp32)) / last(fp32)).toBeLessThan(0.05);
  });
});
