/**
 * Kernel → Interrupt on the real tslab kernel (test/kernel/drive_kernel.py sends the
 * same interrupt the Notebook's menu item does). A loop with `lab.checkpoint` stops
 * and the kernel keeps its variables; a synchronous loop is stopped by Node itself.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { KERNEL_NAME } from "../../src/kernel/kernelspec";
import { findNbclientPython } from "../../src/kernel/jupyter-tools";

vi.setConfig({ testTimeout: 300_000 });
const root = path.resolve(__dirname, "..", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-interrupt-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Cell {
  code: string;
  interrupt?: { after_output: string; delay: number };
}
interface CellResult {
  status: "ok" | "error" | "abort" | "timeout";
  stdout: string;
  stderr: string;
  display: string;
  interrupted: boolean;
  seconds: number;
}

function drive(cells: Cell[]): CellResult[] {
  const python = findNbclientPython();
  if (!python) throw new Error("These tests need Jupyter's Python packages: run .ci/run's apt-get step.");
  const script = path.join(work, `script-${Date.now()}.json`);
  fs.writeFileSync(script, JSON.stringify({ kernel: KERNEL_NAME, cwd: root, cells }));
  const run = spawnSync(python, [path.join(__dirname, "drive_kernel.py"), script], { encoding: "utf8", timeout: 280_000 });
  if (run.status !== 0) throw new Error(`drive_kernel.py failed (${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as CellResult[];
}

/** The fixture notebook's cells: the loop a student would stop, and a cell reading its step count. */
function fixtureCells(): string[] {
  const nb = JSON.parse(fs.readFileSync(path.join(root, "test", "fixtures", "notebooks", "long-training.ipynb"), "utf8"));
  return nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code").map((c: { source: string[] }) => c.source.join(""));
}

describe("Kernel → Interrupt", () => {
  it("stops a training loop at its next checkpoint; the kernel keeps its variables and runs the next cells", () => {
    const [importCell, loopCell, readCell] = fixtureCells() as [string, string, string];
    const results = drive([
      { code: importCell },
      { code: loopCell, interrupt: { after_output: "step \\d+", delay: 1 } },
      { code: readCell },
      { code: `await new Promise((r) => setTimeout(r, 1000));\n${readCell}` },
      { code: "console.log(`still here: ${6 * 7}`);" },
    ]);
    expect(results.map((r) => r.status)).toEqual(["ok", "error", "ok", "ok", "ok"]);
    const [, loop, first, second, afterwards] = results as [CellResult, CellResult, CellResult, CellResult, CellResult];
    expect(loop.interrupted).toBe(true);
    expect(loop.status).toBe("error");
    expect(loop.stderr).toMatch(/Interrupted \(Kernel → Interrupt\)\. The loop stopped cleanly/);
    const steps = (r: CellResult) => Number(/steps so far: (\d+)/.exec(r.stdout)?.[1]);
    expect(steps(first)).toBeGreaterThan(1);
    expect(steps(second)).toBe(steps(first)); // the loop is not running on in the background
    expect(afterwards.stdout).toBe("still here: 42\n");
  });

  it("stops a synchronous loop too, and a second interrupt later still works", () => {
    const results = drive([
      { code: 'console.log("spinning"); let spins = 0; while (true) { spins++; }', interrupt: { after_output: "spinning", delay: 1 } },
      { code: 'console.log("after the spin");' },
      {
        code: 'import * as lab from "ai-efficiency-labs";\nconst t = lab.interruptToken();\nconsole.log("looping");\nfor (;;) { await lab.checkpoint(t); }',
        interrupt: { after_output: "looping", delay: 1 },
      },
    ]);
    expect(results.map((r) => r.status)).toEqual(["error", "ok", "error"]);
    const [spin, after, loop] = results as [CellResult, CellResult, CellResult];
    expect(spin.status).toBe("error");
    expect(spin.stderr).toMatch(/Script execution was interrupted by `SIGINT`/);
    expect(after.stdout).toBe("after the spin\n");
    expect(loop.status).toBe("error");
    expect(loop.stderr).toMatch(/The loop stopped cleanly/);
  });
});
