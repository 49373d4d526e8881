/**
 * A real Jupyter server for browser tests: classic Notebook (or JupyterLab when
 * installed), on loopback, with a random token and throw-away config and runtime
 * folders. Notebooks are copied into `.efflab/browser/` inside the checkout so the
 * kernel (started in the notebook's folder) resolves "ai-efficiency-labs" from the
 * checkout's node_modules, and so saving never touches the committed notebooks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface JupyterServer {
  readonly url: string;
  readonly token: string;
  /** Folder served as the notebook root (copies of the notebooks live here). */
  readonly dir: string;
  /** URL that opens a notebook (a path relative to `dir`). */
  notebookUrl(relative: string): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Start classic Notebook serving copies of `notebooks` (absolute paths). */
export async function startJupyter(notebooks: readonly string[]): Promise<JupyterServer> {
  const dir = path.join(ROOT, ".efflab", "browser", randomBytes(4).toString("hex"));
  fs.mkdirSync(dir, { recursive: true });
  for (const notebook of notebooks) fs.copyFileSync(notebook, path.join(dir, path.basename(notebook)));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-jupyter-"));
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: path.join(scratch, "config"),
    JUPYTER_RUNTIME_DIR: path.join(scratch, "runtime"),
    IPYTHONDIR: path.join(scratch, "ipython"),
  };
  const child: ChildProcess = spawn(
    "/usr/bin/python3",
    [
      "-m",
      "notebook",
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${dir}`,
      "--NotebookApp.disable_check_xsrf=False",
      "--allow-root",
    ],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/api/status?token=${token}`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Jupyter did not start (exit ${child.exitCode}):\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    token,
    dir,
    notebookUrl: (relative) => `${url}/notebooks/${relative}?token=${token}`,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 500));
      if (child.exitCode === null) child.kill("SIGKILL");
      fs.rmSync(scratch, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
