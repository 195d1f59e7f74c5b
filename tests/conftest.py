"""Shared fixtures: every test gets its own NNQUIZ_HOME and workspace; nothing touches ~."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MINI_BANK = FIXTURES / "bank"
CURRICULUM = FIXTURES / "curriculum"
SUBMISSIONS = FIXTURES / "submissions"


def pytest_configure(config: pytest.Config) -> None:
    """Before collection: nnquiz's data and cache dirs point into a temporary folder, so no
    module-level code of a test file can touch the real user data dir (each test then gets
    its own, see `isolated`)."""
    scratch = tempfile.mkdtemp(prefix="nnquiz-tests-")
    os.environ["NNQUIZ_HOME"] = os.path.join(scratch, "home")
    os.environ["NNQUIZ_CACHE"] = os.path.join(scratch, "cache")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Longest first: the slow tests lead, the gradings of katas with the longest time limits
    first, so that pytest-xdist's workers do not end the run with one of them grading a long
    kata while the other waits. The order is the same in every worker (xdist requires it)."""
    from nnquiz.katas.catalogue import load_catalogue

    limits = {slug: kata.time_limit_s for slug, kata in load_catalogue().items()}

    def cost(item: pytest.Item) -> float:
        if item.get_closest_marker("slow") is None:
            return 0.0
        callspec = getattr(item, "callspec", None)
        for value in callspec.params.values() if callspec else ():
            slug = value.parent.name if isinstance(value, Path) else value
            if isinstance(slug, str) and slug in limits:
                return float(limits[slug])
        return 1.0

    items.sort(key=cost, reverse=True)


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One reference cache for the whole run (what a user's machine would have), shared by
    pytest-xdist's workers (whose temporary folders sit side by side): the cache's files are
    written atomically, so a reference trained by one worker is read by the other."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    cache = base / "shared-cache"
    cache.mkdir(exist_ok=True)
    return cache


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shared_cache: Path) -> Path:
    for var in ("NNQUIZ_BANK", "NNQUIZ_QUESTIONS", "NNQUIZ_CONTENT", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NNQUIZ_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NNQUIZ_WORKDIR", str(tmp_path / "work"))
    monkeypatch.setenv("NNQUIZ_CACHE", str(shared_cache))
    monkeypatch.setenv("COLUMNS", "120")
    if os.environ.get("PYTEST_XDIST_WORKER"):  # two workers on two cores: one thread per grade
        monkeypatch.setenv("NNQUIZ_GRADE_THREADS", "1")
    return tmp_path


@pytest.fixture
def mini_bank(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NNQUIZ_QUESTIONS", str(MINI_BANK))
    return MINI_BANK


@pytest.fixture
def curriculum(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NNQUIZ_CONTENT", str(CURRICULUM))
    return CURRICULUM


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run_cli(
    args: list[str], *, input: str = "", env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The real `python -m nnquiz` in a subprocess (stdin is a pipe, not a terminal)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "nnquiz", *args],
        input=input,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=ROOT,
    )
