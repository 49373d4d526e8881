import { defineConfig } from "vitest/config";

// Two projects, two files at a time (vitest's default on 2 cores is one):
// - "unit": the library's tests, in workers that keep their loaded modules from one test
//   file to the next (isolate: false). Loading tfjs and the library is most of a small
//   file's time; these files share no state they do not set themselves.
// - "grading": the grader, the releases and the graded suites, each file in a fresh
//   process (isolate: true), since the grader keeps process-wide state (precompiled
//   modules, recordings). Their releases are built once and shared (cached-release.ts).
export default defineConfig({
  test: {
    maxWorkers: 2,
    // Tensor tests on the wasm backend take a few seconds on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/browser/**", "test/grading/**", "**/node_modules/**"],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "grading",
          include: ["test/grading/**/*.test.ts"],
          exclude: ["**/node_modules/**"],
          isolate: true,
        },
      },
    ],
  },
});
