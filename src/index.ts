export * from "./tensor";
export * from "./plot/figure";
