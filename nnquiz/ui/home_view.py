"""The home screen drawn from nnquiz.practice.home's data."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from nnquiz.practice.home import Home


def home_screen(console: Console, d: Home, lang: str) -> None:
    zh = lang == "zh"
    body = Text()
    body.append(("今日复习：" if zh else "Due now: "), style="bold")
    body.append(f"{d.due} card(s)\n" if not zh else f"{d.due} 张卡片\n")
    body.append(("连续练习：" if zh else "Streak: "), style="bold")
    body.append(f"{d.streak_days} day(s)\n" if not zh else f"{d.streak_days} 天\n")
    body.append(("薄弱主题：" if zh else "Weakest topics: "), style="bold")
    body.append(
        ", ".join(f"{t} {100 * a:.0f}%" for t, a in d.weak)
        or ("暂无（至少答 3 题）" if zh else "none yet (answer 3+ per topic)")
    )
    body.append("\n")
    body.append(("下一道编程题：" if zh else "Next kata: "), style="bold")
    if d.next_kata:
        slug, en, zh_title = d.next_kata
        body.append(f"{slug} — {zh_title if zh else en}")
    else:
        body.append("全部完成！" if zh else "all solved!")
    body.append(f"  ({d.katas_solved}/{d.katas_total})\n\n")
    body.append(("接下来可以：\n" if zh else "Next:\n"), style="bold")
    for cmd, why in d.commands:
        body.append(f"  {cmd}", style="cyan")
        body.append(f"   {why}\n", style="dim")
    body.append(
        "\nnnquiz --help" + ("  查看全部命令" if zh else "  for every command"), style="dim"
    )
    console.print(Panel(body, title="nnquiz", title_align="left", border_style="cyan"))
