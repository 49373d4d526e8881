export * from "./figure";
export * from "./plotly-bundle";
export * from "./show";
export * from "./save";
export * from "./memory";
