/** Mixed-precision numerics (lab 6): formats from their bits, loss scaling, master weights. */
export * from "./formats";
export * from "./loss-scaler";
export * from "./underflow";
export * from "./master-weights";
