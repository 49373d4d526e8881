/**
 * Proof that a student edition's library holds no callable graded reference.
 *
 * `efflab release` runs this module in a child process (`node stub-probe.js REQUEST`),
 * where it loads the edition's compiled library as a student's notebook would, and calls
 * every stubbed export: a function with no arguments, a class with `new`, then each of
 * its methods, accessors and static methods on a bare instance. Each call must throw the
 * stub's message; a reference of an earlier lab must exist and must not throw it. The
 * child prints one JSON line with every call's outcome; `stubProblems` (in the parent)
 * turns them into problems.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

/** What to call. */
export interface StubProbeRequest {
  /** The edition's compiled library entry (`<edition>/dist/index.js`). */
  readonly library: string;
  /** Exports that must throw `message` on every call. */
  readonly stubbed: readonly { readonly name: string; readonly message: string }[];
  /** Exports that must exist and must not throw a stub's message. */
  readonly kept: readonly string[];
}

/** One call and what came of it. */
export interface StubProbeCall {
  readonly name: string;
  /** As a student would write it: `adamStep()`, `new AdamOptimizer()`, `AdamOptimizer.prototype.step()`. */
  readonly call: string;
  readonly outcome: "threw" | "returned" | "missing" | "not callable";
  readonly message: string;
}

/** The student edition's stub text, whatever the question (see solution-markers.ts). */
export const EDITION_STUB = /^Not implemented in the student edition: this is exercise (\S+) of lab (\d{2})$/;

async function attempt(name: string, call: string, run: () => unknown): Promise<StubProbeCall> {
  try {
    const value = run();
    if (value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function") await value;
    return { name, call, outcome: "returned", message: "" };
  } catch (error) {
    return { name, call, outcome: "threw", message: error instanceof Error ? error.message : String(error) };
  }
}

const isClass = (f: Function): boolean => /^class[\s{]/.test(Function.prototype.toString.call(f));

/** Every way to call export `name` of `library`. */
export async function callEveryWay(library: Readonly<Record<string, unknown>>, name: string): Promise<StubProbeCall[]> {
  const value = library[name];
  if (value === undefined) return [{ name, call: name, outcome: "missing", message: "" }];
  if (typeof value !== "function") return [{ name, call: name, outcome: "not callable", message: typeof value }];
  const f = value as Function & { prototype?: object };
  if (!isClass(f)) return [await attempt(name, `${name}()`, () => (f as (...a: unknown[]) => unknown)())];
  const Class = f as new (...a: unknown[]) => unknown;
  const calls = [await attempt(name, `new ${name}()`, () => new Class())];
  const proto = f.prototype ?? {};
  for (const member of Object.getOwnPropertyNames(proto).filter((m) => m !== "constructor")) {
    const d = Object.getOwnPropertyDescriptor(proto, member)!;
    const bare = (): object => Object.create(proto) as object;
    if (typeof d.value === "function") calls.push(await attempt(name, `${name}.prototype.${member}()`, () => (d.value as Function).call(bare())));
    if (d.get) calls.push(await attempt(name, `${name}.prototype.${member} (get)`, () => d.get!.call(bare())));
    if (d.set) calls.push(await attempt(name, `${name}.prototype.${member} = … (set)`, () => d.set!.call(bare(), undefined)));
  }
  for (const member of Object.getOwnPropertyNames(f).filter((m) => !["length", "name", "prototype"].includes(m))) {
    const d = Object.getOwnPropertyDescriptor(f, member)!;
    if (typeof d.value === "function") calls.push(await attempt(name, `${name}.${member}()`, () => (d.value as Function).call(f)));
  }
  return calls;
}

/** Load the library and call every named export (runs in the child). */
export async function probeLibrary(request: StubProbeRequest): Promise<StubProbeCall[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const library = require(request.library) as Record<string, unknown>;
  const calls: StubProbeCall[] = [];
  for (const name of new Set([...request.stubbed.map((s) => s.name), ...request.kept])) calls.push(...(await callEveryWay(library, name)));
  return calls;
}

/** Problems in a probe's calls: a stubbed export that does not throw its message, a kept one that is missing or stubbed. */
export function stubProblems(request: StubProbeRequest, calls: readonly StubProbeCall[]): string[] {
  const problems: string[] = [];
  for (const { name, message } of request.stubbed) {
    for (const c of calls.filter((x) => x.name === name)) {
      if (c.outcome !== "threw" || c.message !== message) problems.push(`${c.call} ${c.outcome === "threw" ? `threw "${c.message.split("\n")[0]}"` : c.outcome}; expected it to throw "${message}".`);
    }
  }
  for (const name of request.kept.filter((k) => !request.stubbed.some((s) => s.name === k))) {
    for (const c of calls.filter((x) => x.name === name)) {
      if (c.outcome === "missing" || c.outcome === "not callable") problems.push(`${c.call} is ${c.outcome} in the student edition; an earlier lab's reference must be there.`);
      else if (EDITION_STUB.test(c.message)) problems.push(`${c.call} threw "${c.message}", but it is an earlier lab's reference and must work.`);
    }
  }
  return problems;
}

/**
 * Run the probe in a child process (packages from `nodeModules`) and return its calls.
 * Throws when the child cannot load the library.
 */
export function runStubProbe(request: StubProbeRequest, nodeModules: string, timeoutMs = 120_000): StubProbeCall[] {
  const script = __filename.endsWith(".js") ? __filename : path.resolve(__dirname, "..", "..", "dist", "grading", "stub-probe.js");
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, [script, JSON.stringify(request)], {
      env: { ...process.env, NODE_PATH: nodeModules },
      encoding: "utf8",
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim().split("\n").slice(-3).join(" ");
    throw new Error(`Could not load the student edition's library ${request.library} to call its stubs: ${stderr || String(error)}`);
  }
  const line = stdout.trim().split("\n").pop() ?? "";
  return (JSON.parse(line) as { calls: StubProbeCall[] }).calls;
}

if (require.main === module) {
  const request = JSON.parse(process.argv[2] ?? "{}") as StubProbeRequest;
  probeLibrary(request).then(
    (calls) => {
      process.stdout.write(`\n${JSON.stringify({ calls })}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
