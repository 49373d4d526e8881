/** `efflab release --out DIR`: student edition, Gradescope bundle and GitHub Classroom workflow. */
import * as path from "node:path";
import { defineCommand } from "../command";
import { buildRelease } from "../../grading/release";
import { UsageError } from "../parse-args";

export const releaseCommand = defineCommand({
  name: "release",
  summary: "build the student edition (solutions stubbed, no hidden tests) and the autograder bundles",
  description:
    "Writes DIR/student (notebooks with each `// BEGIN SOLUTION … // END SOLUTION` block replaced by\n" +
    "`throw new Error(\"Not implemented: <id>\")` and outputs cleared, plus the library and its public tests),\n" +
    "DIR/autograder (Gradescope: setup.sh, run_autograder, source/ with the hidden suites; zip its contents) and\n" +
    "DIR/classroom/.github/workflows/classroom.yml (GitHub Classroom, public tests).\n" +
    "Fails, releasing nothing, if any solution or hidden-test text would reach the student edition.",
  flags: [
    { name: "out", type: "string", required: true, description: "output folder (replaced if it holds an earlier release)", placeholder: "DIR" },
    { name: "notebooks", type: "string", description: "master notebooks (default: notebooks/)", placeholder: "DIR" },
    { name: "hidden", type: "string", description: "hidden suites (default: test/graded/hidden/)", placeholder: "DIR" },
  ],
  examples: ["efflab release --out release", "efflab release --out /tmp/release --json"],
  run(args, io) {
    const out = args.flags.out;
    if (typeof out !== "string" || out === "") throw new UsageError("--out needs a folder for the release, e.g. --out release.");
    // A failure to build is not a usage error: main prints it after "efflab release:" and exits 1.
    const manifest = buildRelease({
      outDir: path.resolve(out),
      notebooksDir: typeof args.flags.notebooks === "string" ? path.resolve(args.flags.notebooks) : undefined,
      hiddenDir: typeof args.flags.hidden === "string" ? path.resolve(args.flags.hidden) : undefined,
    });
    if (args.json) {
      io.out(JSON.stringify(manifest, null, 2));
      return 0;
    }
    const rows: [string, string][] = [
      ["student edition", manifest.studentDir],
      ["Gradescope bundle", `${manifest.autograderDir} (zip its contents: cd autograder && zip -r ../autograder.zip .)`],
      ["GitHub Classroom", path.join(manifest.classroomDir, ".github", "workflows", "classroom.yml")],
      ["notebooks", `${manifest.notebooks.length} (${manifest.notebooks.join(", ")})`],
      ["hidden suites", `${manifest.hiddenFiles.length} (bundle only)`],
      ["leak check", `${manifest.secretsChecked} solution/hidden texts searched, none found in the student edition`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) io.out(`${k.padEnd(width)}  ${v}`);
    return 0;
  },
});
