/** `efflab release [--lab NN] --out DIR`: one lab's student edition, Gradescope bundle and GitHub Classroom workflow. */
import * as path from "node:path";
import { defineCommand } from "../command";
import { buildRelease } from "../../grading/release";
import { UsageError } from "../parse-args";

export const releaseCommand = defineCommand({
  name: "release",
  summary: "build one lab's student edition (solutions stubbed, no hidden tests) and its autograder bundles",
  description:
    "Releases lab NN (default: the last lab). Writes DIR/student: notebooks 00..NN with each\n" +
    "`// BEGIN SOLUTION … // END SOLUTION` block replaced by `throw new Error(\"Not implemented: <id>\")` and\n" +
    "outputs cleared (no later notebook), and the library with the reference solutions of lab NN and later\n" +
    "labs stubbed in src/ and in dist/, compiled from that src/ (\"Not implemented in the student edition: this is\n" +
    "exercise <id> of lab NN\"); earlier labs' references keep working. DIR/autograder (Gradescope: setup.sh,\n" +
    "run_autograder grading lab NN, source/ with lab NN's hidden suites; zip its contents) and\n" +
    "DIR/classroom/.github/workflows/classroom.yml (GitHub Classroom, lab NN's public tests).\n" +
    "Fails, releasing nothing usable, if any solution, removed library body or hidden-test text would reach the\n" +
    "student edition, or if a stubbed reference can still be called.",
  flags: [
    { name: "lab", type: "integer", min: 0, max: 99, description: "the lab to release, by its notebook's number (default: the last lab)", placeholder: "NN" },
    { name: "out", type: "string", required: true, description: "output folder (replaced if it holds an earlier release)", placeholder: "DIR" },
    { name: "notebooks", type: "string", description: "master notebooks (default: notebooks/)", placeholder: "DIR" },
    { name: "hidden", type: "string", description: "hidden suites (default: test/graded/hidden/)", placeholder: "DIR" },
  ],
  examples: ["efflab release --lab 02 --out release-02", "efflab release --out release", "efflab release --lab 3 --out /tmp/release --json"],
  run(args, io) {
    const out = args.flags.out;
    if (typeof out !== "string" || out === "") throw new UsageError("--out needs a folder for the release, e.g. --out release.");
    // A failure to build is not a usage error: main prints it after "efflab release:" and exits 1.
    const manifest = buildRelease({
      outDir: path.resolve(out),
      lab: typeof args.flags.lab === "number" ? args.flags.lab : undefined,
      notebooksDir: typeof args.flags.notebooks === "string" ? path.resolve(args.flags.notebooks) : undefined,
      hiddenDir: typeof args.flags.hidden === "string" ? path.resolve(args.flags.hidden) : undefined,
    });
    if (args.json) {
      io.out(JSON.stringify(manifest, null, 2));
      return 0;
    }
    const lab = String(manifest.lab).padStart(2, "0");
    const rows: [string, string][] = [
      ["lab", lab],
      ["student edition", manifest.studentDir],
      ["Gradescope bundle", `${manifest.autograderDir} (zip its contents: cd autograder && zip -r ../autograder.zip .)`],
      ["GitHub Classroom", path.join(manifest.classroomDir, ".github", "workflows", "classroom.yml")],
      ["notebooks", `${manifest.notebooks.length} (${manifest.notebooks.join(", ")})`],
      ["hidden suites", `${manifest.hiddenFiles.length} of lab ${lab} (bundle only)`],
      ["stubbed references", manifest.stubbed.length === 0 ? "none" : `${manifest.stubbed.length} of lab ${lab} and later (${manifest.stubbed.map((s) => s.name).join(", ")})`],
      ["leak check", `${manifest.secretsChecked} solution/hidden/library texts searched, none found; ${manifest.stubCalls} calls of stubs each threw "Not implemented"`],
    ];
    for (const cell of manifest.cellsCallingStubs) rows.push(["warning", `${cell} (stubbed here: it stops Run All)`]);
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) io.out(`${k.padEnd(width)}  ${v}`);
    return 0;
  },
});
