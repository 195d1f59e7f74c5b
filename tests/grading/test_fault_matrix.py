"""Hostile and broken submissions: each ends as a labelled failure, never a pass, never a
traceback from nnquiz, within the time limit plus a few seconds, with nothing left running."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from nnquiz.grading.runner import grade
from nnquiz.grading.service import warm_grade
from nnquiz.katas.catalogue import load_catalogue
from nnquiz.ui.cli import app

pytestmark = pytest.mark.slow
CATALOGUE = load_catalogue()
# a numpy kata and a torch kata from the catalogue, each the quickest of its kind
KATAS = [
    min((k for k in CATALOGUE.values() if k.uses_torch is torch), key=lambda k: k.time_limit_s).slug
    for torch in (False, True)
]
SHORT_LIMIT = 2.0  # seconds: the hanging faults are graded with this limit to keep CI short
GRACE = 15.0  # interpreter and torch start-up on a loaded 2-core machine


def module(kata_slug: str, body: str, at_import: str = "", header: str = "") -> str:
    """A submission defining every entrypoint of the kata as a function running `body`."""
    kata = CATALOGUE[kata_slug]
    funcs = "\n\n".join(
        f"def {name}(*args, **kwargs):\n{textwrap.indent(body, '    ')}"
        for name in kata.entrypoints
    )
    return f"{header}\n{at_import}\n\n{funcs}\n"


FAULTS = {
    "infinite loop": dict(body="while True:\n    pass", limit=SHORT_LIMIT),
    "infinite loop ignoring SIGALRM": dict(
        header="import signal",
        at_import="signal.signal(signal.SIGALRM, signal.SIG_IGN)",
        body="import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass",
        limit=SHORT_LIMIT,
    ),
    # Asks for ever more memory until the address-space limit stops it. bytes(n) comes from
    # calloc, whose fresh pages are not written: the limit is reached at once however busy
    # the machine is (bytearray(n) writes every page: gigabytes of zeros, which on a loaded
    # 2-core machine can outlast the time limit and end as a timeout instead).
    "memory bomb": dict(body="chunks = []\nwhile True:\n    chunks.append(bytes(512 * 2**20))"),
    "os._exit(0) at import": dict(header="import os", at_import="os._exit(0)", body="return None"),
    "os._exit(0) in the function": dict(header="import os", body="os._exit(0)"),
    "SystemExit(0) at import": dict(at_import="raise SystemExit(0)", body="return None"),
    "SystemExit(0) in the function": dict(body="raise SystemExit(0)"),
    "input()": dict(body="return input('k? ')"),
    # 100 MB from the first test that calls the file (every test printing it only repeats
    # the same capture, 100 MB at a time)
    "100 MB printed": dict(
        header="import sys\nprinted = []",
        body=(
            "if not printed:\n    printed.append(1)\n"
            "    for _ in range(100):\n        sys.stdout.write('x' * 1_000_000)\nreturn None"
        ),
    ),
    "wrong function name": dict(body="return None", rename=True),
    "dynamic import": dict(body="os = __import__('os')\nsk = __import__('s' + 'ys')\nreturn None"),
}


# Every fault through the warm worker (one zygote per pytest worker, reused fault after
# fault: a fault never poisons the next grade), and through a one-off worker for the numpy
# kata (what `nnquiz grade` does).
MODES = [(slug, "warm") for slug in KATAS] + [(KATAS[0], "one-off")]


def grader(mode: str):
    return warm_grade if mode == "warm" else grade


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("slug, mode", MODES, ids=[f"{s}-{m}" for s, m in MODES])
def test_fault_is_a_labelled_failure(slug, mode, fault, tmp_path, monkeypatch):
    spec = FAULTS[fault]
    if "ignoring SIGALRM" in fault:  # ended by the parent's kill at the limit + the grace
        from nnquiz.grading import runner  # (a shorter grace: its busy loop takes a core)

        monkeypatch.setattr(runner, "FORKED_GRACE_S", 1.0)
    source = module(slug, spec["body"], spec.get("at_import", ""), spec.get("header", ""))
    if spec.get("rename"):
        for name in CATALOGUE[slug].entrypoints:
            source = source.replace(f"def {name}(", f"def {name}_v2(")
    path = tmp_path / f"{CATALOGUE[slug].module_name}.py"
    path.write_text(source)
    limit = spec.get("limit")
    start = time.monotonic()
    result = grader(mode)(CATALOGUE[slug], path, timeout_s=limit, fail_fast=False)
    took = time.monotonic() - start
    assert result.status in ("fail", "error"), f"{fault} passed"
    assert took <= (limit or CATALOGUE[slug].time_limit_s) + GRACE
    data = json.dumps(result.as_json())
    assert len(data) < 200_000, f"JSON is {len(data)} bytes"
    if fault == "memory bomb":
        assert "memory" in (result.message + " ".join(t.message for t in result.tests)).lower()
    if limit:
        assert result.message.startswith("timeout"), result.message


ESCAPEE = """
import subprocess, sys, time
tag = sys.argv[1]
# leaves the group (setsid), and starts one more that leaves its group too
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", tag],
                 start_new_session=True)
time.sleep(300)
"""


def pgrep(tag: str) -> list[str]:
    proc = subprocess.run(["pgrep", "-f", tag], capture_output=True, text=True)
    return proc.stdout.split()


ENDINGS = {
    "returns": "return None\n",
    "hangs": "while True:\n    time.sleep(1)\n",
    # the child's parent is the zygote: with it gone, the grading parent's sweep must act
    "kills its worker": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nreturn None\n",
}
ESCAPE_CASES = [
    ("warm", "returns"),
    ("warm", "hangs"),
    ("warm", "kills its worker"),
    ("one-off", "returns"),
    ("one-off", "hangs"),
    ("one-off", "kills its worker"),
    ("fresh interpreter", "returns"),  # the fallback when no worker can be started
]


@pytest.mark.parametrize("mode, ending", ESCAPE_CASES, ids=[f"{m}-{e}" for m, e in ESCAPE_CASES])
def test_escaped_grandchild_is_killed(tmp_path, monkeypatch, mode, ending):
    """A grandchild started with start_new_session=True leaves the process group, so the
    killpg misses it: the worker's subreaper finds it (and its own detached child); if the
    submission killed its worker, or ran in a fresh interpreter, the grading parent's does."""
    tag = f"nnquiz-escapee-{uuid.uuid4().hex}"
    body = (
        "import subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', {ESCAPEE!r}, {tag!r}], "
        "start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "import time\ntime.sleep(1)\n" + ENDINGS[ending]
    )
    path = tmp_path / "knn.py"
    path.write_text(module("knn", body))
    if mode == "fresh interpreter":
        monkeypatch.setenv("NNQUIZ_GRADE_COLD", "1")
    limit = SHORT_LIMIT if ending == "hangs" else None
    result = grader(mode)(CATALOGUE["knn"], path, timeout_s=limit, fail_fast=True)
    assert result.status in ("fail", "error")
    if ending == "hangs":
        assert result.message.startswith("timeout"), result.message
    left = pgrep(tag)
    assert left == [], f"still running after the grade: {left}"


def test_grandchildren_are_killed(tmp_path):
    marker = Path("/tmp") / f"nnquiz-grandchild-{uuid.uuid4().hex}"
    body = (
        f"import subprocess\np = subprocess.Popen(['sleep', '300'])\n"
        f"open({str(marker)!r}, 'w').write(str(p.pid))\nimport time\nwhile True:\n    time.sleep(1)"
    )
    path = tmp_path / "knn.py"
    path.write_text(module("knn", body))
    result = grade(CATALOGUE["knn"], path, timeout_s=SHORT_LIMIT)
    assert result.status == "error" and result.message.startswith("timeout")
    pid = int(marker.read_text())
    marker.unlink()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":  # a zombie is dead
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"grandchild {pid} is still running")


def test_planted_conftest_is_ignored(tmp_path):
    (tmp_path / "conftest.py").write_text(
        textwrap.dedent("""
        import pytest

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_makereport(item, call):
            outcome = yield
            outcome.get_result().outcome = "passed"
    """)
    )
    path = tmp_path / "knn.py"
    path.write_text(CATALOGUE["knn"].starter.read_text())
    assert grade(CATALOGUE["knn"], path).status == "fail"


LIAR = """
import numpy as np


class Liar(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)

    __ne__ = lambda self, other: np.zeros(np.shape(self), dtype=bool)


def knn_predict(X_train, y_train, X_test, k=3):
    return np.zeros(len(X_test), dtype=np.asarray(y_train).dtype).view(Liar)
"""
NAN = """
import numpy as np


def knn_predict(X_train, y_train, X_test, k=3):
    if k < 1 or k > len(X_train):
        raise ValueError("bad k")
    return np.full(len(X_test), np.nan)
"""
PATCHER = """
import numpy as np
import numpy.testing as npt

for _name in dir(npt):
    if _name.startswith("assert"):
        setattr(npt, _name, lambda *a, **k: None)
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, dtype=bool)


def knn_predict(X_train, y_train, X_test, k=3):
    np.array_equal = lambda *a, **k: True
    return np.zeros(len(X_test), dtype=np.asarray(y_train).dtype)
"""


@pytest.mark.parametrize(
    "source",
    [LIAR, NAN, PATCHER],
    ids=["array whose == is always true", "NaN outputs", "patched numpy.testing"],
)
def test_cheats_fail(tmp_path, source):
    path = tmp_path / "knn.py"
    path.write_text(source)
    result = grade(CATALOGUE["knn"], path)
    assert result.status == "fail"
    assert result.counts["passed"] < result.counts["total"] - 5


@pytest.mark.parametrize(
    "source, label",
    [
        ("def knn_predict(X_train, y_train, X_test, k=3):\n    return [\n", "syntax error: line 2"),
        (
            "import sklearn.neighbors\n\ndef knn_predict(*a):\n    pass\n",
            "forbidden import: line 1: `sklearn.neighbors`",
        ),
    ],
    ids=["syntax error", "forbidden import"],
)
def test_static_faults_via_cli(runner, tmp_path, source, label):
    path = tmp_path / "knn.py"
    path.write_text(source)
    result = runner.invoke(app, ["grade", "knn", "--file", str(path), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["status"] == "error" and data["message"].startswith(label)
