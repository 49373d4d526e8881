import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/browser/**", "**/node_modules/**"],
    // Tensor tests on the wasm backend take a few seconds on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
