"""The pytest plugin loaded inside the grading child (`-p nnquiz.grading_plugin`).

It gives hidden suites their fixtures (`user`, `reference`, `ref_cache`, `artifacts`),
enforces the suite's time limit test by test, and streams a JSON-lines report that the
parent trusts only when it is complete. Configuration arrives in NNQUIZ_* environment
variables, which are read and removed before the user's module is imported.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable

import pytest

_ENV_KEYS = (
    "NNQUIZ_SUBMISSION", "NNQUIZ_REFERENCE", "NNQUIZ_REPORT", "NNQUIZ_NONCE",
    "NNQUIZ_TIME_LIMIT_S", "NNQUIZ_CACHE_DIR", "NNQUIZ_CACHE_KEY", "NNQUIZ_ARTIFACTS",
    "NNQUIZ_ENTRYPOINTS", "NNQUIZ_KATA",
)
OUTPUT_CAP = 2000
MESSAGE_CAP = 1500
_cfg: dict[str, str] = {}
_report: Any = None
_deadline = float("inf")
_results: dict[str, dict[str, str]] = {}
_modules: dict[str, Any] = {}


class SuiteTimeout(Exception):
    """The kata's time limit ran out during this test."""


def _emit(record: dict[str, Any]) -> None:
    if _report is not None:
        _report.write(json.dumps(record) + "\n")
        _report.flush()


def pytest_configure(config: pytest.Config) -> None:
    global _report, _deadline
    for key in _ENV_KEYS:
        if key in os.environ:
            _cfg[key] = os.environ.pop(key)
    limit = float(_cfg.get("NNQUIZ_TIME_LIMIT_S", "0") or 0)
    if limit > 0:
        _deadline = time.monotonic() + limit
    if _cfg.get("NNQUIZ_REPORT"):
        _report = open(_cfg["NNQUIZ_REPORT"], "w", encoding="utf-8")  # noqa: SIM115
        _emit({"nonce": _cfg.get("NNQUIZ_NONCE", ""), "event": "start"})


def pytest_collection_finish(session: pytest.Session) -> None:
    _emit({
        "event": "collected",
        "tests": [{"id": item.nodeid, "name": readable_name(item)} for item in session.items],
    })


def readable_name(item: pytest.Item) -> str:
    """`test_matches_sklearn[iris-3]` -> `matches sklearn (iris-3)`; a docstring wins."""
    func = getattr(item, "function", None)
    doc = (getattr(func, "__doc__", None) or "").strip().splitlines()
    base = doc[0].rstrip(".") if doc else getattr(item, "originalname", item.name)
    if not doc:
        base = base.removeprefix("test_").replace("_", " ")
    callspec = getattr(item, "callspec", None)
    return f"{base} ({callspec.id})" if callspec is not None else base


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    remaining = _deadline - time.monotonic()
    if remaining <= 0:
        raise SuiteTimeout("not run: the kata's time limit had already run out")
    use_alarm = remaining != float("inf")

    def on_alarm(signum: int, frame: Any) -> None:
        raise SuiteTimeout(f"the kata's time limit ({_cfg.get('NNQUIZ_TIME_LIMIT_S')} s) ran out during this test")

    if use_alarm:
        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, remaining)
    try:
        return (yield)
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _restore_snapshot()


def _message(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    exc = excinfo.value
    if isinstance(exc, MemoryError):
        return "MemoryError: ran out of memory (the grader's memory limit was reached)"
    if isinstance(exc, SuiteTimeout):
        return f"timeout: {exc}"
    if isinstance(exc, AssertionError) and str(exc):
        text = str(exc)
    else:
        text = excinfo.exconly().removeprefix("Failed: ")
    if not isinstance(exc, (AssertionError, pytest.fail.Exception, SuiteTimeout)):
        where = _user_frame(excinfo.tb)
        if where:
            text += f"\n  (raised at {where})"
    return text if len(text) <= MESSAGE_CAP else text[:MESSAGE_CAP] + " ... [cut]"


def _user_frame(tb: Any) -> str:
    submission = _cfg.get("NNQUIZ_SUBMISSION", "")
    found = ""
    for frame, lineno in traceback.walk_tb(tb):
        if submission and frame.f_code.co_filename == submission:
            found = f"line {lineno} of your file, in {frame.f_code.co_name}"
    return found


def _status(phase: str, excinfo: Any) -> str:
    if excinfo is None:
        return "pass"
    if isinstance(excinfo.value, (SuiteTimeout, MemoryError)) or phase != "call":
        return "error"
    return "fail"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    entry = _results.setdefault(item.nodeid, {"status": "pass", "message": "", "output": ""})
    if report.skipped:
        entry.update(status="error", message="skipped: a skipped test does not count as passed")
    elif report.failed and entry["status"] == "pass":
        excinfo = call.excinfo
        entry["status"] = _status(call.when, excinfo)
        entry["message"] = _message(excinfo) if excinfo else "failed"
        if excinfo is not None and isinstance(excinfo.value, MemoryError):
            # every later test would grind through the same allocations: stop here
            item.session.shouldstop = "out of memory"
    if call.when == "call" or (report.failed and call.when == "setup"):
        out = (report.capstdout or "") + (report.capstderr or "")
        if len(out) > OUTPUT_CAP:
            out = out[:OUTPUT_CAP] + f"\n... [output cut: {len(out)} characters in all]"
        entry["output"] = out
    return report


def pytest_runtest_logfinish(nodeid: str, location: Any) -> None:
    entry = _results.get(nodeid, {"status": "error", "message": "no result", "output": ""})
    _emit({"event": "test", "id": nodeid, **entry})


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _emit({"event": "finished", "nonce": _cfg.get("NNQUIZ_NONCE", ""), "exitstatus": int(exitstatus)})


# ---------------------------------------------------------------- guarding the judges

# Functions suites compare with. A submission that replaces one (at import or while a test
# runs) has it put back before the next comparison: the patch never reaches a verdict.
_GUARDED = {
    "builtins": ("abs", "all", "any", "isinstance", "len", "float", "int", "bool", "sorted", "type"),
    "math": ("isclose", "isfinite", "isnan", "isinf"),
    "numpy": ("allclose", "isclose", "array_equal", "array_equiv", "all", "any", "isfinite", "isnan",
              "abs", "asarray", "array", "testing"),
    "numpy.testing": None,  # every public name
    "torch": ("allclose", "isclose", "equal", "testing", "is_tensor"),
    "torch.testing": ("assert_close",),
    "nnquiz.katalib.checks": None,
    "pytest": ("approx", "raises", "fail"),
}
_snapshot: dict[tuple[str, str], Any] = {}


def _take_snapshot() -> None:
    for mod_name, names in _GUARDED.items():
        module = sys.modules.get(mod_name)
        if module is None:
            continue
        for name in names or [n for n in vars(module) if not n.startswith("__")]:
            if hasattr(module, name):
                _snapshot.setdefault((mod_name, name), getattr(module, name))


def _restore_snapshot() -> list[str]:
    """Put back anything a submission replaced; returns the names it had touched."""
    touched = []
    for (mod_name, name), original in _snapshot.items():
        module = sys.modules.get(mod_name)
        if module is not None and getattr(module, name, None) is not original:
            setattr(module, name, original)
            touched.append(f"{mod_name}.{name}")
    return touched


# ---------------------------------------------------------------- fixtures for hidden suites


def _import_file(path: str, name: str, label: str) -> Any:
    if name in _modules:
        return _modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        pytest.fail(f"cannot import {label} from {path}", pytrace=False)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit at import included
        sys.modules.pop(name, None)
        where = ""
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename == path:
                where = f" at line {lineno}"
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        pytest.fail(f"importing {label} failed{where}: {detail}", pytrace=False)
    _modules[name] = module
    return module


@pytest.fixture(scope="session")
def user() -> Any:
    """The user's module, imported after the suite's own imports."""
    path = _cfg.get("NNQUIZ_SUBMISSION")
    if not path:
        pytest.fail("no submission given to the grader", pytrace=False)
    _take_snapshot()
    try:
        module = _import_file(path, "submission", "your module")
    finally:
        _restore_snapshot()
    wanted = [n for n in _cfg.get("NNQUIZ_ENTRYPOINTS", "").split(",") if n]
    missing = [n for n in wanted if not hasattr(module, n)]
    if missing:
        pytest.fail(f"your module does not define {', '.join(missing)}", pytrace=False)
    return module


@pytest.fixture(scope="session")
def reference() -> Any:
    """The kata's reference solution, for training reference models at grade time."""
    path = _cfg.get("NNQUIZ_REFERENCE")
    if not path:
        pytest.fail("the reference solution was not given to the grader", pytrace=False)
    return _import_file(path, "nnquiz_reference", "the reference solution")


class RefCache:
    """Reference figures on disk, keyed by kata version, data and library versions."""

    def __init__(self, folder: str, key: str, kata: str) -> None:
        self.folder = Path(folder) if folder else None
        self.key = key
        self.kata = kata

    def get(self, name: str, compute: Callable[[], Any]) -> Any:
        """compute() once per key; its result must be JSON-serialisable."""
        if self.folder is None:
            return compute()
        path = self.folder / f"{self.kata}-{name}-{self.key}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))["value"]
        except (OSError, ValueError, KeyError):
            pass
        value = compute()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"value": value, "kata": self.kata}), encoding="utf-8")
            os.replace(tmp, path)  # atomic: two graders at once never see half a file
        except OSError:
            pass
        return value


@pytest.fixture(scope="session")
def ref_cache() -> RefCache:
    return RefCache(_cfg.get("NNQUIZ_CACHE_DIR", ""), _cfg.get("NNQUIZ_CACHE_KEY", "nokey"),
                    _cfg.get("NNQUIZ_KATA", "kata"))


@pytest.fixture(scope="session")
def user_cache() -> RefCache:
    """Like ref_cache, also keyed by the submission's bytes: figures from training the user's
    own model, reused when the very same file is graded again (watch, a second grade)."""
    import hashlib

    path = _cfg.get("NNQUIZ_SUBMISSION", "")
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return RefCache("", "", "")  # no cache: always compute
    return RefCache(_cfg.get("NNQUIZ_CACHE_DIR", ""), f"{_cfg.get('NNQUIZ_CACHE_KEY', 'nokey')}-{digest}",
                    _cfg.get("NNQUIZ_KATA", "kata") + "-submission")


class Artifacts:
    """Small JSON results the CLI renders after grading (e.g. generated points)."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder) if folder else None

    def save(self, name: str, value: Any) -> None:
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / f"{name}.json").write_text(json.dumps(value), encoding="utf-8")


@pytest.fixture(scope="session")
def artifacts() -> Artifacts:
    return Artifacts(_cfg.get("NNQUIZ_ARTIFACTS", ""))
