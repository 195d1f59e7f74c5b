"""Rendering for the quiz: question panels, feedback, summaries, browsing, stats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nnquiz.quiz.bank import Question
from nnquiz.quiz.checking import Verdict, letters
from nnquiz.ui import strings

if TYPE_CHECKING:
    from rich.console import Console

    from nnquiz.practice.progress import Stats
    from nnquiz.quiz.session import SessionSummary


def t(lang: str, key: str, **fields: Any) -> str:
    """A quiz string from the catalogue (nnquiz.ui.strings), in `lang`."""
    return strings.t(f"quiz.{key}", lang=lang, **fields)


def _header_topic(topic: str, lang: str) -> str:
    """The topic's Chinese name in a Chinese session; the id in English (reading topics.yaml
    costs start-up time, and the English names differ little from the ids)."""
    if lang == "en":
        return topic
    from nnquiz.quiz.topics import topic_name

    return topic_name(topic, lang)


def question_header(q: Question, n: int, total: int, lang: str, kind: str | None = None) -> str:
    """`kind`: 'due' or 'new' in a review session (shown at the end)."""
    head = t(
        lang,
        "header",
        n=n,
        total=total,
        topic=_header_topic(q.topic, lang),
        stars="★" * q.difficulty,
        type=strings.t(f"type.{q.type}", lang=lang),
    )
    return head + (f" · {strings.t(f'quiz.kind.{kind}', lang=lang)}" if kind else "")


def _shown(q: Question, order: tuple[int, ...] | None) -> list[tuple[str, Any]]:
    """(letter, choice) in display order."""
    order = order or tuple(range(len(q.choices)))
    return list(zip(letters(len(q.choices)), (q.choices[i] for i in order)))


def ask_question(
    console: Console,
    q: Question,
    n: int,
    total: int,
    lang: str,
    plain: bool,
    order: tuple[int, ...] | None = None,
    kind: str | None = None,
) -> None:
    header = question_header(q, n, total, lang, kind)
    help_key = {"choice": "choice_help", "truefalse": "tf_help"}.get(q.graded_as, "open_help")
    if plain:
        console.print(f"\n{header}\n{q.text(lang)}", markup=False)
        if q.snippet:
            console.print(q.snippet.rstrip(), markup=False)
        for letter, c in _shown(q, order):
            console.print(f"  {letter}) {c.text[lang]}", markup=False)
        return
    from rich.console import Group
    from rich.panel import Panel

    from nnquiz.ui.wrap import Wrapped

    parts: list[Any] = [Wrapped(q.text(lang))]
    if q.snippet:
        from rich.syntax import Syntax  # pygments: only when a snippet is shown

        parts.append(
            Syntax(
                q.snippet.rstrip(), "python", theme="ansi_dark", line_numbers=True, word_wrap=True
            )
        )
    for letter, c in _shown(q, order):
        parts.append(Wrapped(c.text[lang], prefix=f" {letter}) ", prefix_style="bold cyan"))
    if help_key == "open_help":  # at a terminal an open answer may take several lines
        help_key = "open_help_terminal"
    parts.append(Wrapped(t(lang, help_key), style="dim"))
    console.print(Panel(Group(*parts), title=header, title_align="left", border_style="cyan"))


def reask(console: Console, q: Question, given: str, lang: str) -> None:
    """An answer that does not fit the question: say what is accepted (it is asked again)."""
    if q.graded_as == "truefalse":
        text = t(lang, "reask_tf", given=given)
    else:
        valid = letters(len(q.choices))
        text = t(
            lang,
            "reask_choice",
            given=given,
            letters=t(lang, "letters_sep").join(valid),
            example=valid[:2],
        )
    console.print(text, style="yellow", markup=False, highlight=False)


def feedback(
    console: Console,
    q: Question,
    v: Verdict,
    lang: str,
    plain: bool,
    order: tuple[int, ...] | None = None,
    verdict: bool = True,
) -> None:
    lines: list[tuple[str, str]] = []
    if q.graded_as in ("choice", "truefalse"):
        if not verdict:  # browsing (`questions --show`): no verdict line
            lines = []
        elif v.dont_know:
            lines.append((t(lang, "dont_know"), "yellow"))
        elif not v.fits:
            lines.append((t(lang, "not_fit"), "yellow"))
        else:
            lines.append(
                (
                    t(lang, "correct") if v.correct else t(lang, "wrong"),
                    "bold green" if v.correct else "bold red",
                )
            )
        if q.graded_as == "choice":
            right = [f"{letter}) {c.text[lang]}" for letter, c in _shown(q, order) if c.correct]
            lines.append((t(lang, "answer_is", answer="; ".join(right)), ""))
            if isinstance(q.answer, dict):  # the model answer, in words, after the verdict
                lines.append((t(lang, "model", text=q.answer[lang]), ""))
        else:
            lines.append(
                (t(lang, "answer_is", answer=t(lang, "true") if q.answer else t(lang, "false")), "")
            )
    else:
        if v.dont_know and verdict:
            lines.append((t(lang, "dont_know"), "yellow"))
        assert isinstance(q.answer, dict)
        lines.append((t(lang, "model", text=q.answer[lang]), ""))
        lines.append((t(lang, "points"), "bold"))
        for mark in v.marks:
            point = q.key_points[mark.point].text[lang]
            if not verdict:  # browsing: the points themselves, no hit/miss marks
                lines.append((f"  • {point}", ""))
                continue
            sign, label, style = (
                ("✓", t(lang, "hit"), "green") if mark.hit else ("✗", t(lang, "missed"), "red")
            )
            lines.append((t(lang, "point_mark", sign=sign, point=point, label=label), style))
    lines.append((t(lang, "why", text=q.explanation[lang]), "dim" if not plain else ""))
    if plain:
        for text, _ in lines:
            console.print(text, markup=False)
        return
    from rich.console import Group
    from rich.panel import Panel

    from nnquiz.ui.wrap import Wrapped

    body = Group(*(Wrapped(text, style=style) for text, style in lines))
    console.print(
        Panel(
            body, border_style="green" if v.correct else ("red" if v.correct is False else "blue")
        )
    )


def rating_prompt(lang: str, default: int) -> str:
    name = strings.t(f"rating.{default}", lang=lang)
    return t(lang, "rating_prompt", help=t(lang, "rating_help", default=f"{default} {name}"))


def summary(console: Console, data: SessionSummary, lang: str, plain: bool) -> None:
    from nnquiz.quiz.topics import topic_name

    rows = data.topics
    if plain:
        console.print(
            "\n"
            + t(
                lang,
                "plain_summary",
                line=t(lang, "line", n=data.asked, pct=data.score_pct),
                time=strings.t("seconds", lang=lang, s=data.seconds),
            ),
            markup=False,
        )
        for topic, r in rows.items():
            console.print(
                f"  {topic_name(topic, lang)}: {t(lang, 'line', n=r.asked, pct=r.score_pct)}",
                markup=False,
            )
        console.print(
            t(
                lang,
                "plain_due",
                due=data.due_now,
                next=local_time(data.next_due) if data.next_due else strings.t("none", lang=lang),
            ),
            markup=False,
        )
        return
    from rich.table import Table

    table = Table(title=t(lang, "summary"), title_justify="left")
    table.add_column(t(lang, "topic"))
    table.add_column(t(lang, "asked"), justify="right")
    table.add_column(t(lang, "score"), justify="right")
    for topic, r in rows.items():
        table.add_row(topic_name(topic, lang), str(r.asked), f"{r.score_pct:.0f}%")
    table.add_section()
    table.add_row(strings.t("all", lang=lang), str(data.asked), f"{data.score_pct:.0f}%")
    console.print(table)
    from nnquiz.ui.wrap import Wrapped

    console.print(
        Wrapped(
            t(
                lang,
                "footer",
                time=strings.t("seconds", lang=lang, s=data.seconds),
                due=data.due_now,
                next=local_time(data.next_due, "\u00a0")
                if data.next_due
                else strings.t("none", lang=lang),
            )
        )
    )


def question_list(
    console: Console,
    found: list[Question],
    lang: str,
    total: int,
    search: str | None = None,
    page: bool = False,
) -> None:
    """The questions as a table; through the pager when `page` and a person is looking."""
    import contextlib

    from rich.table import Table

    def col(key: str) -> str:
        return strings.t(f"questions.{key}", lang=lang)

    if not found:
        console.print(
            col("no_match").format(search=search) if search else col("none"), markup=False
        )
        return

    table = Table(title=col("title").format(found=len(found), total=total), title_justify="left")
    from nnquiz.ui.wrap import Wrapped

    table.add_column(col("id"), overflow="fold", ratio=2)
    table.add_column(col("topic"), max_width=14, overflow="ellipsis", no_wrap=True)
    table.add_column(col("type"))
    table.add_column("★", justify="center")
    table.add_column(col("question"), ratio=3)
    for q in found:
        text = q.text(lang)
        table.add_row(
            q.id,
            _header_topic(q.topic, lang),
            strings.t(f"type.{q.type}", lang=lang),
            str(q.difficulty),
            Wrapped(text if len(text) <= 90 else text[:87] + "…"),
        )
    # styles=False: the pager (less) may not be set to show colours (LESS=-R)
    pager = console.pager(styles=False) if page and console.is_terminal else None
    with pager or contextlib.nullcontext():
        console.print(table)
        console.print(col("show_one"))


def question_detail(console: Console, q: Question, lang: str) -> None:
    """A browse view of one question: what it asks, the answer and why; no quiz frame, no
    internal ids or file paths."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    from nnquiz.ui.wrap import Wrapped

    head = f"{_header_topic(q.topic, lang)} · {'★' * q.difficulty} · " + strings.t(
        f"type.{q.type}", lang=lang
    )
    parts: list[Any] = [Wrapped(q.text(lang), style="bold")]
    if q.snippet:
        from rich.syntax import Syntax

        parts.append(
            Syntax(
                q.snippet.rstrip(), "python", theme="ansi_dark", line_numbers=True, word_wrap=True
            )
        )
    for letter, c in _shown(q, None):
        mark = "✓" if c.correct else " "
        parts.append(
            Wrapped(
                c.text[lang],
                style="green" if c.correct else "",
                prefix=f" {mark} {letter}) ",
                prefix_style="bold green" if c.correct else "bold",
            )
        )
    if q.graded_as == "truefalse":
        answer = t(lang, "true") if q.answer else t(lang, "false")
        parts.append(Wrapped(t(lang, "answer_is", answer=answer), style="green"))
    elif isinstance(q.answer, dict):
        parts.append(Wrapped(t(lang, "model", text=q.answer[lang])))
    if q.key_points:
        parts.append(Text(t(lang, "points"), style="bold"))
        for point in q.key_points:
            parts.append(Wrapped(point.text[lang], prefix="  • "))
    parts.append(Wrapped(t(lang, "why", text=q.explanation[lang]), style="dim"))
    console.print(Panel(Group(*parts), title=head, title_align="left", border_style="blue"))


def local_time(stamp: str, sep: str = " ") -> str:
    """An ISO time as a local date and time (2026-01-03 04:30); the text itself if not ISO."""
    from datetime import datetime

    try:
        when = datetime.fromisoformat(stamp.replace(" UTC", "+00:00"))
    except (TypeError, ValueError):
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%Y-%m-%d") + sep + when.strftime("%H:%M")


def stats(console: Console, data: Stats, lang: str = "en") -> None:
    from nnquiz.quiz.topics import topic_name

    def s(key: str, **fields: Any) -> str:
        return strings.t(f"stats.{key}", lang=lang, **fields)

    console.print(
        s(
            "line",
            answered=data.answered,
            pct=data.accuracy_pct,
            due=data.due,
            streak=data.streak_days,
        )
    )
    from rich.table import Table

    if data.topics:
        table = Table(title=s("by_topic"), title_justify="left")
        for key in ("topic", "answered", "accuracy"):
            table.add_column(s(key), justify="left" if key == "topic" else "right")
        for topic, r in sorted(data.topics.items(), key=lambda kv: kv[1].accuracy):
            table.add_row(topic_name(topic, lang), str(r.answered), f"{100 * r.accuracy:.0f}%")
        console.print(table)
    if data.katas:
        table = Table(title=s("katas"), title_justify="left")
        for key in ("kata", "status", "attempts", "last"):
            table.add_column(s(key))
        for slug, k in sorted(data.katas.items()):
            status = strings.t(f"kata_status.{k['status']}", lang=lang)
            table.add_row(slug, status, str(k["attempts"]), local_time(k["last"]))
        console.print(table)
