/**
 * Data parallelism from scratch: collectives over per-worker Float32Array buffers
 * (naive, tree and ring all-reduce; ring reduce-scatter and all-gather) with a
 * trace of every message, the α-β-γ cost model with Delta-like link presets,
 * simulated data-parallel training, ZeRO stages 0–3, and scaling models.
 */
export * from "./trace";
export * from "./chunks";
export * from "./ring";
export * from "./naive";
export * from "./tree";
export * from "./all-reduce";
export * from "./links";
export * from "./cost-model";
export * from "./softmax-regression";
export * from "./classification-rows";
export * from "./replica-optimizer";
export * from "./sharding";
export * from "./data-parallel";
export * from "./equivalence";
export * from "./zero-bytes";
export * from "./zero";
export * from "./scaling";
export * from "./tensor-parallel";
export * from "./tensor-parallel-attention";
