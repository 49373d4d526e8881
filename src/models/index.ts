/** Models small enough to read: linear and softmax regression, a 2-layer MLP, and the training loop. */
export * from "./model";
export * from "./linear-regression";
export * from "./softmax-regression";
export * from "./mlp";
export * from "./train";
export * from "./tfjs-comparison";
export * from "./adam-against-tfjs";
