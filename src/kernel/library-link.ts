/**
 * Making the library importable from notebooks.
 *
 * tslab compiles each cell with TypeScript 5.0's Node-10 module resolution and
 * `rootDir` set to the notebook's folder, so `import "../src/x"` is rejected and a
 * package self-reference is not resolved. What does work is an ordinary package in
 * a `node_modules` folder above the notebook. package.json therefore lists the
 * library as a `file:.` dependency of itself, and npm links
 * `node_modules/ai-efficiency-labs` to this checkout (and keeps the link through
 * later `npm install <pkg>` runs); its package.json points at the compiled
 * `dist/index.js` and its `.d.ts` types. Notebooks then write
 *
 *     import * as lab from "ai-efficiency-labs";
 *
 * and get completion and type errors in the kernel.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The specifier notebooks import the library with. */
export const LIBRARY_SPECIFIER = "ai-efficiency-labs";

/** Repair `<root>/node_modules/ai-efficiency-labs` -> `<root>` if it went missing (`efflab kernel install`); idempotent. */
export function linkLibrary(root: string): string {
  const link = path.join(root, "node_modules", LIBRARY_SPECIFIER);
  let existing: fs.Stats | undefined;
  try {
    existing = fs.lstatSync(link);
  } catch {
    existing = undefined;
  }
  if (existing?.isSymbolicLink() && fs.realpathSync(link) === fs.realpathSync(root)) return link;
  if (existing && !existing.isSymbolicLink()) {
    throw new Error(`${link} exists and is not a link; remove it and run \`npm install\` again.`);
  }
  if (existing) fs.unlinkSync(link);
  fs.mkdirSync(path.dirname(link), { recursive: true });
  // A relative link keeps working if the checkout is moved.
  fs.symlinkSync(path.relative(path.dirname(link), root) || ".", link, "dir");
  return link;
}
