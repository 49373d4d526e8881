export * from "./kernelspec";
export * from "./library-link";
