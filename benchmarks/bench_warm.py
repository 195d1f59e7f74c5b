"""Instant feedback (issue 15): the warm grading worker against today's cold grade, each
ratio measured side by side (cold and warm interleaved run by run, so load falls on both).

- `warm re-grade knn / cold`: a watch-mode re-grade (the warm worker, expectations cached)
  against a one-off `nnquiz grade knn` of the same file with an empty cache (what today's
  cold grade computes: a fresh interpreter and every scikit-learn answer again).
- `warm re-grade <torch kata> / cold`: the same for each torch kata with a cached reference
  (cnn, vae, text-cnn, lora), the reference cached on both sides; the file is edited before
  every grade (a save that changes its bytes), so the file's own model is trained each time.
- `first test result (watch)`: from the start of a warm re-grade to its first test event.
- `empty file / reference`: grading an empty file against grading the reference, one-off.
- `one-off grade: worker / fresh interpreter`: `nnquiz grade knn` through a one-off worker
  (what it does now) against NNQUIZ_GRADE_COLD=1 (the child as a fresh interpreter).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import NNQUIZ, ROOT, Figure, medians, report, timed

RUNS = 5
TORCH_KATAS = ("cnn", "vae", "text-cnn", "lora")  # torch katas whose suites cache a reference


def _solution(slug: str) -> Path:
    return ROOT / "solutions" / f"{slug}.py"


def _edited(folder: Path, slug: str, n: int) -> Path:
    """The solution with a comment added: a save that changes the file's bytes (no figure
    cached for the file itself: its own model is trained again)."""
    path = folder / f"edit{n}" / f"{slug.replace('-', '_')}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = _solution(slug).read_text(encoding="utf-8")
    path.write_text(text + f"\n# save {n} in {folder.name}\n")
    return path


def regrade(slug: str, runs: int, cold_cache_empty: bool, target: float) -> list[Figure]:
    from nnquiz.grading import warm
    from nnquiz.grading.runner import grade
    from nnquiz.katas.catalogue import load_catalogue

    kata = load_catalogue()[slug]
    cold_t: list[float] = []
    warm_t: list[float] = []
    first_t: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cache = folder / "cache"
        home = folder / "home"
        os.environ["NNQUIZ_CACHE"] = str(cache)  # the warm worker's grades (this process)
        pool = warm.Pool()
        try:
            with pool.worker(warm.suite_imports(kata.test_files())) as worker:
                grade(kata, _solution(slug), worker=worker)  # zygote up, reference cached
                for n in range(runs):
                    cold_cache = folder / f"cold-cache-{n}" if cold_cache_empty else cache
                    env = {"NNQUIZ_CACHE": str(cold_cache), "NNQUIZ_HOME": str(home)}
                    cold_file = _edited(folder / "cold", slug, n)
                    cmd = NNQUIZ + ["grade", slug, "--file", str(cold_file), "--json"]
                    cold_t.append(timed(cmd, env=env))
                    marks: list[float] = []

                    def on_event(event, marks=marks) -> None:
                        if event.kind == "test" and not marks:
                            marks.append(time.perf_counter())

                    warm_file = _edited(folder / "warm", slug, n)
                    start = time.perf_counter()
                    result = grade(kata, warm_file, worker=worker, on_event=on_event)
                    warm_t.append(time.perf_counter() - start)
                    first_t.append(marks[0] - start if marks else float("inf"))
                    if not result.passed:
                        raise RuntimeError(f"{slug}: the warm grade failed: {result.message}")
        finally:
            pool.close()
    cold, hot, first = (statistics.median(v) for v in (cold_t, warm_t, first_t))
    what = "empty cache" if cold_cache_empty else "reference cached"
    figures = [
        Figure(
            f"warm re-grade {slug} / cold",
            hot / cold,
            target,
            unit="x",
            note=f"warm {hot:.2f}s, cold {cold:.2f}s ({what}), median of {runs}, "
            f"load {os.getloadavg()[0]:.1f}",
        )
    ]
    if slug == "knn":
        figures.append(
            Figure(
                "first test result (watch, knn)",
                first,
                0.3,
                note=f"from the start of a warm re-grade; max {max(first_t):.2f}s",
            )
        )
    return figures


def first_result_after_save(runs: int) -> Figure:
    """`nnquiz watch knn`'s own loop (its default polling interval, a terminal console in
    memory): from the moment a save is written to the first test result handed to the
    status line."""
    import io
    import threading
    from contextlib import contextmanager

    from rich.console import Console

    from nnquiz.katas.catalogue import load_catalogue
    from nnquiz.store import open_store
    from nnquiz.ui import kata_view
    from nnquiz.ui import watch as watcher

    kata = load_catalogue()["knn"]
    original = kata_view.grading_status
    ended = threading.Semaphore(0)
    saved_at: list[float] = []
    firsts: list[float] = []

    @contextmanager
    def timed_status(console, slug, lang=None, stoppable=False):
        with original(console, slug, lang, stoppable) as on_event:

            def hook(event) -> None:
                if event.kind == "test" and len(firsts) < len(saved_at):
                    firsts.append(time.perf_counter() - saved_at[-1])
                if on_event is not None:
                    on_event(event)

            yield hook
        ended.release()

    saved_env = {k: os.environ.get(k) for k in ("NNQUIZ_HOME", "NNQUIZ_CACHE")}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["NNQUIZ_HOME"] = str(folder / "home")
        os.environ["NNQUIZ_CACHE"] = str(folder / "cache")
        file = folder / "knn.py"
        file.write_text(_solution("knn").read_text(encoding="utf-8"))
        console = Console(file=io.StringIO(), force_terminal=True, width=100)
        kata_view.grading_status = timed_status
        try:
            with open_store() as store:
                thread = threading.Thread(
                    target=watcher.watch,
                    args=(store, kata, file, console, "en"),
                    kwargs={"max_runs": runs + 1, "stream": io.StringIO(""), "record": False},
                )
                thread.start()
                for n in range(runs):
                    ended.acquire()  # the previous grade is over: watch is polling
                    time.sleep(0.2 + 0.013 * n)  # saves fall at different points of a poll
                    text = _solution("knn").read_text(encoding="utf-8")
                    file.write_text(text + f"\n# save {n}\n")
                    saved_at.append(time.perf_counter())
                thread.join()
        finally:
            kata_view.grading_status = original
            for name, value in saved_env.items():  # the folder is gone: no later step uses it
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    return Figure(
        "first test result after a save (watch)",
        statistics.median(firsts),
        0.3,
        note=f"nnquiz watch knn's loop, median of {len(firsts)}, max {max(firsts):.2f}s "
        f"(the save, the poll, the grade's first test event)",
    )


def empty_file(runs: int) -> Figure:
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "knn.py"
        empty.write_text("")
        env = {"NNQUIZ_HOME": str(Path(tmp) / "home"), "NNQUIZ_CACHE": str(Path(tmp) / "c")}
        cmds = {
            "empty": NNQUIZ + ["grade", "knn", "--file", str(empty), "--json"],
            "reference": NNQUIZ + ["grade", "knn", "--file", str(_solution("knn")), "--json"],
        }
        med = medians(cmds, runs, env=env)
    return Figure(
        "empty file / reference (one-off)",
        med["empty"] / med["reference"],
        0.2,
        unit="x",
        note=f"empty {med['empty']:.2f}s, reference {med['reference']:.2f}s, median of {runs}",
    )


def one_off(runs: int) -> Figure:
    with tempfile.TemporaryDirectory() as tmp:
        base = {"NNQUIZ_HOME": str(Path(tmp) / "home"), "NNQUIZ_CACHE": str(Path(tmp) / "c")}
        cmd = NNQUIZ + ["grade", "knn", "--file", str(_solution("knn")), "--json"]
        timed(cmd, env=base)  # expectations cached for both
        times: dict[str, list[float]] = {"worker": [], "fresh": []}
        for _ in range(runs):
            times["worker"].append(timed(cmd, env=base))
            times["fresh"].append(timed(cmd, env={**base, "NNQUIZ_GRADE_COLD": "1"}))
    med = {k: statistics.median(v) for k, v in times.items()}
    return Figure(
        "one-off grade: worker / fresh python",
        med["worker"] / med["fresh"],
        1.05,
        unit="x",
        note=f"one-off worker {med['worker']:.2f}s, fresh interpreter {med['fresh']:.2f}s",
    )


def run() -> list[Figure]:
    figures = regrade("knn", RUNS, cold_cache_empty=True, target=0.25)
    figures.append(first_result_after_save(8))
    for slug in TORCH_KATAS:
        figures += regrade(slug, 3, cold_cache_empty=False, target=0.5)
    figures.append(empty_file(RUNS))
    figures.append(one_off(RUNS))
    return figures


if __name__ == "__main__":
    sys.exit(report(run()))
