"""Drawing katas: the list, the instructions, a grade result, the reference check, hints.
Functions take data and a Console; no logic beyond layout."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from nnquiz.grading.protocol import Status

if TYPE_CHECKING:
    from nnquiz.grading.result import GradeResult, ReferenceCheck, TestResult
    from nnquiz.katas.catalogue import Kata
    from nnquiz.katas.workspace import Hint

STATUS_STYLE = {"pass": "bold green", "fail": "bold red", "error": "bold magenta"}
SHOW_FAILURES = 3


def kata_table(
    console: Console, katas: list[Kata], status: dict[str, dict[str, Any]], lang: str
) -> None:
    table = Table(title="Katas" if lang == "en" else "编程练习", title_justify="left")
    table.add_column("slug")
    table.add_column("title" if lang == "en" else "标题")
    table.add_column("topic")
    table.add_column("level", justify="center")
    table.add_column("status")
    for k in katas:
        s = status.get(k.slug)
        text = (
            Text("new", style="dim")
            if s is None
            else Text(
                f"{s['status']} ({s['attempts']} tries)" if s["status"] != "pass" else "solved",
                style=STATUS_STYLE.get(s["status"], ""),
            )
        )
        table.add_row(k.slug, k.title.get(lang, k.title["en"]), k.topic, "★" * k.difficulty, text)
    console.print(table)


def kata_intro(
    console: Console, kata: Kata, lang: str, file: str, created: bool, reset: bool
) -> None:
    from rich.markdown import Markdown

    console.print(Markdown(kata.instructions(lang)))
    if reset:
        note = f"Reset {file} to the starter (your old file is in {file}.bak)."
    elif created:
        note = f"Created {file} from the starter."
    else:
        note = f"Your file {file} is already there (use --reset to start over)."
    console.print(
        Panel(
            f"{note}\nEdit it, then run: [bold]nnquiz grade {kata.slug}[/bold]   "
            f"stuck? [bold]nnquiz hint {kata.slug}[/bold]   live: [bold]nnquiz watch {kata.slug}[/bold]",
            border_style="cyan",
        )
    )


def grade_result(console: Console, result: GradeResult, kata: Kata | None = None) -> None:
    counts = result.counts
    style = STATUS_STYLE[result.status.value]
    head = Text()
    head.append(f"{result.status.value.upper()}", style=style)
    head.append(
        f"  {result.kata}: {counts.get('passed', 0)}/{counts.get('total', 0)} tests passed"
        f" in {result.duration_s:.1f}s  ({result.file})"
    )
    console.print(head)
    if result.message:
        console.print(Text(result.message, style=style))
    bad = [t for t in result.tests if t.status is not Status.PASS]
    groups: dict[str, list[TestResult]] = {}  # the same message from many tests is shown once
    for t in bad:
        groups.setdefault(t.message, []).append(t)
    for message, tests in list(groups.items())[:SHOW_FAILURES]:
        t = tests[0]
        body = Text(message or "(no message)")
        if t.output.strip():
            body.append("\n\nyour output:\n", style="dim")
            body.append(t.output.rstrip(), style="dim")
        if len(tests) > 1:
            body.append(f"\n(the same failure in {len(tests) - 1} more test(s))", style="dim")
        console.print(
            Panel(
                body,
                title=Text(f"✗ {t.name}", style=STATUS_STYLE[t.status.value]),
                title_align="left",
                border_style="red",
            )
        )
    rest = [t for tests in list(groups.values())[SHOW_FAILURES:] for t in tests]
    if rest:
        console.print(
            f"... and {len(rest)} more failing test(s): "
            + "; ".join(t.name for t in rest[:4])
            + (" ..." if len(rest) > 4 else "")
        )
    good = [t for t in result.tests if t.status is Status.PASS]
    if good and bad:
        console.print(
            Text(
                f"✓ {len(good)} passing: "
                + "; ".join(t.name for t in good[:4])
                + (" ..." if len(good) > 4 else ""),
                style="green",
            )
        )
    if result.passed:
        console.print(
            Text(
                f"All {counts.get('total', 0)} tests passed. Compare with the reference: "
                f"nnquiz solution {result.kata}",
                style="green",
            )
        )
    elif kata is not None:
        console.print(f"Stuck? [bold]nnquiz hint {kata.slug}[/bold]")


def reference_table(console: Console, checks: list[ReferenceCheck]) -> None:
    console.print("Reference check: every solution passes, every starter fails")
    table = Table()
    for col in ("kata", "solution", "time", "starter", "ok"):
        table.add_column(col)
    for c in checks:
        table.add_row(
            c.kata,
            Text(
                f"{c.solution.status} {c.solution.counts.get('passed', 0)}/{c.solution.counts.get('total', 0)}",
                style=STATUS_STYLE[c.solution.status.value],
            ),
            f"{c.solution.duration_s:.1f}s",
            Text(c.starter.status.value, style=STATUS_STYLE[c.starter.status.value]),
            Text("ok" if c.ok else "BROKEN", style="green" if c.ok else "bold red"),
        )
    console.print(table)
    for c in checks:
        if not c.solution.passed:
            console.print(f"[bold red]{c.kata}: the reference solution does not pass[/bold red]")
            grade_result(console, c.solution)
        if c.starter.passed:
            console.print(f"[bold red]{c.kata}: the starter passes its suite[/bold red]")


def hints(console: Console, kata: Kata, hint: Hint, lang: str) -> None:
    """Every hint revealed so far, the newest in bold."""
    for i, h in enumerate(hint.shown, 1):
        style = "bold" if (hint.text is not None and i == hint.number) else "dim"
        console.print(f"[{style}]Hint {i}/{hint.total}:[/{style}] {h.get(lang, h['en'])}")
    if hint.text is None:
        console.print(f"That was every hint. Still stuck? nnquiz solution {kata.slug} --force")


def solution(console: Console, text: str) -> None:
    from rich.syntax import Syntax

    console.print(Syntax(text, "python", line_numbers=True))
