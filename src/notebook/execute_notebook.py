"""Execute one notebook on a Jupyter kernel and report every failure as JSON.

Called by `efflab run` (src/notebook/run-notebooks.ts); not meant to be run by hand.
It uses Jupyter's own client (nbclient), so the notebook runs exactly as it would
in JupyterLab: same kernelspec, same working directory (the notebook's folder).

A cell counts as failed when (tslab reports errors in ways nbclient alone misses):
  - its execute_reply status is "error" (a thrown error, a type error), or
    "aborted" (tslab aborts cells sent within 200 ms after an error);
  - it produced an "error" output;
  - it wrote to stderr (tslab prints compile errors there).
A cell tagged `raises-exception` (the Jupyter convention) may fail on purpose.

Usage: python3 execute_notebook.py --kernel NAME --timeout SEC --out OUT.ipynb NOTEBOOK.ipynb
Prints one JSON object on stdout: {"ok": bool, "seconds": float, "failures": [...]}.
"""
import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError


class CellFailed(Exception):
    pass


def source_excerpt(cell, limit=3):
    lines = [line for line in cell.source.splitlines() if line.strip()]
    return "\n".join(lines[:limit])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--out", required=True)
    parser.add_argument("notebook")
    args = parser.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    failures = []
    code_cells = [c for c in nb.cells if c.cell_type == "code"]

    current = {"cell": None, "index": None}

    def on_cell_start(cell, cell_index):
        current["cell"], current["index"] = cell, cell_index

    def on_cell_executed(cell, cell_index, execute_reply):
        tags = cell.get("metadata", {}).get("tags", [])
        if "raises-exception" in tags:
            return
        status = execute_reply.get("content", {}).get("status")
        problems = []
        if status == "aborted":
            problems.append("the kernel aborted this cell (an earlier error, or an error in its own code)")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append("{}: {}".format(output.get("ename"), output.get("evalue")))
            elif output.get("output_type") == "stream" and output.get("name") == "stderr":
                problems.append("stderr: " + output.get("text", "").strip())
        if status == "error" and not problems:
            # tslab's error replies carry no traceback; say at least what the reply says.
            content = execute_reply["content"]
            problems.append("{}: {}".format(content.get("ename") or "Error", content.get("evalue") or "(no message)"))
        if problems:
            failures.append({
                "cellIndex": cell_index,
                "codeCellNumber": code_cells.index(cell) + 1 if cell in code_cells else None,
                "executionCount": cell.get("execution_count"),
                "source": source_excerpt(cell),
                "messages": problems,
            })
            raise CellFailed()

    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        allow_errors=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}},
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell_executed,
    )
    start = time.time()
    fatal = None
    try:
        client.execute()
    except CellFailed:
        pass
    except CellTimeoutError as error:
        fatal = "timeout: a cell ran longer than {} s ({})".format(args.timeout, str(error).splitlines()[0])
    except DeadKernelError as error:
        fatal = "the kernel died ({}); a cell may have called process.exit() or run out of memory".format(error)
    except Exception as error:  # a kernel that cannot start, a broken notebook, ...
        fatal = "{}: {}".format(type(error).__name__, error)
    seconds = time.time() - start
    if fatal:
        running = current["cell"]
        failures.append({
            "cellIndex": current["index"],
            "codeCellNumber": code_cells.index(running) + 1 if running is not None else None,
            "executionCount": None,
            "source": source_excerpt(running) if running is not None else "",
            "messages": [fatal],
        })
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    nbformat.write(nb, args.out)
    json.dump({"ok": not failures, "seconds": seconds, "failures": failures}, sys.stdout)


if __name__ == "__main__":
    main()
