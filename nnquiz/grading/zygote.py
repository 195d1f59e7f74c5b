"""The warm grading worker's process: `python -I -m nnquiz.grading.zygote [MODULE...]`.

A zygote imports pytest, nnquiz's plugin and the libraries the suites use (NumPy, SciPy,
scikit-learn, torch...) once, and then forks one child per grade, so that a grade pays for
none of those imports. It never runs a submission, a suite or a torch operation itself
(thread pools do not survive a fork); each child is set up as the cold path's child is:

- its own session and process group (`setsid`), the same resource limits
  (`sandbox.limit_child`), its working directory the grade's temporary folder;
- stdin from /dev/null, stdout and stderr into the folder's output file, every other file
  descriptor closed (the child cannot reach the zygote's pipes);
- `os.environ` replaced by the parent's curated environment before anything else runs,
  thread counts set in the child (threadpoolctl, `torch.set_num_threads`), NumPy's global
  random state re-seeded;
- then `nnquiz.grading.child.main` with the pytest arguments, and `os._exit` with its code.

The zygote is a child subreaper (`prctl(PR_SET_CHILD_SUBREAPER)`): every process a
submission starts, even one that left the group with `setsid`, is reparented to the zygote
when its parent dies, so after each grade the zygote kills the child's process group and
then every process still below it, until none is left.

Protocol (JSON lines): the parent writes one request per grade on the zygote's stdin
(`{"argv", "cwd", "env", "cpu_seconds", "threads", "preload"}`); the zygote answers on its
stdout with `{"ready": pid}` once at start, `{"pid": N}` when the child is forked and
`{"returncode": R, "escaped": K}` when it has ended and everything below it is gone
(R as `subprocess` gives it: negative for a signal). End of input ends the zygote, killing a
running child first. The parent trusts nothing in these answers for a verdict: the child's
report, with its per-run secret, is still the only evidence of a pass.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import select
import signal
import sys
from typing import Any

from nnquiz.grading.reaper import set_subreaper, sweep

# What a zygote imports before its first fork; suites' own imports come with each request.
BASE_PRELOAD = (
    "pytest",
    "nnquiz.grading.child",
    "nnquiz.grading.fixtures",
    "nnquiz.grading.sandbox",
    "numpy",
    "threadpoolctl",
)
# Top-level packages a zygote may import on a suite's behalf (library code only).
PRELOADABLE = frozenset(
    {
        "numpy",
        "scipy",
        "sklearn",
        "skimage",
        "torch",
        "pytest",
        "_pytest",
        "nnquiz",
        "threadpoolctl",
    }
)


def preload(modules: list[str] | tuple[str, ...]) -> None:
    """Import library modules (never a suite or a submission); failures are the child's."""
    for name in modules:
        if name.split(".")[0] not in PRELOADABLE and name not in sys.stdlib_module_names:
            continue
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def warm_up() -> None:
    """Work every child would repeat: pytest's built-in plugin modules and its first run's
    one-time set-up (an empty collection: no suite, nothing of a submission), threadpoolctl's
    library scan; then freeze what is loaded, so that no child's garbage collector walks
    the libraries' objects again (and copy-on-write pages stay shared)."""
    with contextlib.suppress(Exception):
        from _pytest.config import default_plugins

        preload([f"_pytest.{name}" for name in default_plugins])
    with contextlib.suppress(BaseException):
        _empty_pytest_run()
    if "threadpoolctl" in sys.modules:
        with contextlib.suppress(Exception):
            sys.modules["threadpoolctl"].threadpool_info()
    gc.collect()
    gc.freeze()


def _empty_pytest_run() -> None:
    """pytest on an empty folder, arguments as a child's: about a third of pytest's start-up
    in a process is done once (lazy imports, compiled patterns), here instead of per child."""
    import tempfile

    import pytest

    with tempfile.TemporaryDirectory(prefix="nnquiz-zygote-warm-") as folder:
        ini = os.path.join(folder, "pytest.ini")
        with open(ini, "w", encoding="utf-8") as fh:
            fh.write("[pytest]\naddopts =\n")
        pytest.main(
            [folder, "-q", "--noconftest", "-p", "no:cacheprovider", "-c", ini, "--rootdir",
             folder, "--import-mode=importlib", "--collect-only"]
        )  # fmt: skip


def run_child(request: dict[str, Any]) -> None:
    """In the forked child: set it up like the cold path's child, run pytest, never return."""
    code = 70
    try:
        os.setsid()
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from nnquiz.grading import sandbox

        sandbox.limit_child(int(request["cpu_seconds"]))
        cwd = str(request["cwd"])
        os.chdir(cwd)
        null = os.open(os.devnull, os.O_RDONLY)
        out = os.open(
            os.path.join(cwd, "child-output.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600
        )
        os.dup2(null, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.closerange(3, 65536)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
        # the curated environment, before any suite or submission code runs
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in request["env"].items()})
        sys.dont_write_bytecode = True
        threads = max(1, int(request.get("threads", 1)))
        _set_threads(threads)
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()  # as a fresh interpreter would
        from nnquiz.grading import child

        code = child.main([str(a) for a in request["argv"]])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # the child must never return into the zygote
        code = 70
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _set_threads(threads: int) -> None:
    with contextlib.suppress(Exception):
        from threadpoolctl import threadpool_limits

        threadpool_limits(threads)
    torch = sys.modules.get("torch")
    if torch is not None:
        with contextlib.suppress(Exception):
            torch.set_num_threads(threads)


class Zygote:
    """The loop: read a request, fork, wait (watching for the parent's end), sweep, answer."""

    def __init__(self, requests: int, answers: int) -> None:
        self.requests = requests
        self.answers = answers
        self.buffer = b""
        self.eof = False
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_w, False)
        os.set_blocking(wake_r, False)
        self.wake_r = wake_r
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.set_wakeup_fd(wake_w)

    def answer(self, **fields: Any) -> None:
        data = (json.dumps(fields) + "\n").encode()
        while data:
            data = data[os.write(self.answers, data) :]

    def read_more(self) -> None:
        chunk = os.read(self.requests, 65536)
        if chunk:
            self.buffer += chunk
        else:
            self.eof = True

    def next_request(self) -> dict[str, Any] | None:
        while b"\n" not in self.buffer:
            if self.eof:
                return None
            self.read_more()
        line, self.buffer = self.buffer.split(b"\n", 1)
        value = json.loads(line)
        return value if isinstance(value, dict) else {}

    def grade(self, request: dict[str, Any]) -> None:
        wanted = [str(m) for m in request.get("preload", []) if str(m) not in sys.modules]
        if wanted:
            preload(wanted)
            gc.collect()
            gc.freeze()
        pid = os.fork()
        if pid == 0:
            run_child(request)  # never returns
        self.answer(pid=pid)
        self.wait(pid)  # exited, not yet reaped: its pid still names its group
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)  # what stayed in the child's group
        _, status = os.waitpid(pid, 0)
        escaped = sweep()  # what left the group (setsid, double forks): reparented here
        self.answer(returncode=os.waitstatus_to_exitcode(status), escaped=escaped)

    def wait(self, pid: int) -> None:
        """Until the child has exited (left unreaped); kills it if the parent goes away."""
        while True:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return
            readable, _, _ = select.select([self.requests, self.wake_r], [], [])
            if self.wake_r in readable:
                with contextlib.suppress(BlockingIOError):
                    os.read(self.wake_r, 4096)
            if self.requests in readable and not self.eof:
                self.read_more()
            if self.eof:  # the parent is gone: nobody will read this grade
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGKILL)
                os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
                return

    def serve(self) -> None:
        self.answer(ready=os.getpid())
        while True:
            request = self.next_request()
            if request is None:
                break
            self.grade(request)
            if request.get("last"):
                break
        sweep()


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    # The protocol moves off fds 0 and 1, so that nothing a library prints can corrupt it.
    requests, answers = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when the zygote ends
    set_subreaper()
    preload(BASE_PRELOAD + tuple(args))
    warm_up()
    Zygote(requests, answers).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
