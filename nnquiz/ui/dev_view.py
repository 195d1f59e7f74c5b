"""Output of the author commands: one line per check, as it finishes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import typer

from nnquiz.dev.checks import Check
from nnquiz.dev.mutate import MutantResult, MutationReport


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


def mutant_line(result: MutantResult, done: int, total: int) -> None:
    mark = {
        "killed": "killed  ",
        "survived": "SURVIVED",
        "timed_out": "timeout ",
        "equivalent": "equiv.  ",
    }[result.outcome]
    m = result.mutant
    typer.echo(
        f"[{done}/{total}] {mark} {m.operator} line {m.line} ({m.fingerprint})"
        + (f": {result.detail}" if result.detail else "")
    )


def mutation_report(report: MutationReport, *, as_json: bool) -> None:
    if as_json:
        import json

        typer.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        return
    for res in report.results:
        if res.outcome == "survived":
            typer.echo(
                f"\nsurvived: {res.mutant.operator} line {res.mutant.line} "
                f"(fingerprint {res.mutant.fingerprint})"
            )
            typer.echo(res.mutant.diff.rstrip())
    typer.echo(
        f"\n{report.kata}: {len(report.results)} of {report.total_mutants} mutants graded: "
        f"{report.count('killed')} killed, {report.count('survived')} survived, "
        f"{report.count('timed_out')} timed out, {report.count('equivalent')} equivalent; "
        f"score {report.score:.3f} (floor {report.floor:.2f})"
    )
