/**
 * The last case of an exhaustive `switch` over a discriminated union:
 *
 *   switch (op.kind) {
 *     case "forward": ...
 *     case "backward": ...
 *     default: return assertNever(op.kind);
 *   }
 *
 * The compiler accepts the call only when every member has been handled (the value
 * left over has type `never`); at run time it reports a value the types did not allow.
 */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
