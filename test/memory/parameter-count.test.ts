import { describe, expect, it } from "vitest";
import {
  approximateTransformerParameters,
  findModel,
  modelParametersFromShape,
  parametersPerLayer,
  transformerParameters,
} from "../../src/memory";

describe("transformerParameters (Narayanan et al. 2021, Eq. 2)", () => {
  it("counts a tiny transformer by hand", () => {
    // l = 2, h = 4, V = 10, s = 3:
    // 12lh² = 12·2·16 = 384; 13lh = 13·2·4 = 104; (V + s)h = 13·4 = 52; total 540
    expect(transformerParameters({ layers: 2, hidden: 4, vocab: 10, seq: 3 })).toEqual({
      layerMatrices: 384,
      layerVectors: 104,
      embeddings: 52,
      total: 540,
    });
  });

  it("gives GPT-3 174.6B parameters (Narayanan et al. 2021, §5.1 Eq. 2 with l=96, h=12288, V=51200, s=2048)", () => {
    const P = transformerParameters({ layers: 96, hidden: 12288, vocab: 51200, seq: 2048 }).total;
    expect(P).toBe(174_615_822_336);
    expect(Math.round(P / 1e8) / 10).toBe(174.6);
  });

  // Narayanan et al. 2021, Table 1: parameter count (billions), hidden size, layers; V = 51200, s = 2048.
  const table1: readonly (readonly [number, number, number])[] = [
    [1.7, 2304, 24],
    [3.6, 3072, 30],
    [7.5, 4096, 36],
    [18.4, 6144, 40],
    [39.1, 8192, 48],
    [76.1, 10240, 60],
    [145.6, 12288, 80],
    [310.1, 16384, 96],
    [529.6, 20480, 105],
    [1008.0, 25600, 128],
  ];
  it.each(table1)("reproduces Narayanan et al. 2021 Table 1: %sB for h=%s, l=%s", (billions, hidden, layers) => {
    const P = transformerParameters({ layers, hidden, vocab: 51200, seq: 2048 }).total;
    expect(Math.round(P / 1e8) / 10).toBe(billions);
  });

  it("matches the lecture's parameter counts within 5% from the catalog shapes", () => {
    // Lecture table: BERT-Large 0.32B, GPT-2 1.5B, Turing-NLG 17.2B, GPT-3 175B.
    // BERT-Large's shape gives 0.334B (Devlin et al. report 340M), so 5% is the tolerance.
    for (const name of ["bert-large", "gpt2-1.5b", "turing-nlg-17b", "gpt3-175b"]) {
      const model = findModel(name);
      const relative = Math.abs(modelParametersFromShape(model) - model.parameters) / model.parameters;
      expect(relative, name).toBeLessThan(0.05);
    }
  });

  it("approaches 12lh² as h grows, for many shapes", () => {
    for (const layers of [1, 4, 24, 96]) {
      for (const hidden of [64, 512, 4096, 16384]) {
        const exact = transformerParameters({ layers, hidden }).total;
        const approx = approximateTransformerParameters(layers, hidden);
        // Without embeddings, exact / approx = 1 + 13/(12h)
        expect(exact / approx).toBeCloseTo(1 + 13 / (12 * hidden), 12);
        expect(exact).toBe(layers * parametersPerLayer(hidden));
      }
    }
  });

  it("rejects a non-integer layer count with a message naming it", () => {
    expect(() => transformerParameters({ layers: 1.5, hidden: 8 })).toThrow("Expected layers to be an integer >= 1, got 1.5.");
    expect(() => transformerParameters({ layers: 2, hidden: 8, vocab: -1 })).toThrow(/vocab/);
  });
});
