"""Every directory nnquiz reads or writes, with the environment overrides tests set."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def content_root() -> Path:
    """Where questions/, katas/ and solutions/ live: inside the wheel, else the repo root."""
    env = os.environ.get("NNQUIZ_CONTENT")
    if env:  # another curriculum (the project's tests use a small fake one)
        return Path(env).expanduser()
    shipped = PACKAGE_DIR / "_content"
    if (shipped / "questions").is_dir():
        return shipped
    return PACKAGE_DIR.parent


def questions_dir() -> Path:
    """The shipped bank; NNQUIZ_QUESTIONS replaces it (tests, or a bank of your own only)."""
    env = os.environ.get("NNQUIZ_QUESTIONS")
    if env:
        return Path(env).expanduser()
    return content_root() / "questions"


def katas_dir() -> Path:
    return content_root() / "katas"


def solutions_dir() -> Path:
    return content_root() / "solutions"


def extra_bank_dirs() -> list[Path]:
    """The user's own banks: NNQUIZ_BANK=dir1:dir2 (os.pathsep separated)."""
    raw = os.environ.get("NNQUIZ_BANK", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def data_dir() -> Path:
    """The progress database's folder: NNQUIZ_HOME, else the platform's user data dir."""
    env = os.environ.get("NNQUIZ_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("nnquiz", appauthor=False)


def data_dir_is_default() -> bool:
    """True when the data dir is the platform's (created with its parents); an explicit
    NNQUIZ_HOME whose parent is missing is a typo, not a fresh start."""
    return not os.environ.get("NNQUIZ_HOME")


def data_dir_may_be_created() -> bool:
    """False for an NNQUIZ_HOME whose parent is missing (a typo): nothing is created there."""
    return data_dir_is_default() or data_dir().parent.is_dir()


def writable(path: Path) -> bool:
    """Whether nnquiz may write to `path`: the permissions, also for root (who could write
    anyway but should respect a folder or file its owner made read-only)."""
    try:
        if os.geteuid() == 0:
            return bool(path.stat().st_mode & 0o222)
    except OSError:
        return False
    return os.access(path, os.W_OK)


def cache_dir() -> Path:
    """Reference figures cache: NNQUIZ_CACHE, else <data dir>/cache."""
    env = os.environ.get("NNQUIZ_CACHE")
    if env:
        return Path(env).expanduser()
    return data_dir() / "cache"


def db_path() -> Path:
    return data_dir() / "progress.sqlite3"


def workspace_dir(option: Path | None = None) -> Path:
    """--dir, else NNQUIZ_WORKDIR, else ./nnquiz-work."""
    if option is not None:
        return option.expanduser()
    env = os.environ.get("NNQUIZ_WORKDIR")
    if env:
        return Path(env).expanduser()
    return Path("nnquiz-work")


def read_text(
    path: Path, error: type[Exception], missing: Callable[[], Exception] | None = None
) -> str:
    """A user's file as text; a missing or unreadable file becomes `error` with a clear message
    (a missing one: `missing()`, where given)."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise (missing() if missing else error(f"{path}: no such file")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read it ({exc})") from None


def topics_file() -> Path:
    """The quiz topics (names, order, seed flag): data, never a list in code."""
    return content_root() / "questions" / "topics.yaml"


def coverage_file() -> Path:
    """The seed coverage ids that questions and katas `covers`."""
    return content_root() / "questions" / "coverage.yaml"


def tracks_file() -> Path:
    """The kata tracks (names, order)."""
    return katas_dir() / "tracks.yaml"
