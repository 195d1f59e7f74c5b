"""The grading child: `python -I -m nnquiz.grading <pytest args>` calls `main` here.

It reads its configuration (protocol.ChildConfig) from the environment, removes it, and runs
pytest with one `GradingPlugin` object: the plugin enforces the suite's time limit test by
test, puts back anything a submission patched in the judges' modules, and streams the
JSON-lines report the parent trusts only when complete. The hidden suites' fixtures
(`user`, `reference`, `ref_cache`, `user_cache`, `artifacts`) live in
`nnquiz.grading.fixtures` and read the plugin from `config.stash`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Generator
from typing import IO, Any

import pytest

from nnquiz.grading.protocol import (
    MEMORY_PREFIX,
    TIMEOUT_PREFIX,
    ChildConfig,
    Event,
    Status,
    missing_message,
    module_check_name,
)

OUTPUT_CAP = 2000
MESSAGE_CAP = 1500
PLUGIN_KEY = pytest.StashKey["GradingPlugin"]()

# Functions suites compare with. A submission that replaces one (at import or while a test
# runs) has it put back before the next comparison: the patch never reaches a verdict.
GUARDED: dict[str, tuple[str, ...] | None] = {
    "builtins": (
        "abs",
        "all",
        "any",
        "isinstance",
        "len",
        "float",
        "int",
        "bool",
        "sorted",
        "type",
    ),
    "math": ("isclose", "isfinite", "isnan", "isinf"),
    "numpy": (
        "allclose",
        "isclose",
        "array_equal",
        "array_equiv",
        "all",
        "any",
        "isfinite",
        "isnan",
        "abs",
        "asarray",
        "array",
        "testing",
    ),
    "numpy.testing": None,  # every public name
    "torch": ("allclose", "isclose", "equal", "testing", "is_tensor"),
    "torch.testing": ("assert_close",),
    "nnquiz.grading.katalib.checks": None,
    "pytest": ("approx", "raises", "fail"),
}


class SuiteTimeout(Exception):
    """The kata's time limit ran out during this test."""


class ModuleCheck(pytest.Item):
    """The one check that replaces a whole suite when the submission cannot be tested: it
    raises at import, or does not define the kata's entrypoints (fail fast)."""

    def __init__(self, *, problem: BaseException, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problem = problem

    def runtest(self) -> None:
        raise self.problem

    def reportinfo(self) -> tuple[str, int, str]:
        return "", 0, self.name


def readable_name(item: pytest.Item) -> str:
    """`test_matches_sklearn[iris-3]` -> `matches sklearn (iris-3)`; a docstring wins."""
    if isinstance(item, ModuleCheck):
        return item.name
    func = getattr(item, "function", None)
    doc = (getattr(func, "__doc__", None) or "").strip().splitlines()
    base = doc[0].rstrip(".") if doc else getattr(item, "originalname", item.name)
    if not doc:
        base = base.removeprefix("test_").replace("_", " ")
    callspec = getattr(item, "callspec", None)
    return f"{base} ({callspec.id})" if callspec is not None else base


def _message(excinfo: pytest.ExceptionInfo[BaseException], submission: str) -> str:
    exc = excinfo.value
    if isinstance(exc, MemoryError):
        return f"{MEMORY_PREFIX}: ran out of memory (the grader's memory limit was reached)"
    if isinstance(exc, SuiteTimeout):
        return f"{TIMEOUT_PREFIX}: {exc}"
    if isinstance(exc, AssertionError) and str(exc):
        text = str(exc)
    else:
        text = excinfo.exconly().removeprefix("Failed: ")
    if not isinstance(exc, (AssertionError, pytest.fail.Exception, SuiteTimeout)):
        where = _user_frame(excinfo.tb, submission)
        if where:
            text += f"\n  (raised at {where})"
    return text if len(text) <= MESSAGE_CAP else text[:MESSAGE_CAP] + " ... [cut]"


def _user_frame(tb: Any, submission: str) -> str:
    found = ""
    for frame, lineno in traceback.walk_tb(tb):
        if submission and frame.f_code.co_filename == submission:
            found = f"line {lineno} of your file, in {frame.f_code.co_name}"
    return found


def _status(phase: str, excinfo: Any) -> Status:
    if excinfo is None:
        return Status.PASS
    if isinstance(excinfo.value, (SuiteTimeout, MemoryError)) or phase != "call":
        return Status.ERROR
    return Status.FAIL


CACHED_FIGURES = ("user_cache", "ref_cache")  # the fixtures a suite trains models through
TRAINS_MARKER = "trains"  # @pytest.mark.trains: a test that trains a model without a cache


def trains_a_model(item: pytest.Item) -> bool:
    """Whether a test trains a model: it uses, directly or through its fixtures, figures
    cached by user_cache or ref_cache, or it is marked `@pytest.mark.trains`."""
    names = getattr(item, "fixturenames", ())
    return any(name in names for name in CACHED_FIGURES) or (
        item.get_closest_marker(TRAINS_MARKER) is not None
    )


class GradingPlugin:
    """One grading run inside the child: its configuration, report, deadline and guards."""

    def __init__(self, config: ChildConfig) -> None:
        self.config = config
        self.deadline = float("inf")
        self.report: IO[str] | None = None
        self.results: dict[str, dict[str, str]] = {}
        self.modules: dict[str, Any] = {}
        self.snapshot: dict[tuple[str, str], Any] = {}

    def emit(self, event: Event, **fields: Any) -> None:
        if self.report is not None:
            self.report.write(json.dumps({"event": event.value, **fields}) + "\n")
            self.report.flush()

    # ------------------------------------------------------------ pytest hooks

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[PLUGIN_KEY] = self
        config.addinivalue_line(
            "markers", f"{TRAINS_MARKER}: trains a model (run after the tests that do not)"
        )
        if self.config.time_limit_s > 0:
            self.deadline = time.monotonic() + self.config.time_limit_s
        if self.config.report:
            self.report = open(self.config.report, "w", encoding="utf-8")  # noqa: SIM115
            self.emit(Event.START, nonce=self.config.nonce)

    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        """Fail fast: import the submission once the suite is collected (the suite's own
        imports come first, as with the `user` fixture). When that raises, or an entrypoint
        is missing, one check reports it instead of every test failing the same way.

        Then the tests that train no model (`trains_a_model`) run first, each group in the
        suite's order: a grade that stops at the first failure reports a wrong
        function in seconds, before any model of the file is trained."""
        if not self.config.submission or not items:
            return
        problem = self.check_submission()
        if problem is not None:
            label = module_check_name(self.config.entrypoints)
            items[:] = [ModuleCheck.from_parent(session, name=label, problem=problem)]
            return
        items.sort(key=trains_a_model)  # stable: the suite's order within each group

    def check_submission(self) -> BaseException | None:
        """Import the submission (under the suite's time limit); the failure, if any."""
        remaining = self.deadline - time.monotonic()
        use_alarm = remaining != float("inf")
        limit = f"{self.config.time_limit_s:g}"

        def on_alarm(_signum: int, _frame: Any) -> None:
            raise SuiteTimeout(f"the kata's time limit ({limit} s) ran out importing your module")

        previous: Any = None
        self.take_snapshot()
        try:
            if use_alarm:
                previous = signal.signal(signal.SIGALRM, on_alarm)
                signal.setitimer(signal.ITIMER_REAL, max(remaining, 0.001))
            module = self.import_file(self.config.submission, "submission", "your module")
        except (pytest.fail.Exception, SuiteTimeout) as exc:
            return exc
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
            self.restore_snapshot()
        missing = [n for n in self.config.entrypoints if not hasattr(module, n)]
        if missing:
            return pytest.fail.Exception(missing_message(missing), pytrace=False)
        return None

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.emit(
            Event.COLLECTED,
            tests=[{"id": item.nodeid, "name": readable_name(item)} for item in session.items],
        )

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, Any, Any]:
        if isinstance(item, ModuleCheck):  # it only reports what already happened
            return (yield)
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise SuiteTimeout("not run: the kata's time limit had already run out")
        use_alarm = remaining != float("inf")
        limit = f"{self.config.time_limit_s:g}"

        def on_alarm(_signum: int, _frame: Any) -> None:
            raise SuiteTimeout(f"the kata's time limit ({limit} s) ran out during this test")

        previous: Any = None
        if use_alarm:
            previous = signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, remaining)
        try:
            return (yield)
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
            self.restore_snapshot()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Any, Any]:
        report = yield
        entry = self.results.setdefault(
            item.nodeid, {"status": Status.PASS.value, "message": "", "output": ""}
        )
        if report.skipped:
            entry.update(
                status=Status.ERROR.value,
                message="skipped: a skipped test does not count as passed",
            )
        elif report.failed and entry["status"] == Status.PASS.value:
            excinfo = call.excinfo
            entry["status"] = _status(call.when, excinfo).value
            entry["message"] = _message(excinfo, self.config.submission) if excinfo else "failed"
            if excinfo is not None and isinstance(excinfo.value, MemoryError):
                # every later test would grind through the same allocations: stop here
                item.session.shouldstop = "out of memory"
        if call.when == "call" or (report.failed and call.when == "setup"):
            out = (report.capstdout or "") + (report.capstderr or "")
            if len(out) > OUTPUT_CAP:
                out = out[:OUTPUT_CAP] + f"\n... [output cut: {len(out)} characters in all]"
            entry["output"] = out
        return report

    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
        entry = self.results.get(
            nodeid, {"status": Status.ERROR.value, "message": "no result", "output": ""}
        )
        self.emit(Event.TEST, id=nodeid, **entry)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.emit(Event.FINISHED, nonce=self.config.nonce, exitstatus=int(exitstatus))

    # ------------------------------------------------------------ guarding the judges

    def take_snapshot(self) -> None:
        for mod_name, names in GUARDED.items():
            module = sys.modules.get(mod_name)
            if module is None:
                continue
            for name in names or [n for n in vars(module) if not n.startswith("__")]:
                if hasattr(module, name):
                    self.snapshot.setdefault((mod_name, name), getattr(module, name))

    def restore_snapshot(self) -> list[str]:
        """Put back anything a submission replaced; returns the names it had touched."""
        touched = []
        for (mod_name, name), original in self.snapshot.items():
            module = sys.modules.get(mod_name)
            if module is not None and getattr(module, name, None) is not original:
                setattr(module, name, original)
                touched.append(f"{mod_name}.{name}")
        return touched

    # ------------------------------------------------------------ importing the modules

    def import_file(self, path: str, name: str, label: str) -> Any:
        if name in self.modules:
            return self.modules[name]
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            pytest.fail(f"cannot import {label} from {path}", pytrace=False)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except (KeyboardInterrupt, SuiteTimeout):
            sys.modules.pop(name, None)
            raise
        except BaseException as exc:  # SystemExit at import included
            sys.modules.pop(name, None)
            where = ""
            for frame, lineno in traceback.walk_tb(exc.__traceback__):
                if frame.f_code.co_filename == path:
                    where = f" at line {lineno}"
            detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            pytest.fail(f"importing {label} failed{where}: {detail}", pytrace=False)
        self.modules[name] = module
        return module


def main(argv: list[str] | None = None) -> int:
    """Run pytest with the grading plugin; the configuration comes from the environment."""
    from nnquiz.grading import fixtures

    plugin = GradingPlugin(ChildConfig.from_env(os.environ))
    return int(
        pytest.main(list(sys.argv[1:] if argv is None else argv), plugins=[plugin, fixtures])
    )
