"""Grading as the commands use it: grade and record an attempt, check the references."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from nnquiz.grading import warm as warm_workers
from nnquiz.grading.result import GradeEvent, GradeResult, ReferenceCheck
from nnquiz.grading.runner import grade
from nnquiz.katas.catalogue import Kata
from nnquiz.store import Store


def warm_grade(kata: Kata, file: Path, **kwargs: Any) -> GradeResult:
    """`runner.grade` through a worker of the process's shared pool (kept warm between
    grades: watch, mock, `grade --reference`, `nnquiz dev`, the project's tests)."""
    pool = warm_workers.shared_pool()
    with pool.worker(warm_workers.kata_preload(kata.test_files(), kata.solution)) as worker:
        return grade(kata, file, worker=worker, **kwargs)


def grade_and_record(
    store: Store,
    kata: Kata,
    file: Path,
    *,
    timeout_s: float | None = None,
    warm: bool = False,
    on_event: Callable[[GradeEvent], None] | None = None,
    record: bool = True,
) -> GradeResult:
    """Grade `file` against `kata`'s hidden suite and record the attempt (grade, watch, mock).

    `warm`: through the shared warm worker (for commands that grade again and again); a
    one-off grade starts a worker for itself. `on_event` gets live progress (`GradeEvent`)."""
    if warm:
        result = warm_grade(kata, file, timeout_s=timeout_s, clock=store.clock, on_event=on_event)
    else:
        result = grade(kata, file, timeout_s=timeout_s, clock=store.clock, on_event=on_event)
    if record:  # only the user's own workspace file is their attempt
        store.record_attempt(
            kata.slug, result.status.value, result.counts, result.duration_s, str(file)
        )
    return result


def check_references(
    katas: list[Kata], jobs: int = 1, timeout_s: float | None = None
) -> list[ReferenceCheck]:
    """Every solution must pass its suite and every starter fail it; `jobs` katas at once."""
    jobs = max(1, jobs)
    threads = max(1, (os.cpu_count() or 1) // jobs)

    def one(kata: Kata) -> ReferenceCheck:
        solution = warm_grade(kata, kata.solution, timeout_s=timeout_s, threads=threads)
        starter = warm_grade(
            kata, kata.starter, timeout_s=timeout_s, threads=threads, fail_fast=True
        )
        return ReferenceCheck(kata.slug, solution, starter)

    warm_workers.shared_pool().prestart(min(jobs, len(katas)))

    # slowest first keeps both workers busy to the end
    ordered = sorted(katas, key=lambda k: -k.time_limit_s)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = dict(zip([k.slug for k in ordered], pool.map(one, ordered)))
    return [results[k.slug] for k in katas]
