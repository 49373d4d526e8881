/** Data for the labs: Fisher's Iris (shipped in data/), synthetic problems, seeded splits. */
export * from "./split";
export * from "./iris";
export * from "./synthetic";
export * from "./least-squares";
