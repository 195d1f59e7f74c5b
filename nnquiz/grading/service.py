"""Grading as the commands use it: grade and record an attempt, check the references."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nnquiz.grading.result import GradeResult, ReferenceCheck
from nnquiz.grading.runner import grade
from nnquiz.katas.catalogue import Kata
from nnquiz.store import Store


def grade_and_record(
    store: Store, kata: Kata, file: Path, *, timeout_s: float | None = None
) -> GradeResult:
    """Grade `file` against `kata`'s hidden suite and record the attempt (grade, watch, mock)."""
    result = grade(kata, file, timeout_s=timeout_s, clock=store.clock)
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
        solution = grade(kata, kata.solution, timeout_s=timeout_s, threads=threads)
        starter = grade(kata, kata.starter, timeout_s=timeout_s, threads=threads, fail_fast=True)
        return ReferenceCheck(kata.slug, solution, starter)

    # slowest first keeps both workers busy to the end
    ordered = sorted(katas, key=lambda k: -k.time_limit_s)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = dict(zip([k.slug for k in ordered], pool.map(one, ordered)))
    return [results[k.slug] for k in katas]
