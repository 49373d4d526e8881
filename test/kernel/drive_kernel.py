"""Drive one real kernel through a list of cells, as the Notebook's buttons would.

Usage: python3 drive_kernel.py SCRIPT.json  (prints one JSON result to stdout)

SCRIPT.json: {"kernel": NAME, "cwd": DIR, "cells": [CELL, ...]}
A cell that does not finish in 60 s ends the run (status "timeout").

CELL: {"code": "...", "interrupt": {"after_output": REGEX, "delay": SECONDS}}  ("interrupt" optional)

A cell with "interrupt" gets Kernel -> Interrupt (jupyter_client's interrupt_kernel, the
call the server makes for the menu item) once its output matches the pattern and the
delay has passed. Each result: reply status, stdout, stderr, display text, seconds taken.
"""
import json
import queue
import re
import sys
import time

from jupyter_client.manager import start_new_kernel

CELL_TIMEOUT = 60.0


def run_cell(km, kc, cell):
    msg_id = kc.execute(cell["code"])
    interrupt = cell.get("interrupt")
    pattern = re.compile(interrupt["after_output"]) if interrupt else None
    seen_at = None
    sent = False
    out = {"stdout": "", "stderr": "", "display": "", "interrupted": False}
    start = time.time()
    idle = False
    while not idle:
        if time.time() - start > CELL_TIMEOUT:
            out["status"] = "timeout"
            break
        if pattern and not sent and seen_at is not None and time.time() - seen_at >= interrupt.get("delay", 0):
            km.interrupt_kernel()
            sent = out["interrupted"] = True
        try:
            msg = kc.get_iopub_msg(timeout=0.2)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            out[content["name"]] += content["text"]
        elif kind in ("display_data", "update_display_data", "execute_result"):
            out["display"] += content.get("data", {}).get("text/plain", "") + "\n"
        elif kind == "status" and content["execution_state"] == "idle":
            idle = True
        if pattern and seen_at is None and pattern.search(out["stdout"] + out["display"]):
            seen_at = time.time()
    if "status" not in out:
        while True:
            reply = kc.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg_id:
                out["status"] = reply["content"]["status"]
                break
    # Output that arrives after the reply (a background loop noticing the interrupt).
    late_until = time.time() + 1.0
    while time.time() < late_until:
        try:
            msg = kc.get_iopub_msg(timeout=0.2)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            out[msg["content"]["name"]] += msg["content"]["text"]
    out["seconds"] = round(time.time() - start, 2)
    # tslab ignores requests that arrive within 200 ms of a failed cell (its execQueue.reset(200)).
    time.sleep(0.5)
    return out


def main():
    script = json.load(open(sys.argv[1]))
    km, kc = start_new_kernel(kernel_name=script["kernel"], cwd=script["cwd"], startup_timeout=120)
    try:
        results = []
        for cell in script["cells"]:
            results.append(run_cell(km, kc, cell))
            if results[-1]["status"] == "timeout":
                break  # the kernel is stuck: the remaining cells would only time out too
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
