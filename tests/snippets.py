"""Running a question's snippet as `python -c SNIPPET` would, in a process forked from a
server that has NumPy, scikit-learn and torch imported already (multiprocessing's forkserver):
each snippet still gets a process of its own, with `__name__ == "__main__"`; the server
never runs one, so no snippet sees another's state (or a torch thread pool across a fork)."""

from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from pathlib import Path

# torch._dynamo: what the first torch.optim optimizer imports (about 1 s per snippet that trains)
PRELOAD = ["numpy", "sklearn", "torch", "torch._dynamo"]
_context = None


def _run(snippet: str, cwd: str, stderr_path: str) -> None:
    os.chdir(cwd)
    err = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.dup2(err, 2)
    sys.argv = ["-c"]
    try:
        exec(compile(snippet, "<string>", "exec"), {"__name__": "__main__"})
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        sys.stdout.flush()
        os._exit(code)
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def run_snippet(snippet: str, cwd: Path, timeout: float = 60) -> tuple[int, str]:
    """(exit code, stderr) of the snippet run in `cwd`; a snippet past `timeout` is killed."""
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(PRELOAD)
    stderr_path = cwd / "stderr.txt"
    proc = _context.Process(target=_run, args=(snippet, str(cwd), str(stderr_path)))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return -9, f"the snippet ran past {timeout} s"
    text = stderr_path.read_text(encoding="utf-8", errors="replace") if stderr_path.exists() else ""
    return int(proc.exitcode or 0), text
