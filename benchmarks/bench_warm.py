"""Instant feedback (issue 15): the warm grading worker against "today's cold grade" of the
issue, each ratio measured side by side (the commands interleaved run by run, so load falls
on all alike).

- `warm re-grade knn / cold`: a watch-mode re-grade (the warm worker, expectations cached)
  against the one-off `nnquiz grade knn` of issue 15's day (before.py: that commit's code,
  a fresh interpreter per grade) on the same file with an empty cache. The note gives
  today's one-off grade too (a worker started for the grade), measured in the same loop.
- `warm re-grade <torch kata> / cold`: the same for each torch kata with a cached reference
  (cnn, vae, text-cnn, lora), the reference cached on every side; the file is edited before
  every grade (a save that changes its bytes), so the file's own model is trained each time.
  lora came after that day: its figure is against today's one-off.
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

from before import BEFORE_DATE, Before, before_grader
from common import NNQUIZ, ROOT, Figure, medians, report, timed

RUNS = 5
TORCH_KATAS = ("cnn", "vae", "text-cnn", "lora")  # in run_all (about 2 minutes)
# Every torch kata whose suite caches a reference figure (ref_cache)
# (`python benchmarks/bench_warm.py --every-torch-kata`, about 6 minutes).
EVERY_TORCH_KATA = (*TORCH_KATAS, "autoencoder", "transformer-lm")


def _solution(slug: str) -> Path:
    return ROOT / "solutions" / f"{slug}.py"


def edited_copy(folder: Path, slug: str, n: int) -> Path:
    """The solution with a comment added: a save that changes the file's bytes (no figure
    cached for the file itself: its own model is trained again)."""
    path = folder / f"edit{n}" / f"{slug.replace('-', '_')}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = _solution(slug).read_text(encoding="utf-8")
    path.write_text(text + f"\n# save {n} in {folder.name}\n")
    return path


def regrade(
    slug: str, runs: int, cold_cache_empty: bool, target: float, before: Before | None
) -> list[Figure]:
    """Warm re-grades of an edited file against the one-off grade of issue 15's day (the
    grader of before.py, where it has the kata) and today's one-off, interleaved run by run."""
    from nnquiz.grading import warm
    from nnquiz.grading.runner import grade
    from nnquiz.katas.catalogue import load_catalogue

    kata = load_catalogue()[slug]
    then = before if before is not None and before.has_kata(slug) else None
    times: dict[str, list[float]] = {"then": [], "cold": [], "warm": []}
    first_t: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cache, then_cache = folder / "cache", folder / "then-cache"
        home = folder / "home"
        saved_cache = os.environ.get("NNQUIZ_CACHE")
        os.environ["NNQUIZ_CACHE"] = str(cache)  # the warm worker's grades (this process)
        pool = warm.Pool()

        def caches(name: str, shared: Path, n: int) -> dict[str, str]:
            """A one-off grade's cache: its own empty one per run, or `shared` (reference cached)."""
            used = folder / f"{name}-empty-{n}" if cold_cache_empty else shared
            return {"NNQUIZ_CACHE": str(used), "NNQUIZ_HOME": str(home)}

        try:
            with pool.worker(warm.kata_preload(kata.test_files(), kata.solution)) as worker:
                grade(kata, _solution(slug), worker=worker)  # zygote up, reference cached
                if then is not None and not cold_cache_empty:  # the same for the old grader
                    timed(
                        _one_off(then.nnquiz, slug, _solution(slug)),
                        cwd=then.root,
                        env={"NNQUIZ_CACHE": str(then_cache), "NNQUIZ_HOME": str(home)},
                    )
                for n in range(runs):
                    if then is not None:
                        then_file = edited_copy(folder / "then", slug, n)
                        times["then"].append(
                            timed(
                                _one_off(then.nnquiz, slug, then_file),
                                cwd=then.root,
                                env=caches("then", then_cache, n),
                            )
                        )
                    cold_file = edited_copy(folder / "cold", slug, n)
                    times["cold"].append(
                        timed(_one_off(NNQUIZ, slug, cold_file), env=caches("cold", cache, n))
                    )
                    marks: list[float] = []

                    def on_event(event, marks=marks) -> None:
                        if event.kind == "test" and not marks:
                            marks.append(time.perf_counter())

                    warm_file = edited_copy(folder / "warm", slug, n)
                    start = time.perf_counter()
                    result = grade(kata, warm_file, worker=worker, on_event=on_event)
                    times["warm"].append(time.perf_counter() - start)
                    first_t.append(marks[0] - start if marks else float("inf"))
                    if not result.passed:
                        raise RuntimeError(f"{slug}: the warm grade failed: {result.message}")
        finally:
            pool.close()
            if saved_cache is None:  # the folder is gone: no later step may use it
                os.environ.pop("NNQUIZ_CACHE", None)
            else:
                os.environ["NNQUIZ_CACHE"] = saved_cache
    med = {k: statistics.median(v) for k, v in times.items() if v}
    first = statistics.median(first_t)
    what = "empty cache" if cold_cache_empty else "reference cached"
    if then is not None:
        base, base_name = med["then"], f"cold {BEFORE_DATE}"
        others = f"today's one-off {med['cold']:.2f}s ({med['warm'] / med['cold']:.2f}x)"
    else:
        base, base_name = med["cold"], "cold (today's one-off)"
        others = f"not in the catalogue of {BEFORE_DATE}"
    figures = [
        Figure(
            f"warm re-grade {slug} / cold",
            med["warm"] / base,
            target,
            unit="x",
            note=f"warm {med['warm']:.2f}s, {base_name} {base:.2f}s ({what}); {others}; "
            f"median of {runs}, load {os.getloadavg()[0]:.1f}",
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


def _one_off(nnquiz: list[str], slug: str, file: Path) -> list[str]:
    return nnquiz + ["grade", slug, "--file", str(file), "--json"]


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
    with before_grader() as before:
        figures = regrade("knn", RUNS, cold_cache_empty=True, target=0.25, before=before)
        figures.append(first_result_after_save(8))
    figures += torch_regrades(TORCH_KATAS)
    figures.append(empty_file(RUNS))
    figures.append(one_off(RUNS))
    return figures


def torch_regrades(slugs: tuple[str, ...]) -> list[Figure]:
    with before_grader() as before:
        return [
            figure
            for slug in slugs
            for figure in regrade(slug, 3, cold_cache_empty=False, target=0.5, before=before)
        ]


if __name__ == "__main__":
    if sys.argv[1:] == ["--every-torch-kata"]:
        sys.exit(report(torch_regrades(EVERY_TORCH_KATA)))
    sys.exit(report(run()))
