/**
 * Optimization (COURSE.md items 1–2): losses with hand-derived gradients, gradient
 * descent, mini-batch SGD, momentum, Adam and AdamW written from scratch.
 */
export * from "./mse";
export * from "./softmax-cross-entropy";
export * from "./optimizer";
export * from "./gradient-descent";
export * from "./sgd";
export * from "./momentum";
export * from "./adam";
export * from "./adamw";
export * from "./compare";
export * from "./trajectory";
