/**
 * Detecting tampering with built-ins and with the library.
 *
 * An answer cell runs in the same JavaScript realm as the tests that grade it, so
 * it could replace `Math.random`, add to `Array.prototype`, define a global
 * `expect` that always passes, or patch what the grader's references are built
 * from (a method of `tf.Tensor.prototype`, a kernel of the tensor backend, a
 * library module's export). Each question runs in its own worker, so tampering can
 * only affect the question that did it; the grader snapshots all of these before
 * the answer runs, compares after every test, and gives the question 0 with a
 * message naming what was changed.
 */

/** Built-in objects whose own properties are watched, by the name shown in messages. */
function watchedObjects(): ReadonlyArray<readonly [string, object]> {
  return [
    ["globalThis", globalThis],
    ["Math", Math],
    ["JSON", JSON],
    ["Object", Object],
    ["Object.prototype", Object.prototype],
    ["Array", Array],
    ["Array.prototype", Array.prototype],
    ["Function.prototype", Function.prototype],
    ["Number", Number],
    ["Number.prototype", Number.prototype],
    ["String.prototype", String.prototype],
    ["Promise", Promise],
    ["Promise.prototype", Promise.prototype],
    ["Reflect", Reflect],
    ["Float32Array.prototype", Float32Array.prototype],
    ["Float64Array.prototype", Float64Array.prototype],
    ["Error", Error],
    ["Error.prototype", Error.prototype],
  ];
}

/** Globals test frameworks define; an answer that creates one is trying to fake a pass. */
const FRAMEWORK_GLOBALS: readonly string[] = ["expect", "test", "it", "describe", "assert", "vi", "vitest", "jest"];

/** Standard globals that must not be replaced wholesale. */
const STANDARD_GLOBALS: readonly string[] = ["Math", "JSON", "Object", "Array", "Function", "Number", "String", "Promise", "Reflect", "Error", "Float32Array", "Float64Array", "Date", "setTimeout", "structuredClone"];

/** More objects to watch (label, object), and probes that list further values by name. */
export interface WatchedExtras {
  readonly objects?: ReadonlyArray<readonly [string, object]>;
  readonly probes?: ReadonlyArray<() => Iterable<readonly [string, unknown]>>;
}

/** A snapshot of the watched properties: "Math.random" -> the function it held. */
export interface IntrinsicsSnapshot {
  readonly extras: WatchedExtras;
  readonly values: ReadonlyMap<string, unknown>;
}

/** Record every watched property (value or accessor) as it is now. */
export function snapshotIntrinsics(extras: WatchedExtras = {}): IntrinsicsSnapshot {
  const snapshot = new Map<string, unknown>();
  for (const [label, object] of [...watchedObjects(), ...(extras.objects ?? [])]) {
    for (const key of Reflect.ownKeys(object)) {
      if (typeof key === "symbol") continue;
      if (label === "globalThis" && !FRAMEWORK_GLOBALS.includes(key) && !STANDARD_GLOBALS.includes(key)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(object, key);
      if (descriptor === undefined) continue;
      snapshot.set(`${label}.${key}`, descriptor.get ?? descriptor.set ?? descriptor.value);
    }
  }
  for (const probe of extras.probes ?? []) for (const [name, value] of probe()) snapshot.set(name, value);
  return { extras, values: snapshot };
}

/**
 * Names of built-ins that differ from `before`: replaced, deleted, or added
 * (new properties on prototypes, new test-framework globals).
 */
export function tamperedIntrinsics(before: IntrinsicsSnapshot): string[] {
  const changed: string[] = [];
  const after = snapshotIntrinsics(before.extras).values;
  for (const [name, value] of before.values) {
    if (!after.has(name)) changed.push(`${name} (deleted)`);
    else if (!Object.is(after.get(name), value)) changed.push(name);
  }
  for (const name of after.keys()) {
    if (!before.values.has(name)) changed.push(`${name} (added)`);
  }
  return changed;
}

/**
 * The student's message for changed names: "changed built-in Math.random" or
 * "changed the library: optim/adam.js.adamBiasCorrection", the first three named.
 */
export function tamperingMessage(changed: readonly string[]): string {
  const builtIn = new Set(watchedObjects().map(([label]) => label));
  const isBuiltIn = (name: string): boolean => builtIn.has(name.replace(/\.[^.]*( \((added|deleted)\))?$/, ""));
  const shown = `${changed.slice(0, 3).join(", ")}${changed.length > 3 ? ", …" : ""}`;
  const what = changed.every(isBuiltIn) ? `built-in ${shown}` : `the grader's library (${shown})`;
  return `The answer changed ${what}; answers must not modify globals or the library, so this question scores 0.`;
}

/** True for a function that is a class (by the convention of a capitalised name): its prototype holds methods. */
function isClassLike(value: unknown): value is { prototype: object } {
  return typeof value === "function" && /^[A-Z]/.test((value as { name?: string }).name ?? "") && typeof (value as { prototype?: unknown }).prototype === "object";
}

/**
 * The prototypes of the classes an object holds (`Tensor.prototype`), as (label,
 * object) pairs. Plain functions are not watched: an answer that adds a property to
 * one changes no verdict, and watching the thousand functions of tf would make every
 * comparison slow.
 */
function classPrototypes(label: string, object: object): Array<readonly [string, object]> {
  const out: Array<readonly [string, object]> = [];
  for (const key of Object.getOwnPropertyNames(object)) {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    const value: unknown = descriptor && "value" in descriptor ? descriptor.value : descriptor?.get?.call(object);
    if (isClassLike(value)) out.push([`${label}.${key}.prototype`, value.prototype]);
  }
  return out;
}

/** The loaded modules under `root` (not its node_modules): their exports, functions and prototypes. */
export function libraryModuleObjects(moduleCache: Readonly<Record<string, { exports?: unknown } | undefined>>, root: string): Array<readonly [string, object]> {
  const out: Array<readonly [string, object]> = [];
  for (const [fileName, module] of Object.entries(moduleCache)) {
    if (!fileName.startsWith(root) || /[/\\]node_modules[/\\]/.test(fileName)) continue;
    const exports = module?.exports;
    if (typeof exports !== "object" || exports === null) continue;
    const label = fileName.slice(root.length).replace(/^[/\\]/, "");
    out.push([label, exports], ...classPrototypes(label, exports));
  }
  return out;
}

/** The TensorFlow.js namespace: its members, its classes' prototypes (`Tensor`), its nested namespaces (`tf.util`). */
export function tensorFlowObjects(tf: object): Array<readonly [string, object]> {
  const out: Array<readonly [string, object]> = [["tf", tf], ...classPrototypes("tf", tf)];
  for (const key of Object.getOwnPropertyNames(tf)) {
    const value: unknown = Reflect.get(tf, key);
    if (typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value)) out.push([`tf.${key}`, value]);
  }
  return out;
}

/** The kernels of the active backend, by name: replacing one changes what every tf op computes. */
export function tensorKernelProbe(tf: { getBackend(): string; getKernelsForBackend(name: string): ReadonlyArray<{ kernelName: string; kernelFunc: unknown }> }): () => Iterable<readonly [string, unknown]> {
  return () => {
    const backend = tf.getBackend();
    return [["tf backend", backend] as const, ...tf.getKernelsForBackend(backend).map((k) => [`tf kernel ${k.kernelName}`, k.kernelFunc] as const)];
  };
}
