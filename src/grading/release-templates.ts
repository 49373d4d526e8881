/**
 * Files of the autograder bundle and the GitHub Classroom workflow, as text.
 *
 * Gradescope (https://gradescope-autograders.readthedocs.io/en/latest/specs/): the
 * bundle's zip holds `setup.sh` (run once while the image is built, as root, on
 * Ubuntu) and `run_autograder` (run per submission; the submission is in
 * `/autograder/submission/`, the bundle in `/autograder/source/`, and the result
 * must be written to `/autograder/results/results.json`).
 */

/** `setup.sh`: Node 20 and the library with its grader (TypeScript is needed at grade time). */
export const GRADESCOPE_SETUP_SH = `#!/usr/bin/env bash
# Gradescope image setup for AI Efficiency Labs: Node 20 and the lab library.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y ca-certificates curl gnupg
curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
apt-get install -y nodejs
cd /autograder/source
# Full install: the grader type-checks answers with the typescript package.
npm ci --no-audit --no-fund
npm run build
`;

/**
 * `run_autograder`: grade the submitted notebook with public and hidden tests. `labFlag`
 * (e.g. `--lab adam`, for a per-lab bundle) limits grading to that lab's questions;
 * `hiddenDir` is the hidden suites' folder in the bundle's source.
 */
export function gradescopeRunAutograder(labFlag = "", hiddenDir = "test/graded/hidden"): string {
  return `#!/usr/bin/env bash
# Grades /autograder/submission/*.ipynb and writes /autograder/results/results.json.
set -uo pipefail
cd /autograder/source
mkdir -p /autograder/results
shopt -s nullglob
notebooks=(/autograder/submission/*.ipynb)
if [ \${#notebooks[@]} -eq 0 ]; then
  cat > /autograder/results/results.json <<'JSON'
{"score": 0, "execution_time": 0, "visibility": "visible", "output": "No .ipynb file was submitted. Upload your lab notebook (File > Download in JupyterLab).", "tests": []}
JSON
  exit 0
fi
# One submission per run: grade the first notebook (Gradescope keeps the upload's file names).
node bin/efflab.js grade "\${notebooks[0]}" --out /autograder/results/graded${labFlag === "" ? "" : ` ${labFlag}`} \\
  --hidden /autograder/source/${hiddenDir} --hidden-visibility "\${HIDDEN_VISIBILITY:-after_published}" --jobs 1
result=$(find /autograder/results/graded -name results.json | head -n 1)
if [ -z "$result" ]; then
  echo '{"score": 0, "execution_time": 0, "visibility": "visible", "output": "The grader could not run; please tell the course staff.", "tests": []}' > /autograder/results/results.json
  exit 0
fi
cp "$result" /autograder/results/results.json
`;
}

/** `run_autograder` of a bundle for every lab. */
export const GRADESCOPE_RUN_AUTOGRADER = gradescopeRunAutograder();

/**
 * GitHub Classroom / Actions workflow: public tests on every push. `notebooks` is the
 * glob graded (one lab's notebook for a per-lab assignment); `labFlag` as for Gradescope.
 */
export function classroomWorkflow(notebooks = "notebooks/*.ipynb", labFlag = ""): string {
  return `# GitHub Classroom autograding for AI Efficiency Labs.
# Runs the public tests of every answer cell on each push and shows the score in the
# job summary. Hidden tests are not in the student repository: grade them with the
# Gradescope bundle (autograder/) or from a private instructor repository.
name: Autograding
on:
  push:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci --no-audit --no-fund
      - run: npm run build
      - name: Grade the notebooks (public tests)
        run: node bin/efflab.js grade ${notebooks} --out grading-results --jobs 2${labFlag === "" ? "" : ` ${labFlag}`} --hidden .no-hidden-tests
      - name: Score summary
        if: always()
        run: |
          echo "## Public tests" >> "$GITHUB_STEP_SUMMARY"
          echo '\`\`\`' >> "$GITHUB_STEP_SUMMARY"
          cat grading-results/summary.csv >> "$GITHUB_STEP_SUMMARY"
          echo '\`\`\`' >> "$GITHUB_STEP_SUMMARY"
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: grading-results
          path: grading-results/
`;
}

/** The workflow of an assignment covering every lab. */
export const CLASSROOM_WORKFLOW_YML = classroomWorkflow();
