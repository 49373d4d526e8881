/**
 * Loading TypeScript modules at grade time (hidden suites, a toy lab's questions).
 *
 * Hidden tests ship as `.ts` source (they are never compiled into the student's
 * library, so they cannot leak through `dist/`). The grader teaches Node's
 * CommonJS loader the `.ts` extension: each file is transpiled in memory with
 * `ts.transpileModule` (no type check: the suites are type-checked by `npm run
 * typecheck`) and nothing is written to disk.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type TypeScript from "typescript";

// Loaded on first use only: a worker given precompiled modules never pays for it.
let typescript: typeof TypeScript | undefined;
function ts(): typeof TypeScript {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  typescript ??= require("typescript") as typeof TypeScript;
  return typescript;
}

interface CompilableModule {
  _compile(code: string, fileName: string): unknown;
}

let registered = false;
/** Transpiled code by absolute file name, prepared by the parent process. */
const precompiled = new Map<string, string>();

/** Transpile one TypeScript source to CommonJS (no type check). */
export function transpileTypeScript(source: string, fileName: string): string {
  const { transpileModule, ModuleKind, ScriptTarget } = ts();
  return transpileModule(source, {
    fileName,
    compilerOptions: { module: ModuleKind.CommonJS, target: ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
  }).outputText;
}

/**
 * Transpile `.ts` entry modules and every `.ts` module they import by relative
 * path, so a worker can load them without loading the TypeScript compiler
 * (which costs about half a second per worker).
 */
export function transpileModuleClosure(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const pending = entries.filter((e) => e.endsWith(".ts")).map((e) => path.resolve(e));
  for (const js of entries.filter((e) => e.endsWith(".js"))) out[path.resolve(js)] = fs.readFileSync(js, "utf8");
  while (pending.length > 0) {
    const fileName = pending.pop()!;
    if (fileName in out) continue;
    const code = transpileTypeScript(fs.readFileSync(fileName, "utf8"), fileName);
    out[fileName] = code;
    for (const match of code.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
      const base = path.resolve(path.dirname(fileName), match[1]!);
      const candidate = [`${base}.ts`, path.join(base, "index.ts")].find((c) => fs.existsSync(c));
      if (candidate !== undefined && !(candidate in out)) pending.push(candidate);
    }
  }
  return out;
}

/** Let `require` use code transpiled elsewhere (see `transpileModuleClosure`), without reading or even finding those files on disk. */
export function usePrecompiledModules(modules: Readonly<Record<string, string>>): void {
  for (const [fileName, code] of Object.entries(modules)) precompiled.set(fileName, code);
  installPrecompiledResolver();
}

/** The precompiled module a request names: an absolute path, or a path relative to its parent, with or without `.ts`/`.js`/`/index.ts`. */
function precompiledTarget(request: string, parentFile: string | undefined): string | undefined {
  let base: string | undefined;
  if (path.isAbsolute(request)) base = request;
  else if (/^\.\.?([/\\]|$)/.test(request) && parentFile !== undefined) base = path.resolve(path.dirname(parentFile), request);
  if (base === undefined) return undefined;
  return [base, `${base}.ts`, `${base}.js`, path.join(base, "index.ts")].find((c) => precompiled.has(c));
}

interface ModuleInternals {
  _resolveFilename(this: unknown, request: string, parent: { filename?: string } | undefined, ...rest: unknown[]): string;
  _extensions: Record<string, (m: CompilableModule, f: string) => void>;
}

let resolverInstalled = false;
/**
 * Resolve and load precompiled modules from memory. The submission's process may
 * not read the grader's hidden suites from disk (Node's permission model), so
 * Node's resolver, which looks at the disk, never sees them.
 */
function installPrecompiledResolver(): void {
  if (resolverInstalled) return;
  resolverInstalled = true;
  registerTypeScriptRequire();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const internals = require("node:module") as ModuleInternals;
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (request, parent, ...rest) {
    return precompiledTarget(request, parent?.filename) ?? resolve.call(this, request, parent, ...rest);
  };
  const loadJs = internals._extensions[".js"]!;
  internals._extensions[".js"] = (module, fileName) => {
    const code = precompiled.get(fileName);
    if (code === undefined) loadJs(module, fileName);
    else module._compile(code, fileName);
  };
}

/** Make `require("x.ts")` work in this process (idempotent). */
export function registerTypeScriptRequire(): void {
  if (registered) return;
  registered = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extensions = (require("node:module") as { _extensions: Record<string, (m: CompilableModule, f: string) => void> })._extensions;
  if (extensions[".ts"] !== undefined) return; // another loader (vitest, ts-node) is in charge
  extensions[".ts"] = (module, fileName) => {
    module._compile(precompiled.get(fileName) ?? transpileTypeScript(fs.readFileSync(fileName, "utf8"), fileName), fileName);
  };
}

/** `require` a `.ts` or `.js` module by absolute path. */
export function requireModule(fileName: string): unknown {
  registerTypeScriptRequire();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(fileName) as unknown;
}
