import { defineConfig } from "vitest/config";

// Browser tests: real Jupyter servers (JupyterLab 4 and classic Notebook) and headless
// Chromium (test/browser/). Run after the unit tests by `npm test`; one file at a time,
// one server per frontend per file (2-core machines). A first run may install JupyterLab
// into .venv-jupyter/ (about a minute; `.ci/run` does it up front), hence the long hooks.
export default defineConfig({
  test: {
    include: ["test/browser/**/*.browser.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
