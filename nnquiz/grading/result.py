"""What a grade produces, as types with `as_json()` (the `grade --json` schema, version 2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nnquiz.grading.protocol import SCHEMA_VERSION, Status


def counts(passed: int = 0, failed: int = 0, errors: int = 0, total: int = 0) -> dict[str, int]:
    return {"passed": passed, "failed": failed, "errors": errors, "total": total}


@dataclass(frozen=True)
class GradeEvent:
    """Progress while a grade runs (`grade(..., on_event=...)`): `kind` is "collected"
    (`total` tests found) or "test" (test `index` of `total` finished: `name`, `status`)."""

    kind: str
    index: int
    total: int
    name: str = ""
    status: Status | None = None
    message: str = ""


@dataclass
class TestResult:
    __test__ = False  # not a pytest test class

    name: str
    status: Status
    message: str = ""
    output: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status.value,
            "message": self.message,
            "output": self.output,
        }


@dataclass
class GradeResult:
    kata: str
    file: str
    status: Status = Status.ERROR
    message: str = ""  # set only for status=error: "syntax error: ...", "timeout: ...", ...
    counts: dict[str, int] = field(default_factory=counts)
    tests: list[TestResult] = field(default_factory=list)
    duration_s: float = 0.0
    artifacts: dict[str, Any] = field(default_factory=dict)  # for pictures; not in the JSON

    @property
    def passed(self) -> bool:
        return self.status is Status.PASS

    def as_json(self) -> dict[str, Any]:
        return {
            "version": SCHEMA_VERSION,
            "kata": self.kata,
            "file": self.file,
            "status": self.status.value,
            "message": self.message,
            "counts": dict(self.counts),
            "tests": [t.as_json() for t in self.tests],
            "duration_s": self.duration_s,
        }


@dataclass
class ReferenceCheck:
    """`grade --reference`: the solution must pass and the starter must not."""

    kata: str
    solution: GradeResult
    starter: GradeResult

    @property
    def ok(self) -> bool:
        return self.solution.passed and not self.starter.passed

    def as_json(self) -> dict[str, Any]:
        return {
            "kata": self.kata,
            "ok": self.ok,
            "solution": self.solution.as_json(),
            "starter": self.starter.as_json(),
        }
