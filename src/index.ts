/**
 * AI Efficiency Labs — the lab library.
 *
 * Notebooks import it as `import * as lab from "ai-efficiency-labs";`.
 * One folder per course unit; each re-exports its public API here.
 */
export * from "./tensor";
export * from "./plot";
export * from "./notebook";
export * from "./memory";
