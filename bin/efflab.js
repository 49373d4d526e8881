#!/usr/bin/env node
"use strict";
// The efflab command. The library is compiled to dist/ by `npm install` (or `npm run build`).
const path = require("node:path");
let cli;
try {
  cli = require(path.join(__dirname, "..", "dist", "cli", "main.js"));
} catch (error) {
  console.error(`efflab: the library is not built (${error.message.split("\n")[0]}).`);
  console.error("Run `npm install` (or `npm run build`) in the workbook folder, then try again.");
  process.exit(1);
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
