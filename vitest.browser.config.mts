import { defineConfig } from "vitest/config";

// Browser tests: a real Jupyter server and headless Chromium (test/browser/).
// Run after the unit tests by `npm test`; one notebook at a time (2-core machines).
export default defineConfig({
  test: {
    include: ["test/browser/**/*.browser.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
