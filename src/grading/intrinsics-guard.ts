/**
 * Detecting tampering with built-ins.
 *
 * An answer cell runs in the same JavaScript realm as the tests that grade it, so
 * it could replace `Math.random`, add to `Array.prototype`, or define a global
 * `expect` that always passes. Tests never rely on such globals, and each question
 * runs in its own worker, so tampering can only affect the question that did it;
 * the grader still detects it and gives that question 0 with a message naming what
 * was changed.
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

/** A snapshot of the watched built-ins: "Math.random" -> the function it held. */
export type IntrinsicsSnapshot = ReadonlyMap<string, unknown>;

/** Record every watched property (value or accessor) as it is now. */
export function snapshotIntrinsics(): IntrinsicsSnapshot {
  const snapshot = new Map<string, unknown>();
  for (const [label, object] of watchedObjects()) {
    for (const key of Reflect.ownKeys(object)) {
      if (typeof key === "symbol") continue;
      if (label === "globalThis" && !FRAMEWORK_GLOBALS.includes(key) && !STANDARD_GLOBALS.includes(key)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(object, key);
      if (descriptor === undefined) continue;
      snapshot.set(`${label}.${key}`, descriptor.get ?? descriptor.set ?? descriptor.value);
    }
  }
  return snapshot;
}

/**
 * Names of built-ins that differ from `before`: replaced, deleted, or added
 * (new properties on prototypes, new test-framework globals).
 */
export function tamperedIntrinsics(before: IntrinsicsSnapshot): string[] {
  const changed: string[] = [];
  const after = snapshotIntrinsics();
  for (const [name, value] of before) {
    if (!after.has(name)) changed.push(`${name} (deleted)`);
    else if (!Object.is(after.get(name), value)) changed.push(name);
  }
  for (const name of after.keys()) {
    if (!before.has(name)) changed.push(`${name} (added)`);
  }
  return changed;
}
