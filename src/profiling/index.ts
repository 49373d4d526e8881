/** FLOPs accounting, timing, the measured roofline and the profile of a training step (lab 6). */
export * from "./flops";
export * from "./timing";
export * from "./roofline";
export * from "./step-profile";
export * from "./recompute";
