/** Lab 4: memory accounting to the byte, and a parallelism planner. */
export * from "./parameter-count";
export * from "./precision-recipe";
export * from "./model-states";
export * from "./activations";
export * from "./device-memory";
export * from "./model-catalog";
export * from "./gpu-catalog";
export * from "./fit";
export * from "./step-time";
export * from "./stage-memory";
export * from "./planner";
export * from "./plan-table";
export * from "./deepspeed-estimate";
