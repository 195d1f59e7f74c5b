"""A live status line while grading, streamed from the child's events, in `grade`, `watch`
and the mock; `q` in watch stops a grade in progress (issue 14, item 8)."""

from __future__ import annotations

import json
import os
import re
import shutil
import time

import pytest

from ..conftest import CURRICULUM, SUBMISSIONS, run_cli
from ..terminal import Terminal


@pytest.fixture
def env(tmp_path):
    return {
        "NNQUIZ_HOME": str(tmp_path / "home"),
        "NNQUIZ_CONTENT": str(CURRICULUM),
        "NNQUIZ_WORKDIR": str(tmp_path / "work"),
        "NNQUIZ_CACHE": os.environ["NNQUIZ_CACHE"],
    }


def test_grade_shows_which_test_is_running(env, tmp_path):
    (tmp_path / "work").mkdir()
    shutil.copy(SUBMISSIONS / "add_pass.py", tmp_path / "work" / "add.py")
    term = Terminal(["grade", "add"], env)
    try:
        term.expect("4/4 tests passed", timeout=120)
        assert term.wait() == 0
    finally:
        term.close()
    assert re.search(r"grading add: test [1-4] of 4", term.text), term.text


def test_q_in_watch_stops_a_grade_in_progress(env, tmp_path):
    (tmp_path / "work").mkdir()
    shutil.copy(SUBMISSIONS / "add_timeout.py", tmp_path / "work" / "add.py")
    term = Terminal(["watch", "add"], env)
    try:
        term.expect("grading add", timeout=120)
        time.sleep(0.5)
        started = time.monotonic()
        term.send("q")
        assert term.wait(timeout=15) == 0
        assert time.monotonic() - started < 10  # the kata's limit is 20 s
    finally:
        term.close()
    stats = json.loads(run_cli(["stats", "--json"], env=env).stdout)
    assert not stats["katas"], stats["katas"]  # a stopped grade is not an attempt
