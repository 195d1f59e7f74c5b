"""Output of the author commands: one line per check, as it finishes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import typer

from nnquiz.dev.checks import Check


def check_lines(checks: Iterable[Check]) -> int:
    """Print each check on one line as it comes; returns how many failed."""
    failed = 0
    for check in checks:
        mark = "skip" if check.skipped else ("ok  " if check.ok else "FAIL")
        detail = f": {check.detail}" if check.detail and (not check.ok or check.skipped) else ""
        typer.echo(f"{mark} {check.subject}: {check.name}{detail}")
        failed += not check.ok
    typer.echo(f"{failed} check(s) failed" if failed else "all checks passed", err=bool(failed))
    return failed


def scaffolded(slug: str, written: list[Path]) -> None:
    for path in written:
        typer.echo(f"created {path}")
    typer.echo(
        f"Next: write solutions/{slug}.py and the hidden tests, fill in kata.yaml and both "
        f"instructions, add a wrong patch in tests/fixtures/wrong/{slug}/ (see CONTRIBUTING.md), "
        f"then run `nnquiz dev check {slug}`."
    )
