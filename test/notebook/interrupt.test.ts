import { describe, expect, it, vi } from "vitest";
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
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await expect(loop).rejects.toBeInstanceOf(InterruptedError);
      // In a kernel the message also goes to the cell, where tslab no longer shows the thrown error.
      expect(printed).toHaveBeenCalledWith(new InterruptedError().message);
    } finally {
      printed.mockRestore();
    }
    expect(steps).toBe(50);
  });

  it("does not stop a loop that started after the interrupt", async () => {
    process.emit("SIGINT", "SIGINT");
    const token = interruptToken(true);
    await expect(checkpoint(token)).resolves.toBeUndefined();
    expect(token.requested).toBe(false);
  });
});
