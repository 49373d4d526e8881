/**
 * Link presets for Delta-like nodes (NCSA Delta: 4×A100 SXM4 nodes with NVLink,
 * 4×A40 PCIe nodes, an HPE Slingshot network between nodes).
 *
 * A link is described the way the α-β-γ cost model needs it (cost-model.ts):
 *   α — latency, seconds per message;
 *   1/β — bandwidth, bytes per second in one direction;
 *   1/γ — reduction speed, bytes per second added on the device.
 * Bandwidths are peak figures from the vendors' documents; α is an assumed
 * per-step software + hardware latency of the right order of magnitude (a few
 * microseconds), not a measured Delta number. Reduction speed is the device's
 * memory bandwidth / 3: adding two byte streams reads two bytes and writes one.
 */

/** What the cost model needs to know about a link. */
export interface LinkSpec {
  /** α: seconds per message, independent of its size. */
  readonly latency: number;
  /** 1/β: bytes per second in one direction. */
  readonly bandwidth: number;
  /** 1/γ: bytes per second the receiver can add. @default Infinity (γ = 0: reduction is free) */
  readonly reduceBandwidth?: number;
}

/** A named link with the source of its numbers. */
export interface LinkPreset extends LinkSpec {
  readonly name: LinkPresetName;
  readonly description: string;
  readonly source: string;
}

/** Names of the presets. */
export type LinkPresetName = "a100-nvlink3" | "a40-pcie4" | "slingshot-200g";

/** A100 40 GB HBM2: 1555 GB/s (NVIDIA A100 Tensor Core GPU Architecture whitepaper, 2020, Table 1). */
const A100_MEMORY_BANDWIDTH = 1555e9; // bytes/s
/** A40 GDDR6: 696 GB/s (NVIDIA A40 datasheet, 2020). */
const A40_MEMORY_BANDWIDTH = 696e9; // bytes/s

/** The presets, by name. */
export const LINK_PRESETS: Readonly<Record<LinkPresetName, LinkPreset>> = {
  // NVLink 3: 12 links × 25 GB/s per direction = 300 GB/s per direction,
  // "600 GB/s total" bidirectional per A100 (A100 architecture whitepaper, 2020, "Third-generation NVLink").
  "a100-nvlink3": {
    name: "a100-nvlink3",
    description: "A100 SXM4 to A100 over NVLink 3 inside a node",
    latency: 5e-6,
    bandwidth: 300e9,
    reduceBandwidth: A100_MEMORY_BANDWIDTH / 3,
    source: "NVIDIA A100 Tensor Core GPU Architecture whitepaper (2020): NVLink 3, 600 GB/s bidirectional per GPU",
  },
  // PCIe 4.0 x16: 16 GT/s × 16 lanes × 128/130 encoding / 8 bits = 31.5 GB/s per direction (PCI-SIG PCIe 4.0 base specification).
  "a40-pcie4": {
    name: "a40-pcie4",
    description: "A40 to A40 over PCIe Gen4 x16 inside a node",
    latency: 10e-6,
    bandwidth: (16e9 * 16 * 128) / 130 / 8,
    reduceBandwidth: A40_MEMORY_BANDWIDTH / 3,
    source: "PCI-SIG PCI Express 4.0 base specification: 16 GT/s per lane, 128b/130b encoding; NVIDIA A40 datasheet: PCIe Gen4 x16",
  },
  // HPE Slingshot NIC: 200 Gb/s = 25 GB/s per direction (HPE Slingshot interconnect data sheet; NCSA Delta user guide: Slingshot network).
  "slingshot-200g": {
    name: "slingshot-200g",
    description: "node to node over one HPE Slingshot 200 Gb/s NIC",
    latency: 10e-6,
    bandwidth: 200e9 / 8,
    reduceBandwidth: A100_MEMORY_BANDWIDTH / 3,
    source: "HPE Slingshot interconnect data sheet: 200 Gb/s per port; NCSA Delta documentation (Slingshot between nodes)",
  },
};

/** Every preset name, for menus and CLI choices. */
export const LINK_PRESET_NAMES: readonly LinkPresetName[] = ["a100-nvlink3", "a40-pcie4", "slingshot-200g"];

/** The preset called `name`; throws with the valid names otherwise. */
export function linkPreset(name: string): LinkPreset {
  const found = LINK_PRESET_NAMES.find((p) => p === name);
  if (found === undefined) {
    throw new Error(`Expected preset to be one of ${LINK_PRESET_NAMES.join(", ")}, got "${name}".`);
  }
  return LINK_PRESETS[found];
}
