import { defineConfig } from "vitest/config";

// Two projects, run one after the other (sequence.groupOrder):
// - "unit": the library's tests, two files at a time (vitest's default on 2 cores is one),
//   in workers that keep their loaded modules from one test file to the next (isolate:
//   false): loading tfjs and the library is most of a small file's time, and these files
//   share no state they do not set themselves.
// - "grading": the grader, the releases and the graded suites, one file at a time (each
//   already grades in two processes; two such files at once starve the fault matrix's
//   time limits) and each in a fresh process (isolate: true), since the grader keeps
//   process-wide state (precompiled modules, recordings). Their releases are built once
//   and shared (cached-release.ts).
export default defineConfig({
  test: {
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
          maxWorkers: 2,
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "grading",
          include: ["test/grading/**/*.test.ts"],
          exclude: ["**/node_modules/**"],
          maxWorkers: 1,
          isolate: true,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
