"""The grading contract, imported by both sides: the parent (`runner`) and the child
process's pytest plugin (`child`). Statuses, report events, the child's configuration and
how it travels (environment variables, read and removed before the user's module loads).

The child writes a JSON-lines report: one `start` (with the nonce), one `collected` (every
test id and its readable name), one `test` per test run, one `finished` (with the nonce).
The parent trusts only a complete report.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, fields
from enum import Enum

SCHEMA_VERSION = 2  # of `grade --json` (see README.md)
CHILD_MODULE = "nnquiz.grading"  # the child runs `python -I -m nnquiz.grading <pytest args>`


class Status(str, Enum):
    """The outcome of a grade and of each test in it."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


class Event(str, Enum):
    """The kinds of record in the child's report."""

    START = "start"
    COLLECTED = "collected"
    TEST = "test"
    FINISHED = "finished"


def module_check_name(entrypoints: tuple[str, ...]) -> str:
    """The one check shown instead of the suite when the module cannot be tested (fail fast)."""
    return "your module imports and defines " + (", ".join(entrypoints) or "the kata's functions")


def missing_message(missing: list[str]) -> str:
    return f"your module does not define {', '.join(missing)}"


# Message prefixes the parent reads back from the child's per-test messages.
MEMORY_PREFIX = "MemoryError"
TIMEOUT_PREFIX = "timeout"


@dataclass(frozen=True)
class ChildConfig:
    """What the parent tells the child. Each field travels as NNQUIZ_<FIELD> (upper case)."""

    submission: str = ""  # the copy of the user's file
    reference: str = ""  # solutions/<slug>.py
    report: str = ""  # where the JSON-lines report goes
    nonce: str = ""  # proves the report came from this run's plugin
    time_limit_s: float = 0.0  # the whole suite's limit; 0 means none
    cache_dir: str = ""  # reference figures; empty means no cache
    cache_key: str = "nokey"
    artifacts: str = ""  # where small JSON results for the CLI's pictures go
    entrypoints: tuple[str, ...] = ()
    kata: str = "kata"

    @staticmethod
    def env_name(name: str) -> str:
        return f"NNQUIZ_{name.upper()}"

    def to_env(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                text = ",".join(value)
            elif isinstance(value, float):
                text = f"{value:g}"
            else:
                text = str(value)
            out[self.env_name(f.name)] = text
        return out

    @classmethod
    def from_env(cls, environ: MutableMapping[str, str]) -> ChildConfig:
        """Read the configuration and remove it from `environ` (the user's code never sees it)."""
        raw = {f.name: environ.pop(cls.env_name(f.name), None) for f in fields(cls)}
        values: dict[str, object] = {}
        for f in fields(cls):
            text = raw[f.name]
            if text is None:
                continue
            if f.name == "entrypoints":
                values[f.name] = tuple(n for n in text.split(",") if n)
            elif f.name == "time_limit_s":
                try:
                    values[f.name] = float(text or 0)
                except ValueError:
                    values[f.name] = 0.0
            else:
                values[f.name] = text
        return cls(**values)  # type: ignore[arg-type]
