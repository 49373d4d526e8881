/**
 * `npm run bench`: runs every `bench/*.bench.ts` (compiled to build/bench/).
 * Each module exports `run(): Promise<void>` and prints its own figures as
 * ratios against a baseline measured in the same run. Benchmarks are never tests:
 * no timing is asserted anywhere.
 *
 * `npm run bench -- ring` runs only the benchmarks whose file name contains "ring".
 */
import * as fs from "node:fs";
import * as path from "node:path";

async function main(): Promise<void> {
  const filter = process.argv[2] ?? "";
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith(".bench.js") && f.includes(filter))
    .sort();
  if (files.length === 0) {
    console.error(`No benchmark matches "${filter}". Files: bench/*.bench.ts`);
    process.exitCode = 1;
    return;
  }
  for (const file of files) {
    console.log(`\n## ${file.replace(/\.js$/, ".ts")}`);
    const mod = (await import(path.join(__dirname, file))) as { run(): Promise<void> };
    await mod.run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
