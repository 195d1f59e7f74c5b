"""Kata workflows the CLI calls: workspace files, hints, solutions, grading runs."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nnquiz import paths
from nnquiz.errors import KataError, WorkspaceError
from nnquiz.grader import GradeResult, grade
from nnquiz.katas import Kata
from nnquiz.store import Store


@dataclass
class Workspace:
    file: Path
    created: bool
    reset: bool


def workspace_file(kata: Kata, folder: Path | None = None) -> Path:
    return paths.workspace_dir(folder) / f"{kata.module_name}.py"


def create_workspace(kata: Kata, folder: Path | None = None, reset: bool = False) -> Workspace:
    """Copy the starter into the workspace unless a file is there (or `reset`)."""
    target = workspace_file(kata, folder)
    exists = target.exists()
    if exists and not reset:
        return Workspace(target, created=False, reset=False)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(kata.starter, tmp)
        if exists:
            shutil.copyfile(target, target.with_name(target.name + ".bak"))
        os.replace(tmp, target)
    except OSError as exc:
        raise WorkspaceError(f"cannot write {target}: {exc.strerror or exc}. Pick another folder "
                             "with --dir or NNQUIZ_WORKDIR.") from None
    return Workspace(target, created=True, reset=exists)


def next_hint(store: Store, kata: Kata) -> tuple[int, dict[str, str] | None]:
    """Reveal one more hint; returns (its 1-based number, hint) or (count, None) when all shown."""
    shown = store.hints_revealed(kata.slug)
    if shown >= len(kata.hints):
        return len(kata.hints), None
    store.set_hints_revealed(kata.slug, shown + 1)
    return shown + 1, kata.hints[shown]


def solution_text(store: Store | None, kata: Kata, force: bool) -> str:
    if not force:
        status = store.kata_status().get(kata.slug, {}) if store else {}
        if status.get("status") != "pass":
            raise KataError(
                f"the {kata.slug!r} solution unlocks once your file passes "
                f"(`nnquiz grade {kata.slug}`). To look anyway: `nnquiz solution {kata.slug} --force`."
            )
    return kata.solution.read_text(encoding="utf-8")


@dataclass
class ReferenceCheck:
    kata: str
    solution: GradeResult
    starter: GradeResult

    @property
    def ok(self) -> bool:
        return self.solution.status == "pass" and self.starter.status != "pass"

    def to_json(self) -> dict:
        return {"kata": self.kata, "ok": self.ok, "solution": self.solution.to_json(),
                "starter": self.starter.to_json()}


def check_references(katas: list[Kata], jobs: int = 1, timeout_s: float | None = None) -> list[ReferenceCheck]:
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
