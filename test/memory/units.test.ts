import { describe, expect, it } from "vitest";
import { BYTES_PER_GIB, formatBytes, formatBytesBoth, parseCount, parseSize } from "../../src/foundation";

describe("parseSize", () => {
  it("reads SI units as powers of ten and IEC units as powers of two", () => {
    // 1 GB = 10^9 B; 512 MiB = 512 · 2^20 = 536,870,912 B (IEC 80000-13)
    expect(parseSize("1GB")).toBe(1_000_000_000);
    expect(parseSize("512MiB")).toBe(536_870_912);
    expect(parseSize("80 GiB")).toBe(85_899_345_920);
    expect(parseSize("2KiB")).toBe(2048);
    expect(parseSize("3kB")).toBe(3000);
  });

  it("reads plain numbers as bytes, including exponent notation", () => {
    expect(parseSize("7.5e9")).toBe(7_500_000_000);
    expect(parseSize("4096")).toBe(4096);
  });

  it("accepts KB as kilobytes and absorbs float noise in decimal sizes", () => {
    expect(parseSize("4KB")).toBe(4000);
    expect(parseSize("1.1GB")).toBe(1_100_000_000);
  });

  it("rejects text that is not a size, naming the input and the accepted units", () => {
    expect(() => parseSize("lots")).toThrow(/"lots".*GiB/);
    expect(() => parseSize("1 GX")).toThrow(/Expected a size/);
    expect(() => parseSize("0.3B")).toThrow(/whole number of bytes/);
    expect(() => parseSize("2kiB")).toThrow(/Expected a size/);
    expect(() => parseSize("-1GB")).toThrow(/non-negative/);
  });

  it("agrees with k · 1000^i and k · 1024^i for every prefix and many k", () => {
    const si = ["B", "kB", "MB", "GB", "TB"];
    const iec = ["B", "KiB", "MiB", "GiB", "TiB"];
    for (let k = 1; k <= 1000; k += 37) {
      si.forEach((u, i) => expect(parseSize(`${k}${u}`)).toBe(k * 1000 ** i));
      iec.forEach((u, i) => expect(parseSize(`${k}${u}`)).toBe(k * 1024 ** i));
    }
  });
});

describe("parseCount", () => {
  it("reads K, M, B, T as thousand, million, billion, trillion", () => {
    expect(parseCount("175B")).toBe(175e9);
    expect(parseCount("1.5M")).toBe(1_500_000);
    expect(parseCount("2K")).toBe(2000);
    expect(parseCount("1T")).toBe(1e12);
    expect(parseCount("7e9")).toBe(7e9);
    expect(parseCount("0.32b")).toBe(320_000_000);
  });

  it("rejects sizes with byte units, naming the accepted suffixes", () => {
    expect(() => parseCount("12GB")).toThrow(/Suffixes: K, M, B, T/);
  });
});

describe("formatBytes", () => {
  it("prints the same byte count in GB and GiB with the unit written out", () => {
    // 80 GiB = 85,899,345,920 B = 85.9 GB
    expect(formatBytes(80 * BYTES_PER_GIB, { unit: "iec" })).toBe("80 GiB");
    expect(formatBytes(80 * BYTES_PER_GIB, { unit: "si", precision: 3 })).toBe("85.9 GB");
    expect(formatBytes(80 * BYTES_PER_GIB)).toBe("85.9 GB");
    expect(formatBytesBoth(1e9, 3)).toBe("1 GB (954 MiB)");
  });

  it("uses a fixed unit when asked", () => {
    expect(formatBytes(2.8e12, { unit: "GB" })).toBe("2800 GB");
    expect(formatBytes(512, { unit: "KiB" })).toBe("0.5 KiB");
  });

  it("round-trips through parseSize for many sizes in both systems", () => {
    for (let e = 0; e < 40; e += 3) {
      const bytes = 2 ** e * 3;
      for (const unit of ["si", "iec"] as const) {
        const text = formatBytes(bytes, { unit, precision: 15 }).replace(" ", "");
        expect(parseSize(text)).toBe(bytes);
      }
    }
  });
});
