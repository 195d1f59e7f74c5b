"""The parent side of the warm grading worker (the zygote in `nnquiz.grading.zygote`).

A `Worker` owns one zygote process: it starts it, sends it one grade at a time and waits for
the child it forks, enforcing the wall-clock limit with `killpg` as the cold path does. A
zygote that dies, hangs or answers nonsense is killed and a fresh one started for the next
grade: a verdict never rests on what a zygote says, only on the child's report.

`shared_pool()` keeps idle workers for the life of the process (watch, mock, `grade
--reference`, `nnquiz dev`, the project's tests); a one-off `nnquiz grade` starts a worker
for that grade only (the same isolation, and its imports overlap with the parent's work).
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from nnquiz.grading import reaper, sandbox

ZYGOTE_MODULE = "nnquiz.grading.zygote"
READY_TIMEOUT_S = 120.0  # the zygote's own imports (torch on a busy machine), before any grade
ANSWER_GRACE_S = 15.0  # after a killpg, for the zygote to reap and sweep


class WorkerError(RuntimeError):
    """The zygote could not be started or broke before the child was forked."""


@dataclass
class ChildRun:
    """What one child process did: exit code (negative: killed by that signal), output."""

    returncode: int
    timed_out: bool
    stdout: str
    duration_s: float
    escaped: int = 0  # processes that had left the child's group and were killed after it


@lru_cache(maxsize=64)
def _parsed(path: str, mtime_ns: int) -> ast.Module | None:
    """A suite's or a solution's syntax tree (read once per version of the file)."""
    try:
        return ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None


@lru_cache(maxsize=64)
def _imports_of(path: str, mtime_ns: int) -> tuple[str, ...]:
    tree = _parsed(path, mtime_ns)
    if tree is None:
        return ()
    names: list[str] = []
    for node in tree.body:  # module level only: what collection imports anyway
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return tuple(names)


# What a suite helper imports only when called (so a suite's own imports do not show it).
LAZY_IMPORTS = {
    "nnquiz.grading.katalib.data": ("sklearn.datasets", "sklearn.model_selection"),
}


def suite_imports(test_files: list[Path]) -> list[str]:
    """The modules a hidden suite imports at module level (for the zygote to preload)."""
    seen: dict[str, None] = {}
    for path in test_files:
        with contextlib.suppress(OSError):
            for name in _imports_of(str(path), path.stat().st_mtime_ns):
                seen.setdefault(name, None)
                for extra in LAZY_IMPORTS.get(name, ()):
                    seen.setdefault(extra, None)
    return list(seen)


# Imported by a library on first use, not by its own import: torch.optim's Optimizer
# imports torch._dynamo when the first one is built (about 1 s, more than a small model's
# whole first epoch). Preloaded for katas whose suite or reference solution builds one.
FIRST_USE_IMPORTS = {"torch.optim": ("torch._dynamo",)}


@lru_cache(maxsize=64)
def _uses_of(path: str, mtime_ns: int) -> frozenset[str]:
    """The keys of FIRST_USE_IMPORTS that the file at `path` uses (`torch.optim.X`,
    `from torch import optim`, `from torch.optim import X`, `import torch.optim`)."""
    tree = _parsed(path, mtime_ns)
    if tree is None:
        return frozenset()
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            used.add(f"{node.value.id}.{node.attr}")
        elif isinstance(node, ast.Import):
            used.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            used.add(node.module)
            used.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(
        key for key in FIRST_USE_IMPORTS if any(u == key or u.startswith(key + ".") for u in used)
    )


def kata_preload(test_files: list[Path], solution: Path | None = None) -> list[str]:
    """What a zygote preloads for a kata: its suite's imports, and what the libraries import
    on first use where the suite or the reference solution uses them (FIRST_USE_IMPORTS)."""
    names = suite_imports(test_files)
    loaded = {name.split(".")[0] for name in names}  # a suite that imports torch lazily
    for path in [*test_files, *([solution] if solution is not None else [])]:  # keeps it so
        with contextlib.suppress(OSError):
            for key in sorted(_uses_of(str(path), path.stat().st_mtime_ns)):
                if key.split(".")[0] in loaded:
                    names += [m for m in FIRST_USE_IMPORTS[key] if m not in names]
    return names


def _default_threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class Worker:
    """One zygote; one grade at a time (a pool holds several for `--jobs N`)."""

    def __init__(self, preload: list[str] | None = None) -> None:
        self.preload = list(preload or [])
        self.proc: subprocess.Popen[bytes] | None = None
        self.home: str | None = None
        self.buffer = b""
        self.ready = False
        self.grades = 0
        self.restarts = 0
        self.started_at = 0.0  # monotonic time the zygote process was started

    # ------------------------------------------------------------ life cycle

    def start(self) -> Worker:
        """Start the zygote (it imports in the background; the first grade waits for it)."""
        if self.alive():
            return self
        self.close()
        self.home = tempfile.mkdtemp(prefix="nnquiz-zygote-")
        env = sandbox.child_env(Path(self.home), _default_threads(), {})
        with reaper.spawning():
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-m", ZYGOTE_MODULE, *self.preload],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=self.home,
                env=env,
                start_new_session=True,  # a Ctrl-C at the terminal is the parent's to handle
            )
            reaper.own(self.proc.pid)
        self.buffer = b""
        self.ready = False
        self.started_at = _now()
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def close(self) -> None:
        """End the zygote: end of input (it sweeps and exits), then SIGKILL if it lingers."""
        proc, self.proc = self.proc, None
        if proc is not None:
            with contextlib.suppress(OSError):
                if proc.stdin is not None:
                    proc.stdin.close()
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._kill(proc)
            if proc.stdout is not None:
                proc.stdout.close()
            reaper.disown(proc.pid)
        if self.home is not None:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None

    def _kill(self, proc: subprocess.Popen[bytes]) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)

    def discard(self) -> None:
        """A zygote that misbehaved is never used again."""
        if self.proc is not None:
            self._kill(self.proc)
        self.close()
        self.restarts += 1

    # ------------------------------------------------------------ talking to it

    def _send(self, message: dict[str, Any]) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(message) + "\n").encode())
            self.proc.stdin.flush()
        except (OSError, ValueError) as exc:
            raise WorkerError(f"the grading worker stopped listening ({exc})") from None

    def _receive(self, timeout_s: float, poll: Callable[[], None] | None = None) -> dict[str, Any]:
        """The next answer; raises TimeoutError after `timeout_s`, WorkerError on EOF."""
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = _now() + timeout_s
        while b"\n" not in self.buffer:
            left = deadline - _now()
            if left <= 0:
                raise TimeoutError
            step = min(left, 0.01) if poll is not None else left  # live events: 10 ms
            readable, _, _ = select.select([fd], [], [], step)
            if poll is not None:
                poll()
            if not readable:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise WorkerError("the grading worker ended")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            value = json.loads(line)
        except ValueError:
            raise WorkerError("the grading worker answered nonsense") from None
        if not isinstance(value, dict):
            raise WorkerError("the grading worker answered nonsense")
        return value

    def _expect(self, key: str, timeout_s: float, poll: Callable[[], None] | None = None) -> int:
        answer = self._receive(timeout_s, poll)
        value = answer.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise WorkerError(f"the grading worker answered {answer!r}, expected {key!r}")
        return value

    def fork_child(self, request: dict[str, Any]) -> int:
        """Send one grade; returns the child's pid (its process group). WorkerError if the
        zygote is not there or not sane: the caller discards it and may try a fresh one."""
        if not self.alive():
            self.start()
        try:
            if not self.ready:
                self._expect("ready", READY_TIMEOUT_S)
                self.ready = True
            self._send(request)
            pid = self._expect("pid", READY_TIMEOUT_S)
        except TimeoutError:
            raise WorkerError("the grading worker did not answer in time") from None
        if pid <= 1:
            raise WorkerError(f"the grading worker gave pid {pid}")
        self.grades += 1
        return pid

    def run(
        self,
        argv: list[str],
        cwd: Path,
        env: dict[str, str],
        timeout_s: float,
        cpu_seconds: int,
        *,
        threads: int,
        preload: list[str],
        last: bool = False,
        poll: Callable[[], None] | None = None,
        since: float | None = None,
        after_fork_s: float | None = None,
    ) -> ChildRun:
        """Grade once in a forked child, killpg at the wall-clock limit `timeout_s`, counted
        from `since` (a monotonic time: a one-off worker passes its own start, so its imports
        count as the cold path's did; default: the fork, after the zygote's preloads), or
        `after_fork_s` after the fork when that comes first (a one-off worker that started
        quickly does not extend a hanging child's life by the start-up it did not need).
        Raises WorkerError only when no child was started (nothing of the file ran)."""
        request = {
            "argv": argv,
            "cwd": str(cwd),
            "env": env,
            "cpu_seconds": cpu_seconds,
            "threads": threads,
            "preload": preload,
            "last": last,
        }
        try:
            pid = self.fork_child(request)
        except WorkerError:
            self.discard()
            raise
        forked = _now()
        start = forked if since is None else since
        deadline = start + timeout_s
        if after_fork_s is not None:
            deadline = min(deadline, forked + after_fork_s)
        timed_out = False
        returncode = -signal.SIGKILL
        escaped = 0
        try:
            try:
                answer = self._receive(max(0.0, deadline - _now()), poll)
            except TimeoutError:
                timed_out = True
                _killpg(pid)
                answer = self._receive(ANSWER_GRACE_S)
            code = answer.get("returncode")
            if not isinstance(code, int) or isinstance(code, bool):
                raise WorkerError(f"the grading worker answered {answer!r}")
            returncode = code
            escaped = int(answer.get("escaped", 0) or 0)
        except (WorkerError, TimeoutError, ValueError):
            # the zygote died or hung with the child out (a submission may kill it): kill
            # the child's group, drop the zygote, kill what it left to this process (the
            # subreaper above it), and let the report decide (no complete one, no pass)
            _killpg(pid)
            self.discard()
            escaped = reaper.sweep_orphans()
        except BaseException:  # Ctrl-C in the parent: nothing of this grade outlives it
            _killpg(pid)
            self.discard()
            reaper.sweep_orphans()
            raise
        if last:
            self.close()
        from nnquiz.grading.runner import OUTPUT_CAP, _read_capped

        return ChildRun(
            returncode,
            timed_out,
            _read_capped(cwd / "child-output.txt", OUTPUT_CAP),
            _now() - start,
            escaped,
        )


def _killpg(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _now() -> float:
    import time

    return time.monotonic()


class Pool:
    """Idle workers kept for reuse; `worker()` lends one (a new one when none is idle)."""

    def __init__(self) -> None:
        self.idle: list[Worker] = []
        self.lock = threading.Lock()
        self.closed = False

    @contextlib.contextmanager
    def worker(self, preload: list[str] | None = None) -> Iterator[Worker]:
        with self.lock:
            worker = self.idle.pop() if self.idle else None
        if worker is None:
            worker = Worker(preload)
        worker.start()
        try:
            yield worker
        finally:
            with self.lock:
                keep = worker.alive() and not self.closed
                if keep:
                    self.idle.append(worker)
            if not keep:
                worker.close()

    def prestart(self, count: int = 1, preload: list[str] | None = None) -> None:
        """Start `count` zygotes now, so that their imports overlap with other work."""
        with self.lock:
            while len(self.idle) < count:
                self.idle.append(Worker(preload).start())

    def close(self) -> None:
        with self.lock:
            self.closed = True
            idle, self.idle = self.idle, []
        for worker in idle:
            worker.close()


_SHARED: Pool | None = None
_SHARED_LOCK = threading.Lock()


def shared_pool() -> Pool:
    """The process's pool of warm workers, closed at exit."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None or _SHARED.closed:
            _SHARED = Pool()
            atexit.register(_SHARED.close)
        return _SHARED
