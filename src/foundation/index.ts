/**
 * The ground floor: what every unit may import, and which imports none of them.
 * Units and sizes, seeded randomness, text tables and shared types are public;
 * the argument checks (`./validate`) and `assertNever` are for the library's own use.
 */
export * from "./units";
export * from "./random";
export { formatTextTable, groupDigits } from "./text-table";
export type { Objective2D } from "./objective";
