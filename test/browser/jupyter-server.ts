/**
 * A real Jupyter server for browser tests: JupyterLab 4 (found or installed by the
 * same `ensureJupyterLab` as `npm start`) or Debian's classic Notebook 6, on loopback,
 * with a random token and throw-away config and runtime folders. Notebooks are copied
 * into `.efflab/browser/` inside the checkout so the kernel (started in the notebook's
 * folder) resolves "ai-efficiency-labs" from the checkout's node_modules, and so
 * saving never touches the committed notebooks.
 *
 * `stop()` leaves nothing running: it shuts every kernel down through the server's
 * REST API, asks the server to shut down, waits, and only then signals; it returns
 * the processes that outlived all that (killed, and named so the test fails).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { ensureJupyterLab } from "../../src/kernel/jupyterlab";
import { alive, describeProcess, descendants, processesIn } from "./processes";

export const ROOT = path.resolve(__dirname, "..", "..");

export type JupyterApp = "lab" | "notebook";

export interface JupyterServer {
  readonly app: JupyterApp;
  readonly url: string;
  readonly token: string;
  /** Folder served as the notebook root (copies of the notebooks live here). */
  readonly dir: string;
  /** URL that opens a notebook (a path relative to `dir`); in JupyterLab, in a fresh workspace. */
  notebookUrl(relative: string): string;
  /** Call the server's REST API (`/api/...`) with the token. */
  api(method: string, route: string): Promise<unknown>;
  /** Shut every kernel down through the server, as the Kernel menu's Shut Down does. */
  shutdownKernels(): Promise<void>;
  /** Stop everything; resolves to the processes that had to be killed (should be none). */
  stop(): Promise<string[]>;
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(test: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (test()) return true;
    await sleep(100);
  }
  return test();
}

/** The command line that serves `dir` with `app`. */
async function serverCommand(app: JupyterApp, dir: string, port: number, token: string, scratch: string): Promise<string[]> {
  const common = ["--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--allow-root"];
  if (app === "notebook") {
    return ["/usr/bin/python3", "-m", "notebook", ...common, `--NotebookApp.token=${token}`, `--notebook-dir=${dir}`];
  }
  const { jupyter } = await ensureJupyterLab(ROOT, (line) => console.log(line));
  // Nothing from the network: no news or update checks (they would only fail offline).
  const labconfig = path.join(scratch, "config", "labconfig");
  fs.mkdirSync(labconfig, { recursive: true });
  fs.writeFileSync(
    path.join(labconfig, "page_config.json"),
    JSON.stringify({ disabledExtensions: { "@jupyterlab/apputils-extension:announcements": true } }),
  );
  return [
    jupyter,
    "lab",
    ...common,
    `--IdentityProvider.token=${token}`,
    `--ServerApp.root_dir=${dir}`,
    // window.jupyterapp, so tests can read the notebook's model (what the menus did)
    "--LabApp.expose_app_in_browser=True",
  ];
}

/**
 * A notebook to serve: an absolute path (copied to the served folder's top), or a file and
 * the relative path of its copy, with a `node_modules` to link beside it so the kernel
 * resolves "ai-efficiency-labs" from there (a student edition's library).
 */
export type ServedNotebook = string | { readonly file: string; readonly as: string; readonly nodeModules?: string };

/** Start a server (`app`) serving copies of `notebooks`. */
export async function startJupyter(notebooks: readonly ServedNotebook[], app: JupyterApp = "notebook"): Promise<JupyterServer> {
  const dir = path.join(ROOT, ".efflab", "browser", randomBytes(4).toString("hex"));
  fs.mkdirSync(dir, { recursive: true });
  for (const notebook of notebooks) {
    const { file, as, nodeModules } = typeof notebook === "string" ? { file: notebook, as: path.basename(notebook), nodeModules: undefined } : notebook;
    const copy = path.join(dir, as);
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.copyFileSync(file, copy);
    const link = path.join(path.dirname(copy), "node_modules");
    if (nodeModules !== undefined && !fs.existsSync(link)) fs.symlinkSync(nodeModules, link);
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "efflab-jupyter-"));
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: path.join(scratch, "config"),
    JUPYTER_RUNTIME_DIR: path.join(scratch, "runtime"),
    IPYTHONDIR: path.join(scratch, "ipython"),
  };
  const [command, ...args] = await serverCommand(app, dir, port, token, scratch);
  const child: ChildProcess = spawn(command!, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const api = async (method: string, route: string): Promise<unknown> => {
    const response = await fetch(`${url}${route}`, { method, headers: { Authorization: `token ${token}` } });
    if (!response.ok) throw new Error(`${method} ${route}: HTTP ${response.status}`);
    const text = await response.text();
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/api/status?token=${token}`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Jupyter (${app}) did not start (exit ${child.exitCode}):\n${log.slice(-2000)}`);
    }
    await sleep(250);
  }
  const shutdownKernels = async (): Promise<void> => {
    for (const session of (await api("GET", "/api/sessions")) as { id: string }[]) await api("DELETE", `/api/sessions/${session.id}`);
    for (const kernel of (await api("GET", "/api/kernels")) as { id: string }[]) await api("DELETE", `/api/kernels/${kernel.id}`);
  };
  return {
    app,
    url,
    token,
    dir,
    notebookUrl: (relative) =>
      app === "lab"
        ? `${url}/lab/workspaces/t${randomBytes(4).toString("hex")}/tree/${relative}?reset&token=${token}`
        : `${url}/notebooks/${relative}?token=${token}`,
    api,
    shutdownKernels,
    async stop() {
      const started = child.pid === undefined ? [] : descendants(child.pid);
      try {
        await shutdownKernels();
        await api("POST", "/api/shutdown");
      } catch {
        // the server may already be gone; the signals below still run
      }
      if (!(await waitFor(() => child.exitCode !== null || child.signalCode !== null, 15_000))) {
        child.kill("SIGTERM");
        if (!(await waitFor(() => child.exitCode !== null || child.signalCode !== null, 10_000))) child.kill("SIGKILL");
      }
      // Whatever the server started, and anything still working in the served folder.
      const survivors = [...new Set([...started, ...processesIn(dir)])].filter(alive);
      const report = survivors.map(describeProcess);
      for (const pid of survivors) process.kill(pid, "SIGKILL");
      fs.rmSync(scratch, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
      return report;
    },
  };
}
