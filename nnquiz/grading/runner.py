"""Grade a file against a kata's hidden suite in an isolated child process.

Fails closed: a pass needs the plugin's complete report (matching nonce, every collected
test reported, all passed, at least one test). Anything else is a labelled failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from nnquiz import clock as clocks
from nnquiz import paths
from nnquiz.clock import Clock
from nnquiz.errors import DependencyError, WorkspaceError
from nnquiz.grading import reaper, sandbox, warm
from nnquiz.grading.protocol import (
    CHILD_MODULE,
    MEMORY_PREFIX,
    TIMEOUT_PREFIX,
    ChildConfig,
    Event,
    Status,
    missing_message,
    module_check_name,
)
from nnquiz.grading.result import GradeEvent, GradeResult, TestResult, counts
from nnquiz.grading.warm import ChildRun, Worker, WorkerError
from nnquiz.katas.catalogue import Kata

STARTUP_GRACE_S = 10.0  # interpreter + pytest + numpy/torch import, on top of the kata's limit
# A child forked from a warm worker has all of that imported: its clock starts at the fork
# and the grace covers only setting it up, collecting the suite and writing the report.
FORKED_GRACE_S = 5.0
OUTPUT_CAP = 4000
ARTIFACT_CAP = 2_000_000


def run_child(
    argv: list[str],
    cwd: Path,
    env: dict[str, str],
    timeout_s: float,
    cpu_seconds: int,
    clock: Clock | None = None,
) -> ChildRun:
    """The fallback when no grading worker can be started (a fresh interpreter per grade):
    new session, limits, capped output, killpg; then what left the group (setsid) is
    found below this process, a subreaper (`reaper.adopt_orphans`), and killed."""
    clock = clock or clocks.system_clock()
    out_path = cwd / "child-output.txt"
    start = clock.monotonic()
    with open(out_path, "wb") as out:
        with reaper.spawning():
            proc = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=lambda: sandbox.limit_child(cpu_seconds),
            )
            reaper.own(proc.pid)
        timed_out = False
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
        except BaseException:
            _kill_group(proc)
            raise
        finally:
            _kill_group(proc)  # grandchildren left behind go too
            proc.wait()
            reaper.disown(proc.pid)
    # what left the group (setsid) was reparented to this process, a subreaper
    escaped = reaper.sweep_orphans()
    return ChildRun(
        proc.returncode,
        timed_out,
        _read_capped(out_path, OUTPUT_CAP),
        clock.monotonic() - start,
        escaped,
    )


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _read_capped(path: Path, cap: int) -> str:
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            text = fh.read(cap).decode("utf-8", errors="replace")
    except OSError:
        return ""
    if size > cap:
        text += f"\n... [output cut: {size} bytes in all]"
    return text


def library_key() -> str:
    """Versions that change reference figures (part of the cache key)."""
    parts = [f"py{sys.version_info.major}.{sys.version_info.minor}"]
    for dist in ("numpy", "scipy", "scikit-learn", "torch"):
        try:
            parts.append(f"{dist}{metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}-none")
    return "-".join(parts).replace("+", "_")


def clear_reference_cache() -> tuple[int, Path]:
    """Delete the cached reference figures; returns how many there were and where."""
    folder = paths.cache_dir() / "reference"
    count = len(list(folder.glob("*.json"))) if folder.is_dir() else 0
    shutil.rmtree(folder, ignore_errors=True)
    return count, folder


def torch_available() -> bool:
    try:
        metadata.version("torch")
    except metadata.PackageNotFoundError:
        return False
    return True


def grade(
    kata: Kata,
    file: Path,
    *,
    timeout_s: float | None = None,
    threads: int | None = None,
    use_cache: bool = True,
    fail_fast: bool = False,
    clock: Clock | None = None,
    worker: Worker | None = None,
    on_event: Callable[[GradeEvent], None] | None = None,
) -> GradeResult:
    """Run `kata`'s hidden suite against `file`; never raises for anything the file does.

    `worker`: a warm grading worker (`warm.shared_pool().worker()`) to fork the child from;
    without one a worker is started for this grade alone. `on_event` is called in this
    thread as the child reports: once when the tests are collected, then once per test
    finished (a `GradeEvent`), as they happen; the verdict still comes from the complete
    report only.
    """
    clock = clock or clocks.system_clock()
    if kata.uses_torch and not torch_available():
        raise DependencyError(key="errors.needs_torch", slug=kata.slug)
    source = paths.read_text(
        file,
        WorkspaceError,
        missing=lambda: WorkspaceError(key="errors.no_file_to_grade", file=file, slug=kata.slug),
    )
    start = clock.monotonic()
    result = GradeResult(kata=kata.slug, file=str(file), status=Status.ERROR)
    problem = sandbox.check_source(source, str(file), kata.allowed_imports)
    if problem is not None:
        result.message = f"{problem.kind}: {problem.message}"
        result.duration_s = round(clock.monotonic() - start, 3)
        return result
    # Fail fast without a child: a file that never even mentions an entrypoint's name (an
    # empty file, another kata's file) cannot define it. Any mention, and the child decides.
    missing = [name for name in kata.entrypoints if name not in source]
    if missing:
        check = TestResult(
            module_check_name(kata.entrypoints), Status.FAIL, missing_message(missing)
        )
        result.status = Status.FAIL
        result.tests = [check]
        result.counts = counts(0, 1, 0, 1)
        if on_event is not None:
            on_event(GradeEvent("collected", 0, 1))
            on_event(GradeEvent("test", 1, 1, check.name, check.status, check.message))
        result.duration_s = round(clock.monotonic() - start, 3)
        return result
    test_files = kata.test_files()
    # A worker kept warm also imports what libraries import on first use (kata_preload): paid
    # once, it saves every later grade that time. A worker started for this grade only
    # imports what the suite does: the rest costs the same after the fork when the grade
    # needs it, and nothing when the grade ends first (a module that fails at import).
    preload = (
        warm.suite_imports(test_files)
        if worker is None
        else warm.kata_preload(test_files, kata.solution)
    )
    reaper.adopt_orphans()  # what a submission leaves behind is found below this process
    # NNQUIZ_GRADE_COLD=1: a one-off grade in a fresh interpreter, as before the warm worker
    # (for comparison in benchmarks/; escaped processes are swept by this process instead)
    own_worker = worker is None and os.environ.get("NNQUIZ_GRADE_COLD") != "1"
    if own_worker:  # started first: its imports overlap with the copying below
        worker = Worker(preload).start()
    limit = float(timeout_s or kata.time_limit_s)
    # Small torch models run fastest on one thread (and threads spin-wait on a busy machine).
    default_threads = 1 if kata.uses_torch else max(1, min(4, os.cpu_count() or 1))
    threads = threads or int(os.environ.get("NNQUIZ_GRADE_THREADS", "0")) or default_threads
    try:
        with tempfile.TemporaryDirectory(prefix=f"nnquiz-grade-{kata.module_name}-") as tmp:
            work = Path(tmp)
            submission = work / f"{kata.module_name}.py"
            submission.write_text(source, encoding="utf-8")
            tests = work / "tests"
            tests.mkdir()
            for test_file in test_files:
                shutil.copy2(test_file, tests / test_file.name)
            (work / "pytest.ini").write_text("[pytest]\naddopts =\n", encoding="utf-8")
            nonce = secrets.token_hex(16)
            report = work / "report.jsonl"
            art_dir = work / "artifacts"
            config = ChildConfig(
                submission=str(submission),
                reference=str(kata.solution),
                report=str(report),
                nonce=nonce,
                time_limit_s=limit,
                cache_dir=str(paths.cache_dir() / "reference") if use_cache else "",
                cache_key=f"{kata.version()}-{library_key()}",
                artifacts=str(art_dir),
                entrypoints=kata.entrypoints,
                kata=kata.slug,
            )
            env = sandbox.child_env(work, threads, config.to_env())
            args = pytest_args(work, fail_fast)
            cpu = int((limit + STARTUP_GRACE_S) * max(threads, 1) + 30)
            tail = ReportTail(report, nonce, on_event) if on_event is not None else None
            poll = tail.poll if tail is not None else None
            run = _run_in_child(
                worker, own_worker, args, work, env, limit, cpu, threads, preload, poll, clock
            )
            if tail is not None:
                tail.poll()
            _read_report(result, report, nonce, run, limit)
            result.artifacts = _read_artifacts(art_dir)
    finally:
        if own_worker and worker is not None:
            worker.close()
    result.duration_s = round(clock.monotonic() - start, 3)
    return result


def _run_in_child(
    worker: Worker | None,
    own_worker: bool,
    args: list[str],
    work: Path,
    env: dict[str, str],
    limit: float,
    cpu: int,
    threads: int,
    preload: list[str],
    poll: Callable[[], None] | None,
    clock: Clock,
) -> ChildRun:
    """Fork the child from `worker`; if the zygote broke before forking (nothing of the file
    ran), from a fresh one; if that fails too, or without a worker, a fresh interpreter.

    The wall-clock limit is the kata's plus a grace: from the one-off worker's start (its
    imports count, as a fresh interpreter's would), or from the fork for a warm worker."""
    if worker is not None:
        for attempt in range(2):
            since = worker.started_at if own_worker and attempt == 0 else None
            try:
                return worker.run(
                    args,
                    work,
                    env,
                    limit + (STARTUP_GRACE_S if since is not None else FORKED_GRACE_S),
                    cpu,
                    threads=threads,
                    preload=preload,
                    last=own_worker,
                    poll=poll,
                    since=since,
                    after_fork_s=limit + FORKED_GRACE_S,
                )
            except WorkerError:
                continue
    argv = [sys.executable, "-I", "-m", CHILD_MODULE, *args]
    return run_child(argv, work, env, limit + STARTUP_GRACE_S, cpu_seconds=cpu, clock=clock)


def pytest_args(work: Path, fail_fast: bool) -> list[str]:
    """The child's pytest arguments (after `python -I -m nnquiz.grading`)."""
    args = [
        "tests",
        "-q",
        "--noconftest",
        "-p",
        "no:cacheprovider",
        "-c",
        str(work / "pytest.ini"),
        "--rootdir",
        str(work),
        "--import-mode=importlib",
        "-o",
        "console_output_style=classic",
        "--tb=no",
        "-W",
        "ignore::DeprecationWarning",
    ]
    if fail_fast:
        args.append("-x")
    return args


class ReportTail:
    """Reads the child's report as it grows and turns its records into `GradeEvent`s.

    Only for showing progress: what it reads is not yet checked (the verdict waits for
    the whole report and its closing nonce)."""

    def __init__(self, path: Path, nonce: str, on_event: Callable[[GradeEvent], None]) -> None:
        self.path = path
        self.nonce = nonce
        self.on_event = on_event
        self.offset = 0
        self.pending = b""
        self.started = False
        self.names: dict[str, str] = {}
        self.done = 0

    def poll(self) -> None:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self.offset)
                chunk = fh.read(1_000_000)
        except OSError:
            return
        self.offset += len(chunk)
        self.pending += chunk
        *lines, self.pending = self.pending.split(b"\n")
        for raw in lines:
            try:
                rec = json.loads(raw)
            except ValueError:
                continue
            if isinstance(rec, dict):
                self._record(rec)

    def _record(self, rec: dict[str, Any]) -> None:
        event = rec.get("event")
        if event == Event.START and rec.get("nonce") == self.nonce:
            self.started = True
        elif event == Event.COLLECTED and self.started and not self.names:
            tests = [t for t in rec.get("tests", []) if isinstance(t, dict)]
            self.names = {str(t.get("id")): str(t.get("name", t.get("id"))) for t in tests}
            self.on_event(GradeEvent("collected", 0, len(self.names)))
        elif event == Event.TEST and self.started and str(rec.get("id")) in self.names:
            self.done += 1
            try:
                status = Status(rec.get("status"))
            except ValueError:
                status = Status.ERROR
            self.on_event(
                GradeEvent(
                    "test",
                    self.done,
                    len(self.names),
                    self.names[str(rec.get("id"))],
                    status,
                    str(rec.get("message", ""))[:2000],
                )
            )


def _read_report(
    result: GradeResult, report: Path, nonce: str, run: ChildRun, limit: float
) -> None:
    """Fill `result` from the JSON-lines report, failing closed on anything incomplete."""
    collected: list[dict[str, str]] = []
    outcomes: dict[str, dict[str, str]] = {}
    finished = False
    started = False
    size = report.stat().st_size if report.exists() else 0
    lines = _read_capped(report, 5_000_000).splitlines() if size <= 5_000_000 else []
    for raw in lines:
        try:
            rec = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(rec, dict):
            continue
        event = rec.get("event")
        if event == Event.START and rec.get("nonce") == nonce:
            started = True
        elif event == Event.COLLECTED and started and not collected:
            collected = [t for t in rec.get("tests", []) if isinstance(t, dict)]
        elif event == Event.TEST and started:
            outcomes[str(rec.get("id"))] = rec
        elif event == Event.FINISHED and rec.get("nonce") == nonce:
            finished = True
    names = {str(t.get("id")): str(t.get("name", t.get("id"))) for t in collected}
    for test_id, name in names.items():
        rec = outcomes.get(test_id)
        if rec is None:
            continue
        try:
            status = Status(rec.get("status"))
        except ValueError:
            status = Status.ERROR
        result.tests.append(
            TestResult(
                name, status, str(rec.get("message", ""))[:2000], str(rec.get("output", ""))[:2500]
            )
        )
    not_run = [n for i, n in names.items() if i not in outcomes]
    passed = sum(t.status is Status.PASS for t in result.tests)
    failed = sum(t.status is Status.FAIL for t in result.tests)
    errors = sum(t.status is Status.ERROR for t in result.tests) + len(not_run)
    result.counts = counts(passed, failed, errors, len(names))
    ended = (
        bool(started and finished and collected)
        and run.returncode in (0, 1, 2)
        and not run.timed_out
    )
    if ended and not not_run and passed == len(names) and run.returncode == 0:
        result.status = Status.PASS
        return
    # Tests left unreported after a clean finish mean the session stopped early on a failure
    # (-x, or out of memory): they count as errors, never as passes.
    if ended and (not not_run or passed < len(result.tests)):
        result.status = Status.FAIL
        memory = [t.name for t in result.tests if t.message.startswith(MEMORY_PREFIX)]
        timeout = [t.name for t in result.tests if t.message.startswith(TIMEOUT_PREFIX)]
        if memory:
            result.status = Status.ERROR
            result.message = f"memory: ran out of memory in {memory[0]!r}"
        elif timeout:
            result.status = Status.ERROR
            result.message = f"timeout: the time limit of {limit:g} s ran out in {timeout[0]!r}"
        return
    result.status = Status.ERROR
    result.message = _crash_message(run, limit, started, bool(collected), len(not_run))


def _crash_message(
    run: ChildRun, limit: float, started: bool, collected: bool, not_run: int
) -> str:
    tail = run.stdout.strip().splitlines()[-6:]
    detail = ("\n" + "\n".join(tail)) if tail else ""
    if run.timed_out:
        return (
            f"timeout: the tests did not finish within the time limit ({limit:g} s); "
            "the process group was killed"
        )
    if run.returncode == -signal.SIGKILL or run.returncode == -signal.SIGSEGV:
        return f"crash: the test process was killed by signal {-run.returncode} (out of memory?){detail}"
    if run.returncode == -signal.SIGXCPU:
        return "timeout: the test process used up its CPU-time limit"
    if run.returncode < 0:
        return f"crash: the test process was killed by signal {-run.returncode}{detail}"
    if not started or not collected:
        if run.returncode == 4 or run.returncode == 2:
            return f"crash: the hidden tests could not be collected (pytest exit {run.returncode}){detail}"
        return (
            f"crash: the test process exited (code {run.returncode}) before the tests ran "
            f"(os._exit or sys.exit at import?){detail}"
        )
    if not_run:
        return (
            f"crash: the test process exited (code {run.returncode}) with {not_run} test(s) "
            "not reported (os._exit or a hard crash inside your code?)"
        )
    return f"crash: the test process ended with code {run.returncode} without a complete report{detail}"


def _read_artifacts(folder: Path) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json"))[:10]:
        try:
            if path.stat().st_size <= ARTIFACT_CAP:
                found[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return found
