"""Where a warm re-grade's time goes: the events of one grade, timed as the parent sees them.

    python benchmarks/grade_timeline.py cnn [text-cnn ...]

For each kata: a warm worker grades the reference solution once (zygote started, reference
figures cached), then grades two edited copies of it (a save that changes the bytes, as
bench_warm's re-grades do). Printed per grade: the total, and every gap over 50 ms before
an event ("collected", then "test <name>" as each test finishes), so the training of the
file's own model shows as the gap before the test that first needs it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench_warm import edited_copy
from common import ROOT

GAP_S = 0.05


def timeline(slug: str, grades: int = 2) -> None:
    from nnquiz.grading import warm
    from nnquiz.grading.runner import grade
    from nnquiz.katas.catalogue import get_kata

    kata = get_kata(slug)
    solution = ROOT / "solutions" / f"{slug}.py"
    with tempfile.TemporaryDirectory() as tmp:
        saved = os.environ.get("NNQUIZ_CACHE")
        os.environ["NNQUIZ_CACHE"] = str(Path(tmp) / "cache")
        pool = warm.Pool()
        try:
            with pool.worker(warm.kata_preload(kata.test_files(), kata.solution)) as worker:
                grade(kata, solution, worker=worker)
                for n in range(grades):
                    edited = edited_copy(Path(tmp), slug, n)
                    marks: list[tuple[float, str]] = []

                    def on_event(event, marks=marks) -> None:
                        name = getattr(event, "name", "") or ""
                        marks.append((time.perf_counter(), f"{event.kind} {name}".strip()))

                    start = time.perf_counter()
                    result = grade(kata, edited, worker=worker, on_event=on_event)
                    end = time.perf_counter()
                    print(f"{slug}: warm re-grade {end - start:.2f}s ({result.status})")
                    last = start
                    for at, what in [*marks, (end, "end")]:
                        if at - last > GAP_S:
                            print(f"  +{at - last:5.2f}s before {what[:80]}")
                        last = at
        finally:
            pool.close()
            if saved is None:
                os.environ.pop("NNQUIZ_CACHE", None)
            else:
                os.environ["NNQUIZ_CACHE"] = saved


if __name__ == "__main__":
    for slug in sys.argv[1:] or ["cnn"]:
        timeline(slug)
