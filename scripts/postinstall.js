#!/usr/bin/env node
// Runs after `npm install`: build the library and register the Jupyter kernel.
// (npm itself links node_modules/ai-efficiency-labs to the checkout: package.json
// lists the library as a `file:.` dependency of itself.) Each step explains itself when it fails.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");

function step(title, fn) {
  try {
    fn();
  } catch (error) {
    console.error(`efflab postinstall: ${title} failed: ${error.message}`);
    console.error("  Fix the problem above, then run `npm install` again.");
    process.exitCode = 1;
  }
}

// 1. Compile src/ to dist/ (JavaScript + .d.ts), which notebooks and the CLI load.
step("building the library (tsc)", () => {
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  try {
    execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit", cwd: root });
  } catch (error) {
    // tsc still writes dist/ when it reports type errors; a student's install should not
    // fail over them (`npm test` type-checks strictly). Fail only if nothing was built.
    if (!fs.existsSync(path.join(root, "dist", "index.js"))) throw error;
    console.warn("efflab postinstall: the library built with type errors (above); `npm test` will report them.");
  }
});

// 2. The per-user kernelspec "TypeScript (AI Efficiency Labs)", with absolute paths.
if (process.env.EFFLAB_SKIP_KERNEL_INSTALL) {
  console.log("efflab postinstall: EFFLAB_SKIP_KERNEL_INSTALL is set, not registering the kernel.");
} else {
  step("registering the Jupyter kernel", () => {
    const { installKernel } = require(path.join(root, "dist", "kernel", "kernelspec.js"));
    const spec = installKernel({ root });
    console.log(`efflab: kernel "${spec.displayName}" registered in ${spec.dir}`);
  });
}
