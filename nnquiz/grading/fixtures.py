"""The fixtures hidden suites receive inside the grading child (registered beside the
GradingPlugin object, whose configuration they read from `config.stash`)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nnquiz.grading.child import PLUGIN_KEY, GradingPlugin
from nnquiz.grading.protocol import missing_message


def _plugin(request: pytest.FixtureRequest) -> GradingPlugin:
    return request.config.stash[PLUGIN_KEY]


class RefCache:
    """Reference figures on disk, keyed by kata version, data and library versions."""

    def __init__(self, folder: str, key: str, kata: str) -> None:
        self.folder = Path(folder) if folder else None
        self.key = key
        self.kata = kata

    def get(self, name: str, compute: Callable[[], Any]) -> Any:
        """compute() once per key; its result must be JSON-serialisable. Two grades at once
        that miss the same figure compute it once: the second waits on a lock file for the
        first (`grade --reference --jobs 2`, the project's tests)."""
        if self.folder is None:
            return compute()
        path = self.folder / f"{self.kata}-{name}-{self.key}.json"
        found, value = self._read(path)
        if found:
            return value
        with self._lock(path):
            found, value = self._read(path)  # computed while this grade waited
            if found:
                return value
            value = compute()
            try:
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps({"value": value, "kata": self.kata}), encoding="utf-8")
                os.replace(tmp, path)  # atomic: two graders at once never see half a file
            except OSError:
                pass
        return value

    @staticmethod
    def _read(path: Path) -> tuple[bool, Any]:
        try:
            return True, json.loads(path.read_text(encoding="utf-8"))["value"]
        except (OSError, ValueError, KeyError):
            return False, None

    @contextlib.contextmanager
    def _lock(self, path: Path) -> Iterator[None]:
        """An exclusive lock on `path`.lock while a figure is computed (none if the folder
        cannot be written: then each grade computes its own)."""
        try:
            assert self.folder is not None
            self.folder.mkdir(parents=True, exist_ok=True)
            handle = open(path.with_suffix(".lock"), "a")  # noqa: SIM115
        except OSError:
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
            yield


class Artifacts:
    """Small JSON results the CLI renders after grading (e.g. generated points)."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder) if folder else None

    def save(self, name: str, value: Any) -> None:
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / f"{name}.json").write_text(json.dumps(value), encoding="utf-8")


@pytest.fixture(scope="session")
def user(request: pytest.FixtureRequest) -> Any:
    """The user's module, imported after the suite's own imports."""
    plugin = _plugin(request)
    path = plugin.config.submission
    if not path:
        pytest.fail("no submission given to the grader", pytrace=False)
    plugin.take_snapshot()
    try:
        module = plugin.import_file(path, "submission", "your module")
    finally:
        plugin.restore_snapshot()
    missing = [n for n in plugin.config.entrypoints if not hasattr(module, n)]
    if missing:
        pytest.fail(missing_message(missing), pytrace=False)
    return module


@pytest.fixture(scope="session")
def reference(request: pytest.FixtureRequest) -> Any:
    """The kata's reference solution, for training reference models at grade time."""
    plugin = _plugin(request)
    if not plugin.config.reference:
        pytest.fail("the reference solution was not given to the grader", pytrace=False)
    return plugin.import_file(plugin.config.reference, "nnquiz_reference", "the reference solution")


@pytest.fixture(scope="session")
def ref_cache(request: pytest.FixtureRequest) -> RefCache:
    cfg = _plugin(request).config
    return RefCache(cfg.cache_dir, cfg.cache_key, cfg.kata)


@pytest.fixture(scope="session")
def user_cache(request: pytest.FixtureRequest) -> RefCache:
    """Like ref_cache, also keyed by the submission's bytes: figures from training the user's
    own model, reused when the very same file is graded again (watch, a second grade).

    A submission byte for byte the reference solution shares ref_cache itself: a suite that
    names a figure the same and computes it with the same code for `user` and `reference`
    (the reference's held-out loss, say) then trains that model once, not twice, when the
    reference is graded (`grade --reference`, CI)."""
    cfg = _plugin(request).config
    try:
        source = Path(cfg.submission).read_bytes()
    except OSError:
        return RefCache("", "", "")  # no cache: always compute
    try:
        if cfg.reference and source == Path(cfg.reference).read_bytes():
            return RefCache(cfg.cache_dir, cfg.cache_key, cfg.kata)
    except OSError:
        pass
    digest = hashlib.sha256(source).hexdigest()[:16]
    return RefCache(cfg.cache_dir, f"{cfg.cache_key}-{digest}", cfg.kata + "-submission")


@pytest.fixture(scope="session")
def artifacts(request: pytest.FixtureRequest) -> Artifacts:
    return Artifacts(_plugin(request).config.artifacts)
