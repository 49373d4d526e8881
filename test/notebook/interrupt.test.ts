import { describe, expect, it } from "vitest";
import { checkpoint, InterruptedError, interruptToken } from "../../src/notebook/interrupt";

describe("interrupting a loop", () => {
  it("lets a loop run until SIGINT arrives, then stops it with a clear error", async () => {
    const token = interruptToken(true);
    let steps = 0;
    const loop = (async () => {
      for (;;) {
        await checkpoint(token);
        steps++;
        if (steps === 50) process.emit("SIGINT", "SIGINT");
      }
    })();
    await expect(loop).rejects.toBeInstanceOf(InterruptedError);
    expect(steps).toBe(50);
  });

  it("does not stop a loop that started after the interrupt", async () => {
    process.emit("SIGINT", "SIGINT");
    const token = interruptToken(true);
    await expect(checkpoint(token)).resolves.toBeUndefined();
    expect(token.requested).toBe(false);
  });
});
