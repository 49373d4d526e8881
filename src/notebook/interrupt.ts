/**
 * Stopping a long loop with Kernel → Interrupt.
 *
 * Jupyter interrupts a kernel with SIGINT. tslab then abandons the running cell, but
 * an `async` loop keeps going in the background and prints into later cells
 * (DESIGN.md, tslab's traps). Loops in the labs call `await checkpoint(token)` once
 * per step: it yields to the event loop (so the interrupt and progress displays get
 * through) and throws once an interrupt has arrived since the token was made.
 *
 * What an interrupt cannot stop: a loop that awaits but never checks a token only
 * looks stopped (it runs on in the background), and a long synchronous computation
 * after an `await` in the same cell runs to its end, because Node breaks only the
 * synchronous part of a cell (`breakOnSigint`). Kernel → Restart stops both.
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

/**
 * Count SIGINTs from now on. Only count: tslab's own SIGINT listener is what ends the cell.
 *
 * The listener is added on the next turn of the event loop, never at once. tslab runs
 * a cell's synchronous part with `vm.runInThisContext(code, { breakOnSigint: true })`,
 * and Node removes every SIGINT listener for that run and arms its own watchdog. A
 * listener added *during* the run installs libuv's signal handler, which the watchdog
 * then overwrites with the disposition it saved when it stops: from then on no SIGINT
 * reaches JavaScript and Kernel → Interrupt does nothing. (Node's `sigintHandlersWrap`
 * in lib/vm.js and `SigintWatchdogHelper` in src/node_watchdog.cc.) Added after the
 * run, it is removed and re-added around later runs like tslab's own, which works.
 */
function listen(): void {
  if (listening) return;
  listening = true;
  setImmediate(() => {
    process.on("SIGINT", () => {
      interrupts++;
    });
  });
}

/** Remembers when a loop started, to tell whether an interrupt came after. */
export interface InterruptToken {
  /** True once Kernel → Interrupt (SIGINT) has been received since the token was made. */
  readonly requested: boolean;
  /** Made inside a Jupyter kernel: the stopped loop says so in the cell's output. */
  readonly inKernel: boolean;
}

/**
 * A token for one loop. Outside a kernel no SIGINT handler is installed, so Ctrl-C
 * ends a script as usual; `inKernel` says whether we are in one (tests pass true).
 */
export function interruptToken(inKernel: boolean = process.argv.includes("kernel")): InterruptToken {
  if (inKernel) listen();
  const start = interrupts;
  return {
    inKernel,
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

/**
 * Yield to the event loop; throw `InterruptedError` if an interrupt has arrived.
 *
 * In a kernel the message is also written to the cell: tslab has already ended the
 * cell with its own "Interrupted asynchronously" and stopped listening to the cell's
 * promise, so the thrown error itself is never shown there.
 */
export async function checkpoint(token: InterruptToken): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (!token.requested) return;
  const error = new InterruptedError();
  if (token.inKernel) console.error(error.message);
  throw error;
}
