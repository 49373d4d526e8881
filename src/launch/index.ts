/** From plan to a real run: DeepSpeed config, Megatron-LM arguments and a Delta Slurm job for a layout. */
export * from "./launch-plan";
export * from "./deepspeed-config";
export * from "./megatron-args";
export * from "./slurm-script";
export * from "./write-exports";
