/** Pipeline parallelism: schedules as data, a validator, an event simulator and its metrics. */
export * from "./op";
export * from "./naive";
export * from "./gpipe";
export * from "./one-f-one-b";
export * from "./interleaved";
export * from "./zero-bubble";
export * from "./build-schedule";
export * from "./closed-form";
export * from "./dependencies";
export * from "./validate";
export * from "./simulate";
export * from "./metrics";
export * from "./bubble-sweep";
export * from "./pipeline-training";
