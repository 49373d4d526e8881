import { beforeAll, describe, expect, it } from "vitest";
import { initTensors, tf } from "../../src/tensor";
import { adam, momentum, optimizeObjective, sgd } from "../../src/optim";
import { illConditionedQuadratic, rosenbrock } from "../../src/datasets";

beforeAll(async () => {
  await initTensors();
});

describe("optimizer trajectories on 2-D objectives", () => {
  it("GD on the quadratic follows w_t = (1 − ηλ)^t w_0 in each coordinate, worked by hand", () => {
    // f = ½(x² + 10 y²), η = 0.1: x shrinks by 0.9 per step, y by (1 − 0.1·10) = 0 (one step to the axis)
    const f = illConditionedQuadratic({ condition: 10 });
    const { points } = optimizeObjective(f, sgd({ lr: 0.1 }), 3, [-4, 1]);
    expect(points[1]![0]).toBeCloseTo(-3.6, 5);
    expect(points[1]![1]).toBeCloseTo(0, 6);
    expect(points[3]![0]).toBeCloseTo(-4 * 0.9 ** 3, 5);
  });

  it("GD converges below η = 2/(κλ1) and diverges above it, for many condition numbers", () => {
    // Nocedal & Wright 2006, §3.3: on a quadratic GD is stable iff |1 − η λ_max| < 1
    for (const kappa of [2, 10, 50, 200]) {
      const f = illConditionedQuadratic({ condition: kappa });
      const stable = optimizeObjective(f, sgd({ lr: 1.9 / kappa }), 400);
      const unstable = optimizeObjective(f, sgd({ lr: 2.1 / kappa }), 100);
      expect(stable.values[400]!).toBeLessThan(stable.values[0]!);
      expect(unstable.values[100]!).toBeGreaterThan(unstable.values[0]!);
    }
  });

  it("on an ill-conditioned bowl (κ = 100) momentum and Adam get closer to the minimum than GD in 100 steps", () => {
    const f = illConditionedQuadratic({ condition: 100 });
    const gd = optimizeObjective(f, sgd({ lr: 0.019 }), 100).values[100]!;
    const heavyBall = optimizeObjective(f, momentum({ lr: 0.019, momentum: 0.9 }), 100).values[100]!;
    const adaptive = optimizeObjective(f, adam({ lr: 0.3 }), 100).values[100]!;
    expect(heavyBall).toBeLessThan(gd);
    expect(adaptive).toBeLessThan(gd);
  });

  it("Adam makes progress along Rosenbrock's valley and leaks no tensors", () => {
    const f = rosenbrock();
    const opt = adam({ lr: 0.05 });
    const before = tf.memory().numTensors;
    const { values, points } = optimizeObjective(f, opt, 300);
    opt.reset(); // the optimizer's own state (m, v) is its to free
    expect(tf.memory().numTensors).toBe(before);
    expect(points.length).toBe(301);
    // f(−1.5, 2) = 6.25 + 100·(2 − 2.25)² = 12.5 at the start
    expect(values[0]!).toBeCloseTo(12.5, 10);
    expect(values[300]!).toBeLessThan(values[0]! / 5);
  });
});
