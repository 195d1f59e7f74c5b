"""The warm grading worker (a zygote forking one child per grade): the child keeps every
guarantee of a fresh interpreter, a broken zygote is replaced, progress is streamed."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from nnquiz.grading import warm
from nnquiz.grading.protocol import Status
from nnquiz.grading.result import GradeEvent
from nnquiz.grading.runner import grade
from nnquiz.katas import catalogue as katas

from ..conftest import SUBMISSIONS

pytestmark = pytest.mark.usefixtures("curriculum")

PROBE = """
import json, os, resource, sys

def _probe():
    rss = {n: resource.getrlimit(getattr(resource, n)) for n in ("RLIMIT_AS", "RLIMIT_CPU",
           "RLIMIT_FSIZE", "RLIMIT_NOFILE")}
    fds = {}
    for f in os.listdir("/proc/self/fd"):
        try:
            fds[int(f)] = os.readlink(f"/proc/self/fd/{f}")
        except OSError:
            pass
    info = {
        "pid": os.getpid(), "sid": os.getsid(0), "pgrp": os.getpgrp(),
        "cwd": os.getcwd(), "home": os.environ.get("HOME", ""),
        "env": sorted(os.environ), "stdin": os.read(0, 100).decode(), "limits": rss,
        "nnquiz_env": [k for k in os.environ if k.startswith("NNQUIZ")],
        "fds": fds, "threads": os.environ.get("OMP_NUM_THREADS"),
        "files": sorted(os.listdir(os.getcwd())),
    }
    with open(OUT, "w") as fh:
        json.dump(info, fh)

_probe()

def add(a, b):
    return a + b
"""


def add_kata():
    return katas.get_kata("add")


def probe(tmp_path: Path, **kwargs) -> dict:
    out = tmp_path / "probe.json"
    path = tmp_path / "add.py"
    path.write_text(f"OUT = {str(out)!r}\n" + PROBE)
    result = grade(add_kata(), path, **kwargs)
    assert result.status == "pass", (result.message, [t.message for t in result.tests])
    return json.loads(out.read_text())


@pytest.fixture
def worker():
    w = warm.Worker().start()
    yield w
    w.close()


@pytest.mark.parametrize("mode", ["one-off", "warm"])
def test_child_keeps_the_cold_guarantees(tmp_path, mode, worker):
    info = probe(tmp_path, worker=worker if mode == "warm" else None, threads=1)
    assert info["sid"] == info["pid"] == info["pgrp"]  # own session and process group
    assert info["home"].startswith(info["cwd"])  # HOME inside the temp dir
    assert info["files"] == sorted(
        ["add.py", "tests", "pytest.ini", "home", "report.jsonl", "child-output.txt"]
    )
    assert info["stdin"] == ""
    assert info["nnquiz_env"] == []  # the configuration is read and removed
    assert "PYTHONPATH" not in info["env"] and "PYTEST_ADDOPTS" not in info["env"]
    assert info["threads"] == "1"
    assert info["limits"]["RLIMIT_AS"][0] > 0 and info["limits"]["RLIMIT_AS"][0] < 2**40
    assert info["limits"]["RLIMIT_CPU"][0] > 0
    assert info["fds"]["0"] == "/dev/null"
    pipes = [t for t in info["fds"].values() if t.startswith(("pipe:", "socket:"))]
    assert pipes == [], info["fds"]  # no pipe to the zygote or the parent left open


def test_worker_is_reused_and_each_grade_gets_a_fresh_child(tmp_path, worker):
    first = probe(tmp_path, worker=worker)
    second = probe(tmp_path, worker=worker)
    assert worker.grades == 2 and worker.restarts == 0
    assert first["pid"] != second["pid"] and first["cwd"] != second["cwd"]


def test_a_killed_zygote_is_replaced(tmp_path, worker):
    assert grade(add_kata(), SUBMISSIONS / "add_pass.py", worker=worker).status == "pass"
    assert worker.proc is not None
    old = worker.proc.pid
    os.kill(old, signal.SIGKILL)
    worker.proc.wait()
    assert grade(add_kata(), SUBMISSIONS / "add_pass.py", worker=worker).status == "pass"
    assert worker.proc is not None and worker.proc.pid != old


def test_a_submission_killing_its_zygote_fails_and_the_next_grade_is_clean(tmp_path, worker):
    path = tmp_path / "add.py"
    path.write_text(
        "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n\n"
        "def add(a, b):\n    return a + b\n"
    )
    result = grade(add_kata(), path, worker=worker, timeout_s=5)
    assert result.status in ("pass", "fail", "error")  # the verdict rests on the report only
    assert worker.restarts == 1 or worker.proc is None or not worker.alive()
    assert grade(add_kata(), SUBMISSIONS / "add_fail.py", worker=worker).status == "fail"
    assert grade(add_kata(), SUBMISSIONS / "add_pass.py", worker=worker).status == "pass"


def test_a_hanging_zygote_child_is_killed_at_the_limit(worker):
    start = time.monotonic()
    result = grade(add_kata(), SUBMISSIONS / "add_timeout.py", worker=worker, timeout_s=2)
    assert result.status == "error" and result.message.startswith("timeout")
    assert time.monotonic() - start < 2 + 15
    assert grade(add_kata(), SUBMISSIONS / "add_pass.py", worker=worker).status == "pass"


def test_events_stream_each_test_as_it_finishes(worker):
    events: list[GradeEvent] = []
    result = grade(add_kata(), SUBMISSIONS / "add_fail.py", worker=worker, on_event=events.append)
    assert [e.kind for e in events] == ["collected"] + ["test"] * 4
    assert events[0].total == 4
    assert [e.index for e in events[1:]] == [1, 2, 3, 4]
    assert [e.name for e in events[1:]] == [t.name for t in result.tests]
    assert all(e.status is Status.FAIL for e in events[1:])


def test_suite_imports_are_read_statically():
    suite = Path(__file__).resolve().parents[2] / "katas" / "knn" / "tests"
    names = warm.suite_imports(sorted(suite.glob("test_*.py")))
    assert "sklearn.neighbors" in names and "numpy" in names


def test_first_use_imports_are_preloaded_where_suite_or_solution_uses_them():
    """torch.optim's first optimizer imports torch._dynamo (about 1 s): the zygote imports it
    for katas that train with one, and for no other (nor one whose suite imports torch only
    when its cache is cold)."""
    repo = Path(__file__).resolve().parents[2]  # the shipped katas (the tests' content is fake)

    def preloads(slug: str) -> list[str]:
        suite = sorted((repo / "katas" / slug / "tests").glob("test_*.py"))
        return warm.kata_preload(suite, repo / "solutions" / f"{slug}.py")

    assert "torch._dynamo" in preloads("cnn")  # the solution's train_cnn builds an Adam
    assert "torch._dynamo" in preloads("lora")  # the suite fine-tunes with one
    assert "torch._dynamo" not in preloads("kv-cache")  # no training at all
    assert "torch" not in preloads("optimizers")  # torch.optim only when the cache is cold
    assert "torch._dynamo" not in preloads("knn")


def test_first_use_scan_reads_every_spelling(tmp_path):
    spellings = [
        "import torch\nopt = torch.optim.SGD",
        "from torch import optim",
        "from torch.optim import Adam",
        "import torch.optim as o",
        "import torch.optim.lr_scheduler",
    ]
    suite = tmp_path / "test_x.py"
    suite.write_text("import torch\n")
    for n, text in enumerate(spellings):
        solution = tmp_path / f"s{n}.py"
        solution.write_text(text + "\n")
        assert "torch._dynamo" in warm.kata_preload([suite], solution), text
    plain = tmp_path / "plain.py"
    plain.write_text("import torch\nx = torch.zeros(3)  # optim in a comment: torch.optim\n")
    assert "torch._dynamo" not in warm.kata_preload([suite], plain)


def test_shared_pool_lends_one_worker_at_a_time():
    pool = warm.Pool()
    try:
        with pool.worker() as a, pool.worker() as b:
            assert a is not b
        with pool.worker() as c:
            assert c in (a, b)
    finally:
        pool.close()
    assert pool.idle == []


def test_an_empty_file_fails_at_once_without_a_child(tmp_path, monkeypatch):
    path = tmp_path / "add.py"
    path.write_text("")

    def no_worker(*args, **kwargs):
        raise AssertionError("a worker was started for a file that defines nothing")

    monkeypatch.setattr(warm.Worker, "start", no_worker)
    events: list[GradeEvent] = []
    result = grade(add_kata(), path, on_event=events.append)
    assert result.status == "fail" and result.counts["total"] == 1
    assert result.tests[0].message == "your module does not define add"
    assert [e.kind for e in events] == ["collected", "test"]


def test_sweep_of_orphans_spares_this_process_own_children():
    """The grading parent's sweep kills adopted orphans of a grade (they run in sessions of
    their own), never a process this process started in its own session."""
    import subprocess

    from nnquiz.grading import reaper

    if not reaper.adopt_orphans():
        pytest.skip("no child subreaper on this system (Linux only)")
    mine = subprocess.Popen(["sleep", "30"])
    # an orphan: a middle process starts a setsid sleeper and exits at once
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import subprocess; subprocess.Popen(['sleep', '30'], start_new_session=True)",
        ],
        check=True,
    )
    try:
        assert reaper.sweep_orphans() == 1
        assert mine.poll() is None
    finally:
        mine.kill()
        mine.wait()
