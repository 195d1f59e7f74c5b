"""Rendering for the quiz: question panels, feedback, summaries, browsing, stats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nnquiz.quiz.bank import Question
from nnquiz.quiz.checking import RATING_NAMES, KeyPointMark, Verdict, letters

if TYPE_CHECKING:
    from rich.console import Console

    from nnquiz.practice.progress import Stats
    from nnquiz.quiz.session import SessionSummary

UI = {
    "en": {
        "correct": "Correct.",
        "wrong": "Wrong.",
        "dont_know": "Not answered (counted as a miss).",
        "not_fit": "That answer does not fit the question (counted as wrong).",
        "answer_is": "The answer is",
        "why": "Why",
        "model": "Model answer",
        "points": "Key points",
        "hit": "probably covered",
        "missed": "probably missed",
        "rate": "Rate yourself",
        "choice_help": "Answer with a letter (several letters if several are right, e.g. ac). Enter = don't know.",
        "tf_help": "Answer t (true) or f (false). Enter = don't know.",
        "open_help": "Type your answer on one line. Enter = don't know.",
        "true": "true",
        "false": "false",
        "summary": "Session summary",
        "topic": "topic",
        "asked": "asked",
        "score": "score",
        "time": "time",
        "due_now": "cards due now",
        "next_due": "next review",
        "stopped": "Session ended early; every answer given is saved.",
        "nothing": "Nothing to ask: no due or new questions match. Try `nnquiz ask` without --due.",
        "rating_help": "1 Again  2 Hard  3 Good  4 Easy  (Enter = {default})",
        "line": "{n} answered, score {pct:.0f}%",
    },
    "zh": {
        "correct": "回答正确。",
        "wrong": "回答错误。",
        "dont_know": "未作答（记为未掌握）。",
        "not_fit": "答案与题目不符（记为错误）。",
        "answer_is": "正确答案是",
        "why": "解析",
        "model": "参考答案",
        "points": "要点",
        "hit": "大概已答到",
        "missed": "大概遗漏",
        "rate": "自评",
        "choice_help": "输入选项字母（多选题输入多个字母，如 ac）。直接回车 = 不会。",
        "tf_help": "输入 t（对）或 f（错）。直接回车 = 不会。",
        "open_help": "在一行内输入你的回答。直接回车 = 不会。",
        "true": "对",
        "false": "错",
        "summary": "本次练习小结",
        "topic": "主题",
        "asked": "题数",
        "score": "得分",
        "time": "用时",
        "due_now": "当前待复习",
        "next_due": "下次复习",
        "stopped": "练习提前结束；已作答的题目都已保存。",
        "nothing": "没有可出的题：没有到期或新的题目符合条件。试试不带 --due 的 `nnquiz ask`。",
        "rating_help": "1 重来  2 困难  3 良好  4 简单  （回车 = {default}）",
        "line": "答了 {n} 题，得分 {pct:.0f}%",
    },
}
TYPE_NAMES = {
    "en": {"choice": "choice", "truefalse": "true/false", "open": "open", "code": "code"},
    "zh": {"choice": "选择题", "truefalse": "判断题", "open": "问答题", "code": "代码题"},
}


def t(lang: str, key: str) -> str:
    return UI[lang][key]


def question_header(q: Question, n: int, total: int, lang: str) -> str:
    return f"Q{n}/{total} · {q.topic} · {'★' * q.difficulty} · {TYPE_NAMES[lang][q.type]}"


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
) -> None:
    header = question_header(q, n, total, lang)
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
    from rich.text import Text

    parts: list[Any] = [Text(q.text(lang))]
    if q.snippet:
        from rich.syntax import Syntax  # pygments: only when a snippet is shown

        parts.append(Syntax(q.snippet.rstrip(), "python", theme="ansi_dark", line_numbers=True))
    for letter, c in _shown(q, order):
        parts.append(Text.assemble((f" {letter}) ", "bold cyan"), c.text[lang]))
    parts.append(Text(t(lang, help_key), style="dim"))
    console.print(Panel(Group(*parts), title=header, title_align="left", border_style="cyan"))


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
            lines.append((f"{t(lang, 'answer_is')}: " + "; ".join(right), ""))
        else:
            lines.append(
                (f"{t(lang, 'answer_is')}: {t(lang, 'true') if q.answer else t(lang, 'false')}", "")
            )
    else:
        if v.dont_know and verdict:
            lines.append((t(lang, "dont_know"), "yellow"))
        assert isinstance(q.answer, dict)
        lines.append((f"{t(lang, 'model')}: {q.answer[lang]}", ""))
        lines.append((f"{t(lang, 'points')}:", "bold"))
        for mark in v.marks:
            point = q.key_points[mark.point].text[lang]
            if not verdict:  # browsing: the points themselves, no hit/miss marks
                lines.append((f"  • {point}", ""))
                continue
            sign, label, style = (
                ("✓", t(lang, "hit"), "green") if mark.hit else ("✗", t(lang, "missed"), "red")
            )
            lines.append((f"  {sign} {point} ({label})", style))
    lines.append((f"{t(lang, 'why')}: {q.explanation[lang]}", "dim" if not plain else ""))
    if plain:
        for text, _ in lines:
            console.print(text, markup=False)
        return
    from rich.panel import Panel
    from rich.text import Text

    body = Text("\n").join(Text(text, style=style) for text, style in lines)
    console.print(
        Panel(
            body, border_style="green" if v.correct else ("red" if v.correct is False else "blue")
        )
    )


def rating_prompt(lang: str, default: int) -> str:
    return f"{t(lang, 'rate')} [{t(lang, 'rating_help').format(default=f'{default} {RATING_NAMES[default]}')}]"


def summary(console: Console, data: SessionSummary, lang: str, plain: bool) -> None:
    rows = data.topics
    if plain:
        line = t(lang, "line")
        console.print(
            f"\n{t(lang, 'summary')}: {line.format(n=data.asked, pct=data.score_pct)}, "
            f"{t(lang, 'time')} {data.seconds:.0f}s",
            markup=False,
        )
        for topic, r in rows.items():
            console.print(f"  {topic}: {line.format(n=r.asked, pct=r.score_pct)}", markup=False)
        console.print(
            f"{t(lang, 'due_now')}: {data.due_now}; {t(lang, 'next_due')}: {data.next_due or '-'}",
            markup=False,
        )
        return
    from rich.table import Table

    table = Table(title=t(lang, "summary"), title_justify="left")
    table.add_column(t(lang, "topic"))
    table.add_column(t(lang, "asked"), justify="right")
    table.add_column(t(lang, "score"), justify="right")
    for topic, r in rows.items():
        table.add_row(topic, str(r.asked), f"{r.score_pct:.0f}%")
    table.add_section()
    table.add_row("all" if lang == "en" else "合计", str(data.asked), f"{data.score_pct:.0f}%")
    console.print(table)
    console.print(
        f"{t(lang, 'time')}: {data.seconds:.0f}s · {t(lang, 'due_now')}: {data.due_now} · "
        f"{t(lang, 'next_due')}: {data.next_due or '-'}"
    )


def question_list(console: Console, found: list[Question], lang: str, total: int) -> None:
    from rich.table import Table

    table = Table(title=f"{len(found)} of {total} questions", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("topic")
    table.add_column("type")
    table.add_column("★", justify="center")
    table.add_column("question")
    for q in found:
        text = q.text(lang)
        table.add_row(
            q.id, q.topic, q.type, str(q.difficulty), text if len(text) <= 90 else text[:87] + "..."
        )
    console.print(table)
    console.print("Show one in full: nnquiz questions --show ID")


def question_detail(console: Console, q: Question, lang: str) -> None:
    ask_question(console, q, 1, 1, lang, plain=False)
    dummy = Verdict("", True, 1.0, 3, marks=())
    if q.graded_as == "open":
        dummy = Verdict(
            "", None, 1.0, 3, marks=tuple(KeyPointMark(i, True) for i in range(len(q.key_points)))
        )
    feedback(console, q, dummy, lang, plain=False, verdict=False)
    console.print(f"[dim]{q.source} · covers {', '.join(q.covers)}[/dim]")


def stats(console: Console, data: Stats) -> None:
    console.print(
        f"Answered {data.answered} questions · accuracy {data.accuracy_pct:.0f}% · "
        f"{data.due} cards due now · {data.streak_days}-day streak"
    )
    from rich.table import Table

    if data.topics:
        table = Table(title="Quiz by topic", title_justify="left")
        for col in ("topic", "answered", "accuracy"):
            table.add_column(col, justify="left" if col == "topic" else "right")
        for topic, r in sorted(data.topics.items(), key=lambda kv: kv[1].accuracy):
            table.add_row(topic, str(r.answered), f"{100 * r.accuracy:.0f}%")
        console.print(table)
    if data.katas:
        table = Table(title="Katas", title_justify="left")
        for col in ("kata", "status", "attempts", "last"):
            table.add_column(col)
        for slug, k in sorted(data.katas.items()):
            table.add_row(slug, k["status"], str(k["attempts"]), k["last"])
        console.print(table)
