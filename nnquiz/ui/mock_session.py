"""The timed mock interview at the terminal (or scripted): questions against the clock, then
the kata, then the report."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from nnquiz.katas import workspace
from nnquiz.practice import mock
from nnquiz.quiz.session import new_session_id
from nnquiz.store import Store
from nnquiz.ui.session import Reader, ask_one
from nnquiz.ui.strings import t
from nnquiz.ui.wrap import Wrapped


def run_mock(
    store: Store,
    *,
    minutes: float,
    topics: list[str],
    kata_slug: str | None,
    lang: str,
    seed: int | None,
    workdir: Path | None,
    console: Any,
    stream: IO[str] | None = None,
) -> dict[str, Any]:
    plan = mock.plan_mock(store, minutes=minutes, topics=topics, kata_slug=kata_slug, seed=seed)
    stream = stream or sys.stdin
    clock = store.clock
    interactive = stream.isatty() and console.is_terminal
    plain = not interactive
    if plain:
        console.soft_wrap = True
    reader = Reader(console, stream, interactive)
    start = clock.monotonic()
    deadline = start + plan.budget_s
    session = new_session_id("mock-")
    asked: list[dict[str, Any]] = []
    stopped = ""

    def left() -> str:
        secs = max(0, int(deadline - clock.monotonic()))
        return t("mock.left", lang=lang, mm=secs // 60, ss=secs % 60)

    try:
        for n, q in enumerate(plan.questions, 1):
            if clock.monotonic() > start + plan.question_budget_s and n > 1:
                stopped = "question time over"
                break
            console.print(
                f"[bold yellow]⏱ {left()}[/bold yellow]" if not plain else f"[{left()}]",
                markup=not plain,
            )
            one = ask_one(
                store, reader, console, q, n, len(plan.questions), lang, plain, seed, session
            )
            if one is None:
                stopped = "end of input"
                break
            asked.append(
                {
                    "id": q.id,
                    "topic": q.topic,
                    "score": round(one.score, 3),
                    "seconds": round(one.seconds, 1),
                }
            )
    except KeyboardInterrupt:
        stopped = "interrupted"
    kata = plan.kata
    ws = workspace.create_workspace(kata, workdir)
    _instructions(console, kata, lang, plain)
    console.print()
    console.print(
        Wrapped(
            t(
                "mock.kata",
                lang=lang,
                slug=kata.slug,
                title=kata.title.get(lang, kata.title["en"]),
                stars="★" * kata.difficulty,
                file=ws.file,
                left=left(),
            )
        ),
        markup=False,
    )
    skipped = False
    if interactive:
        console.print(t("mock.press_enter", lang=lang, file=ws.file), markup=False)
        try:
            if not _wait_for_enter(
                console, stream, lambda: deadline - clock.monotonic(), left, lang, ws.file
            ):
                console.print(t("mock.time_up", lang=lang, file=ws.file), markup=False)
        except KeyboardInterrupt:
            skipped = True
    from nnquiz.ui import kata_view

    with kata_view.grading_status(console, kata.slug, lang) as on_event:
        outcome = mock.kata_outcome(store, kata, ws, skipped=skipped, on_event=on_event)
    report = mock.build_report(
        asked, outcome, plan.minutes, clock.monotonic() - start, stopped, clock.now_iso()
    )
    store.save_mock(report)
    return report


def _instructions(console: Any, kata: Any, lang: str, plain: bool) -> None:
    """The kata's instructions inline: the interview shows the task, not a command to run."""
    text = kata.instructions(lang)
    if plain:
        console.print("\n" + text.rstrip(), markup=False)
        return
    from rich.markdown import Markdown

    console.print(Markdown(text))


def _wait_for_enter(
    console: Any,
    stream: IO[str],
    remaining: Callable[[], float],
    left: Callable[[], str],
    lang: str,
    file: Path,
) -> bool:
    """A live countdown until the user presses Enter (True) or the time is up (False)."""
    import select

    from rich.live import Live
    from rich.text import Text

    from nnquiz.ui.terminal import no_echo, terminal_mode

    def line() -> Text:
        return Text(t("mock.countdown", lang=lang, left=left(), file=file), style="bold yellow")

    # Enter is not echoed: an echoed newline moves the cursor below the countdown, which
    # then clears the wrong line and stays on screen.
    with (
        terminal_mode(stream, no_echo),
        Live(line(), console=console, refresh_per_second=4, transient=True) as live,
    ):
        while remaining() > 0:
            ready, _, _ = select.select([stream], [], [], min(1.0, max(0.05, remaining())))
            if ready:
                stream.readline()
                return True
            live.update(line())
    return False


def render_report(console: Any, report: dict[str, Any], lang: str = "en") -> None:
    from rich.table import Table

    from nnquiz.quiz.topics import topic_name

    def m(key: str, **fields: Any) -> str:
        return t(f"mock.{key}", lang=lang, **fields)

    from nnquiz.ui.quiz_view import local_time

    console.print()
    console.print(
        Wrapped(
            m(
                "report",
                created=local_time(report["created_at"]),
                n=len(report["questions"]),
                pct=report["score_pct"],
                s=report["seconds"],
                minutes=report["minutes"],
            )
            + (m("stopped", why=m(f"stop.{report['stopped']}")) if report["stopped"] else "")
        ),
        markup=False,
    )
    table = Table(title=m("per_topic"), title_justify="left")
    table.add_column(m("topic"))
    table.add_column(m("asked"), justify="right")
    table.add_column(m("score"), justify="right")
    for topic, r in report["topics"].items():
        table.add_row(topic_name(topic, lang), str(r["asked"]), f"{r['score_pct']:.0f}%")
    console.print(table)
    table = Table(title=m("per_question"), title_justify="left")
    for col in ("question", "topic", "score", "seconds"):
        table.add_column(m(col))
    for q in report["questions"]:
        table.add_row(
            q["id"], topic_name(q["topic"], lang), f"{100 * q['score']:.0f}%", f"{q['seconds']:.1f}"
        )
    console.print(table)
    k = report["kata"]
    console.print(
        m("kata_line", slug=k["slug"], status=t(f"kata_status.{k['status']}", lang=lang))
        + (m("kata_tests", passed=k["passed"], total=k["total"]) if k["total"] else ""),
        markup=False,
    )
    if report["review_next"]:
        console.print(m("review_next", ids=", ".join(report["review_next"])), markup=False)
    for cmd in report["suggest"]:
        console.print(f"  {cmd}", markup=False)
