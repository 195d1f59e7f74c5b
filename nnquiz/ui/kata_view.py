"""Drawing katas: the list, the instructions, a grade result, the reference check, hints.
Functions take data and a Console; no logic beyond layout."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from nnquiz.grading.protocol import Status
from nnquiz.ui.strings import t

if TYPE_CHECKING:
    from nnquiz.grading.result import GradeEvent, GradeResult, ReferenceCheck
    from nnquiz.katas.catalogue import Kata
    from nnquiz.katas.workspace import Hint

STATUS_STYLE = {"pass": "bold green", "fail": "bold red", "error": "bold magenta"}
SHOW_FAILURES = 3


def kata_table(
    console: Console,
    katas: list[Kata],
    status: dict[str, dict[str, Any]],
    lang: str,
    tracks: dict[str, Any] | None = None,
    torch_ok: bool = True,
) -> None:
    """One table per track (katas/tracks.yaml), in track order; katas that need PyTorch are
    marked (and say so when it is not installed)."""
    by_track: dict[str, list[Kata]] = {}
    for k in katas:
        by_track.setdefault(k.track, []).append(k)
    for track_id, members in by_track.items():
        track = (tracks or {}).get(track_id)
        title = track.name.get(lang, track_id) if track is not None else track_id
        table = Table(title=title, title_justify="left", title_style="bold")
        table.add_column(t("kata.slug", lang=lang))
        table.add_column(t("kata.title", lang=lang))
        table.add_column(t("kata.level", lang=lang), justify="center")
        table.add_column(t("kata.needs", lang=lang))
        table.add_column(t("kata.status", lang=lang))
        for k in members:
            s = status.get(k.slug)
            text = (
                Text(t("kata.new", lang=lang), style="dim")
                if s is None
                else Text(
                    t(
                        "kata.tries",
                        lang=lang,
                        status=t(f"kata_status.{s['status']}", lang=lang),
                        n=s["attempts"],
                    )
                    if s["status"] != "pass"
                    else t("kata.solved", lang=lang),
                    style=STATUS_STYLE.get(s["status"], ""),
                )
            )
            needs = (
                Text("")
                if not k.uses_torch
                else Text("torch")
                if torch_ok
                else Text(t("kata.torch_missing", lang=lang), style="yellow")
            )
            table.add_row(k.slug, k.title.get(lang, k.title["en"]), "★" * k.difficulty, needs, text)
        console.print(table)


def torch_warning(console: Console, lang: str) -> None:
    console.print(Panel(Text(t("kata.torch_warning", lang=lang)), border_style="yellow"))


def kata_intro(
    console: Console, kata: Kata, lang: str, file: str, created: bool, reset: bool
) -> None:
    from nnquiz.ui.wrap import markdown

    console.print(markdown(kata.instructions(lang)))
    from rich.console import Group

    from nnquiz.ui.wrap import Wrapped

    key = "kata.reset_note" if reset else ("kata.created_note" if created else "kata.exists_note")
    note = Wrapped(t(key, lang=lang, file=file))
    steps = Wrapped(t("kata.next_steps", lang=lang, slug=kata.slug), style="bold")
    console.print(Panel(Group(note, steps), border_style="cyan"))


@contextmanager
def grading_status(
    console: Any, kata: str, lang: str | None = None, stoppable: bool = False
) -> Iterator[Callable[[GradeEvent], None] | None]:
    """A live status line while a grade runs ("grading knn: test 7 of 24"), fed by the
    child's events; yields the `on_event` callback (None off a terminal: nothing is drawn)."""
    if not getattr(console, "is_terminal", False):
        yield None
        return
    tail = t("grade.progress_stop", lang=lang) if stoppable else ""
    with console.status(t("grade.progress_start", lang=lang, kata=kata) + tail) as status:

        def on_event(event: GradeEvent) -> None:
            if event.kind == "test":
                index = min(event.index + 1, event.total)  # the test now running
                text = t("grade.progress", lang=lang, kata=kata, index=index, total=event.total)
            else:
                text = t("grade.progress", lang=lang, kata=kata, index=1, total=event.total)
            status.update(text + tail)

        yield on_event


def grade_result(
    console: Console,
    result: GradeResult,
    kata: Kata | None = None,
    lang: str | None = None,
    verbose: bool = False,
    recorded: bool = True,
) -> None:
    """`recorded`: False when the file graded is not the workspace file (the grade is not the
    user's attempt and unlocks nothing). The head line, the first three failures in full (all with `verbose`), then one line per
    other failure (its name and the first line of its message); a syntax error with its line
    and a caret."""
    counts = result.counts
    style = STATUS_STYLE[result.status.value]
    head = Text()
    head.append(t(f"grade.status.{result.status.value}", lang=lang), style=style)
    if not counts.get("total", 0) and result.message:  # stopped before any test ran
        head.append(
            t(
                "grade.head_error",
                lang=lang,
                kata=result.kata,
                s=result.duration_s,
                file=result.file,
            )
        )
        console.print(head)
        console.print(Text(result.message, style=style))
        if result.message.startswith("syntax error"):
            _syntax_error(console, result.file)
    else:
        head.append(
            t(
                "grade.head",
                lang=lang,
                kata=result.kata,
                passed=counts.get("passed", 0),
                total=counts.get("total", 0),
                s=result.duration_s,
                file=result.file,
            )
        )
        console.print(head)
        if result.message:
            console.print(Text(result.message, style=style))
    bad = [x for x in result.tests if x.status is not Status.PASS]
    full = bad if verbose else bad[:SHOW_FAILURES]
    for test in full:
        body = Text(test.message or t("grade.no_message", lang=lang))
        if test.output.strip():
            body.append("\n\n" + t("grade.your_output", lang=lang) + "\n", style="dim")
            body.append(test.output.rstrip(), style="dim")
        console.print(
            Panel(
                body,
                title=Text(f"✗ {test.name}", style=STATUS_STYLE[test.status.value]),
                title_align="left",
                border_style="red",
            )
        )
    rest = bad[len(full) :]
    if rest:
        console.print(t("grade.more_failing", lang=lang, n=len(rest)), markup=False)
        for test in rest:
            line = Text(f"  ✗ {test.name}", style=STATUS_STYLE[test.status.value])
            first = (test.message or "").strip().splitlines()
            if first:
                line.append(f": {first[0]}")
            console.print(line)
        console.print(
            t("grade.verbose_hint", lang=lang, kata=result.kata), style="dim", markup=False
        )
    good = [x for x in result.tests if x.status is Status.PASS]
    if good and bad:
        names = "; ".join(x.name for x in good[:4]) + (" ..." if len(good) > 4 else "")
        console.print(Text(t("grade.passing", lang=lang, n=len(good), names=names), style="green"))
    if not recorded:
        console.print(t("grade.not_recorded", lang=lang, kata=result.kata), markup=False)
    elif result.passed:
        console.print(
            Text(
                t("grade.all_passed", lang=lang, total=counts.get("total", 0), kata=result.kata),
                style="green",
            )
        )
    if not result.passed and kata is not None:
        console.print(t("grade.stuck", lang=lang, slug=kata.slug))


def _syntax_error(console: Console, file: str) -> None:
    """The offending line of `file` and a caret under the column Python points at."""
    import ast
    from pathlib import Path

    try:
        ast.parse(Path(file).read_text(encoding="utf-8"), filename=file)
    except SyntaxError as exc:
        if not exc.text or not exc.lineno:
            return
        source = exc.text.rstrip("\n").expandtabs()
        stripped = source.lstrip()
        cut = len(source) - len(stripped)
        col = max((exc.offset or 1) - 1 - cut, 0)
        width = len(str(exc.lineno))
        console.print(Text(f"  {exc.lineno} | {stripped}"))
        console.print(Text(" " * (width + 5 + min(col, len(stripped))) + "^", style="bold red"))
    except (OSError, UnicodeDecodeError, ValueError):
        return


def reference_table(console: Console, checks: list[ReferenceCheck]) -> None:
    console.print(t("ref.title"))
    table = Table()
    for col in ("kata", "solution", "time", "starter", "ok"):
        table.add_column(t(f"ref.{col}"))
    for c in checks:
        table.add_row(
            c.kata,
            Text(
                f"{c.solution.status} {c.solution.counts.get('passed', 0)}/{c.solution.counts.get('total', 0)}",
                style=STATUS_STYLE[c.solution.status.value],
            ),
            f"{c.solution.duration_s:.1f}s",
            Text(c.starter.status.value, style=STATUS_STYLE[c.starter.status.value]),
            Text(t("ref.ok") if c.ok else t("ref.broken"), style="green" if c.ok else "bold red"),
        )
    console.print(table)
    for c in checks:
        if not c.solution.passed:
            console.print(t("ref.solution_fails", kata=c.kata), style="bold red", markup=False)
            grade_result(console, c.solution)
        if c.starter.passed:
            console.print(t("ref.starter_passes", kata=c.kata), style="bold red", markup=False)


def hints(console: Console, kata: Kata, hint: Hint, lang: str) -> None:
    """Every hint revealed so far, the newest in bold."""
    from nnquiz.ui.wrap import Wrapped

    for i, h in enumerate(hint.shown, 1):
        style = "bold" if (hint.text is not None and i == hint.number) else "dim"
        label = t("kata.hint", lang=lang, n=i, total=hint.total)
        console.print(Wrapped(h.get(lang, h["en"]), prefix=label, prefix_style=style))
    if hint.text is None:
        console.print(t("kata.hints_done", lang=lang, slug=kata.slug), markup=False)


def solution(console: Console, text: str) -> None:
    from rich.syntax import Syntax

    console.print(Syntax(text, "python", line_numbers=True, word_wrap=True))
