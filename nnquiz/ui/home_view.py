"""The home screen drawn from nnquiz.practice.home's data."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from nnquiz.practice.home import Home
from nnquiz.quiz.topics import topic_name
from nnquiz.ui.strings import t


def home_screen(console: Console, d: Home, lang: str) -> None:
    body = Text()
    body.append(t("home.due", lang=lang), style="bold")
    body.append(t("home.due_n", lang=lang, n=d.due) + "\n")
    body.append(t("home.streak", lang=lang), style="bold")
    body.append(t("home.streak_n", lang=lang, n=d.streak_days) + "\n")
    body.append(t("home.weak", lang=lang), style="bold")
    body.append(
        ("，" if lang == "zh" else ", ").join(
            f"{topic_name(topic, lang)} {100 * a:.0f}%" for topic, a in d.weak
        )
        or t("home.weak_none", lang=lang)
    )
    body.append("\n")
    body.append(t("home.next_kata", lang=lang), style="bold")
    if d.next_kata:
        slug, en, zh_title = d.next_kata
        body.append(f"{slug} — {zh_title if lang == 'zh' else en}")
    else:
        body.append(t("home.all_solved", lang=lang))
    body.append(f"  ({d.katas_solved}/{d.katas_total})\n\n")
    body.append(t("home.next", lang=lang) + "\n", style="bold")
    for cmd, why, fields in d.commands:
        body.append(f"  {cmd}", style="cyan")
        body.append(f"   {t(f'home.why.{why}', lang=lang, **fields)}\n", style="dim")
    body.append("\n" + t("home.help", lang=lang), style="dim")
    console.print(Panel(body, title="nnquiz", title_align="left", border_style="cyan"))
