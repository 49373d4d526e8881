/**
 * Stopping a long loop with Kernel → Interrupt.
 *
 * Jupyter interrupts a kernel with SIGINT. tslab then abandons the running cell, but
 * an `async` loop keeps going in the background and prints into later cells
 * (DESIGN.md, tslab's traps). Loops in the labs call `await checkpoint(token)` once
 * per step: it yields to the event loop (so the interrupt and progress displays get
 * through) and throws once an interrupt has arrived since the token was made.
 *
 * @example
 *   const token = interruptToken();
 *   for (let step = 0; step < steps; step++) {
 *     await checkpoint(token);
 *     // ... one training step ...
 *   }
 */

let interrupts = 0;
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  // Only count; tslab's own SIGINT handler does the interrupting of the cell.
  process.on("SIGINT", () => {
    interrupts++;
  });
}

/** Remembers when a loop started, to tell whether an interrupt came after. */
export interface InterruptToken {
  /** True once Kernel → Interrupt (SIGINT) has been received since the token was made. */
  readonly requested: boolean;
}

/**
 * A token for one loop. Outside a kernel no SIGINT handler is installed, so Ctrl-C
 * ends a script as usual; `inKernel` says whether we are in one (tests pass true).
 */
export function interruptToken(inKernel: boolean = process.argv.includes("kernel")): InterruptToken {
  if (inKernel) listen();
  const start = interrupts;
  return {
    get requested() {
      return interrupts !== start;
    },
  };
}

/** Thrown by `checkpoint` after an interrupt: the cell ends with this message. */
export class InterruptedError extends Error {
  constructor() {
    super("Interrupted (Kernel → Interrupt). The loop stopped cleanly; re-run the cell to start again.");
    this.name = "InterruptedError";
  }
}

/** Yield to the event loop; throw `InterruptedError` if an interrupt has arrived. */
export async function checkpoint(token: InterruptToken): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (token.requested) throw new InterruptedError();
}
