"""Run benchmark scripts side by side, each in its own process forked from this one after it has
imported what every benchmark imports (anyio, the MCP client, the fake cloud, the bench harness).

The smoke test's way to run nine benchmark scripts without paying those imports (about 0.85 s of
CPU) nine times. Each child runs its script exactly as `python bench/bench_NAME.py` would (as
`__main__`, with that `sys.argv[0]`, in bench/, with this process's environment, so the BENCH_*
knobs apply) and its stdout and stderr go to files. The last stdout line is one JSON object:
{name: {"returncode": int, "stdout": str, "stderr": str}}.

Usage: python tests/bench_forks.py JOBS NAME [NAME ...]   (needs os.fork: Linux or macOS)
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def main(argv: list[str]) -> int:
    jobs, names = max(1, int(argv[0])), argv[1:]
    sys.path.insert(0, str(BENCH))
    os.chdir(BENCH)
    import _harness  # noqa: F401 - puts tests/ on sys.path for the fake cloud
    import anyio  # noqa: F401
    import fakecloud  # noqa: F401
    import mcp.client.session  # noqa: F401
    import mcp.client.stdio  # noqa: F401

    folder = Path(tempfile.mkdtemp(prefix="bench-forks-"))
    results: dict[str, dict[str, object]] = {}
    running: dict[int, str] = {}
    pending = list(names)
    try:
        while pending or running:
            while pending and len(running) < jobs:
                name = pending.pop(0)
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    _child(name, folder)  # never returns
                running[pid] = name
            pid, status = os.wait()
            name = running.pop(pid)
            results[name] = {
                "returncode": os.waitstatus_to_exitcode(status),
                "stdout": (folder / f"{name}.out").read_text(errors="replace"),
                "stderr": (folder / f"{name}.err").read_text(errors="replace"),
            }
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(results))
    return 0


def _child(name: str, folder: Path) -> None:
    """In the forked child: run bench_NAME.py as __main__ with stdout and stderr in files, then exit."""
    code = 1
    try:
        for fd, suffix in ((1, "out"), (2, "err")):
            with open(folder / f"{name}.{suffix}", "w") as file:
                os.dup2(file.fileno(), fd)
        sys.argv = [str(BENCH / f"bench_{name}.py")]
        runpy.run_path(sys.argv[0], run_name="__main__")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - a child reports every failure as its exit status and stderr
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
