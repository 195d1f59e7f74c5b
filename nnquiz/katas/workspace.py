"""The user's side of a kata: the workspace file, progressive hints, the solution."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from nnquiz import paths
from nnquiz.errors import KataError, UsageError, WorkspaceError
from nnquiz.katas.catalogue import Kata
from nnquiz.store import Store


@dataclass
class Hint:
    number: int  # 1-based
    total: int
    text: dict[str, str] | None  # None once every hint has been shown
    shown: tuple[dict[str, str], ...]  # every hint revealed so far, this one included


@dataclass
class Workspace:
    file: Path
    created: bool
    reset: bool


def workspace_file(kata: Kata, folder: Path | None = None) -> Path:
    return paths.workspace_dir(folder) / f"{kata.module_name}.py"


def file_to_grade(kata: Kata, file: Path | None, folder: Path | None) -> Path:
    """--file, else the workspace file, which must exist (saying how to create it)."""
    if file is not None:
        return file
    target = workspace_file(kata, folder)
    if not target.exists():
        dir_option = f" --dir {folder}" if folder else ""
        raise UsageError(key="errors.no_workspace_file", file=target, slug=kata.slug, dir=dir_option)
    return target


def is_attempt(kata: Kata, file: Path, folder: Path | None = None) -> bool:
    """Whether grading `file` is the user's attempt (recorded, unlocks the solution): the
    workspace file, or any file inside the workspace folder."""
    try:
        target = file.resolve()
        workspace = paths.workspace_dir(folder).resolve()
    except OSError:
        return False
    return target == workspace_file(kata, folder).resolve() or workspace in target.parents


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
        raise WorkspaceError(
            key="errors.cannot_write_workspace", file=target, reason=exc.strerror or exc
        ) from None
    return Workspace(target, created=True, reset=exists)


def next_hint(store: Store, kata: Kata) -> Hint:
    """Reveal one more hint (hints are progressive and remembered)."""
    shown = store.hints_revealed(kata.slug)
    total = len(kata.hints)
    if shown >= total:
        return Hint(total, total, None, kata.hints)
    store.set_hints_revealed(kata.slug, shown + 1)
    return Hint(shown + 1, total, kata.hints[shown], kata.hints[: shown + 1])


def solution_text(store: Store | None, kata: Kata, force: bool) -> str:
    if not force:
        status = store.kata_status().get(kata.slug, {}) if store else {}
        if status.get("status") != "pass":
            raise KataError(key="errors.solution_locked", slug=kata.slug)
    return kata.solution.read_text(encoding="utf-8")
