"""Finding and killing every process a submission started, on both sides of the grader.

A child subreaper (`prctl(PR_SET_CHILD_SUBREAPER)`, Linux) adopts the orphaned descendants
of its children, so a process that left its group with `setsid` and outlived its parent is
found below the subreaper instead of under init.

- The zygote is one: after each grade it kills the child's group and then every process
  still below it (`sweep`).
- The grading parent (the `nnquiz` process, or the project's tests) becomes one when it
  grades (`adopt_orphans`). If a submission kills its own zygote, or grades in a fresh
  interpreter (the fallback without a zygote), what it left behind is reparented here, and
  `sweep_orphans` kills every child of this process that it did not start itself.

Processes this process starts on purpose (zygotes, fresh-interpreter children) are spawned
under `spawning()` and recorded, so that a sweep in one thread never kills a process another
thread has just started.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
import time
from collections.abc import Iterator

PR_SET_CHILD_SUBREAPER = 36

_lock = threading.RLock()
_owned: set[int] = set()
_adopting = False


def set_subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux); False elsewhere."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def children_of(pid: int) -> list[int]:
    """Live (non-zombie) processes whose parent is `pid`, from /proc."""
    return [child for child, state, _sid in _children_with_state(pid) if state != "Z"]


def _children_with_state(pid: int) -> list[tuple[int, str, int]]:
    """(pid, state, session id) of each child of `pid`, zombies included."""
    found: list[tuple[int, str, int]] = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for name in entries:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) >= 4 and fields[1] == str(pid):
            found.append((int(name), fields[0], int(fields[3])))
    return found


def sweep(limit_s: float = 10.0) -> int:
    """Kill and reap every process below this one (the zygote, between grades, has no
    child it wants to keep); returns how many were killed."""
    killed: set[int] = set()
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        for pid in children_of(os.getpid()):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break  # no child left, dead or alive
        if pid == 0:
            time.sleep(0.005)
    return len(killed)


# ---------------------------------------------------------------- the grading parent


def adopt_orphans() -> bool:
    """Make this (grading parent) process a subreaper, once; False where it cannot be."""
    global _adopting
    with _lock:
        if not _adopting:
            _adopting = set_subreaper()
        return _adopting


@contextlib.contextmanager
def spawning() -> Iterator[None]:
    """Hold off sweeps while a process is started; `own(pid)` it before leaving."""
    with _lock:
        yield


def own(pid: int) -> None:
    with _lock:
        _owned.add(pid)


def disown(pid: int) -> None:
    with _lock:
        _owned.discard(pid)


def sweep_orphans(limit_s: float = 10.0) -> int:
    """Kill and reap every child of this process that it did not start (an orphan adopted
    from a grade); returns how many were killed. A grade's processes all run in sessions of
    their own (the child calls `setsid`), so a child in this process's session is never
    touched. Waits only for those pids, never for `-1`, so that `subprocess` keeps the exit
    status of every process it started."""
    if not _adopting:
        return 0
    me, session = os.getpid(), os.getsid(0)
    killed: set[int] = set()
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        with _lock:
            strays = [
                (pid, state)
                for pid, state, sid in _children_with_state(me)
                if pid not in _owned and sid != session
            ]
            for pid, state in strays:
                if state != "Z":
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(pid, signal.SIGKILL)
                        killed.add(pid)
        if not strays:
            break
        for pid, _state in strays:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        time.sleep(0.005)
    return len(killed)
