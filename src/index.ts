/**
 * AI Efficiency Labs — the lab library.
 *
 * Notebooks import it as `import * as lab from "ai-efficiency-labs";`.
 * One folder per course unit; each re-exports its public API here.
 */
export * from "./foundation";
export * from "./tensor";
export * from "./plot";
export * from "./notebook";
export * from "./memory";
export * from "./optim";
export * from "./models";
export * from "./datasets";
export * from "./parallel";
export { check, checkAll, runCheck, runCheckAll } from "./grading/check";
export type { CheckReport, CheckOptions, CheckAllOptions } from "./grading/check";
export { answerGuard } from "./grading/answer-guard";
export type { AnswerGuard, AnswerGuardOptions } from "./grading/answer-guard";
export * from "./pipeline";
export * from "./profiling";
export * from "./precision";
export * from "./launch";
