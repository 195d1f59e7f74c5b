"""Grading costs: nnquiz's overhead over a bare pytest run of the same hidden tests, and
re-grading training katas with the reference figures cached against a cold cache."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from common import NNQUIZ, PY, ROOT, Figure, report, timed

RUNS = 5
CACHED_KATAS = ("gan", "cnn", "vae")


def bare_pytest_cmd(work: Path, slug: str) -> tuple[list[str], dict[str, str]]:
    """The same hidden tests and plugin, run by the child's pytest directly (no isolation,
    no checks): `python -m nnquiz.grading` is pytest.main with nnquiz's plugin object."""
    module = slug.replace("-", "_")
    shutil.copytree(ROOT / "katas" / slug / "tests", work / "tests")
    shutil.copy(ROOT / "solutions" / f"{slug}.py", work / f"{module}.py")
    env = {
        "NNQUIZ_SUBMISSION": str(work / f"{module}.py"),
        "NNQUIZ_REFERENCE": str(ROOT / "solutions" / f"{slug}.py"),
        "NNQUIZ_KATA": slug,
        "OMP_NUM_THREADS": "2",
        "MKL_NUM_THREADS": "2",
        "OPENBLAS_NUM_THREADS": "2",
    }
    cmd = [
        PY,
        "-m",
        "nnquiz.grading",
        "-q",
        "-p",
        "no:cacheprovider",
        "--noconftest",
        "--import-mode=importlib",
        str(work / "tests"),
    ]
    return cmd, env


def overhead() -> Figure:
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as home:
        work = Path(tmp)
        bare, env = bare_pytest_cmd(work, "knn")
        graded = NNQUIZ + ["grade", "knn", "--file", str(ROOT / "solutions" / "knn.py")]
        times = {"bare": [], "grade": []}
        for _ in range(RUNS):  # interleaved, so load falls on both alike
            times["bare"].append(timed(bare, env=env, cwd=work))
            times["grade"].append(timed(graded, env={"NNQUIZ_HOME": home}))
    med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
    return Figure(
        "grade knn / bare pytest",
        med["grade"] / med["bare"],
        1.3,
        unit="x",
        note=f"grade {med['grade']:.2f}s, bare pytest {med['bare']:.2f}s, median of {RUNS}",
    )


def cached_regrade(slug: str) -> Figure:
    """A learner's file graded twice (the solution with a comment added: a file that is not
    the reference itself, whose figures the reference's own grade would share): cold, then
    with the reference's figures and the file's own cached."""
    cold, warm = [], []
    for _ in range(2):
        with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as home:
            mine = Path(home) / f"{slug.replace('-', '_')}.py"
            text = (ROOT / "solutions" / f"{slug}.py").read_text(encoding="utf-8")
            mine.write_text(text + "\n# my solution\n", encoding="utf-8")
            graded = NNQUIZ + ["grade", slug, "--file", str(mine)]
            env = {"NNQUIZ_CACHE": cache, "NNQUIZ_HOME": home}
            cold.append(timed(graded, env=env))
            warm.append(timed(graded, env=env))
    c, w = min(cold), min(warm)
    return Figure(
        f"re-grade {slug}: cached / cold",
        w / c,
        0.5,
        unit="x",
        note=f"cold {c:.1f}s, cached {w:.1f}s",
    )


def run() -> list[Figure]:
    figures = [overhead()]
    figures += [cached_regrade(slug) for slug in CACHED_KATAS if (ROOT / "katas" / slug).is_dir()]
    return figures


if __name__ == "__main__":
    sys.exit(report(run()))
