"""The home screen shown by a bare `nnquiz`: what to practise next, without heavy imports."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from nnquiz.store import open_store

MIN_ANSWERS_FOR_WEAK = 3


def home_data() -> dict[str, Any]:
    from nnquiz import katas, progress

    with open_store() as store:
        data = progress.stats(store)
    catalogue = katas.load_catalogue()
    solved = {s for s, r in data["katas"].items() if r["status"] == "pass"}
    started = sorted((r["last"], s) for s, r in data["katas"].items() if s not in solved and s in catalogue)
    # carry on with the kata tried most recently, else the first new one
    next_kata = catalogue[started[-1][1]] if started else next(
        (k for k in catalogue.values() if k.slug not in solved), None)
    weak = sorted(((t, r) for t, r in data["topics"].items() if r["answered"] >= MIN_ANSWERS_FOR_WEAK),
                  key=lambda tr: tr[1]["accuracy"])[:3]
    commands: list[tuple[str, str]] = []
    if data["due"]:
        commands.append(("nnquiz review", f"{data['due']} card(s) due"))
    if weak:
        commands.append((f"nnquiz ask --topic {weak[0][0]}", "drill your weakest topic"))
    if next_kata is not None:
        tried = data["katas"].get(next_kata.slug)
        commands.append((f"nnquiz grade {next_kata.slug}" if tried else f"nnquiz kata {next_kata.slug}",
                         "continue" if tried else "next kata"))
    if not data["answered"]:
        commands.insert(0, ("nnquiz ask --count 5", "a first short quiz"))
    commands.append(("nnquiz ask --count 10", "a mixed quiz"))
    return {
        "due": data["due"], "answered": data["answered"], "streak_days": data["streak_days"],
        "weak": [(t, r["accuracy"]) for t, r in weak],
        "next_kata": None if next_kata is None else (next_kata.slug, next_kata.title["en"], next_kata.title["zh"]),
        "katas_solved": len(solved), "katas_total": len(catalogue),
        "commands": commands[:3],
    }


def home_screen(console: Console, lang: str) -> None:
    d = home_data()
    zh = lang == "zh"
    body = Text()
    body.append(("今日复习：" if zh else "Due now: "), style="bold")
    body.append(f"{d['due']} card(s)\n" if not zh else f"{d['due']} 张卡片\n")
    body.append(("连续练习：" if zh else "Streak: "), style="bold")
    body.append(f"{d['streak_days']} day(s)\n" if not zh else f"{d['streak_days']} 天\n")
    body.append(("薄弱主题：" if zh else "Weakest topics: "), style="bold")
    body.append(", ".join(f"{t} {100 * a:.0f}%" for t, a in d["weak"]) or ("暂无（至少答 3 题）" if zh else "none yet (answer 3+ per topic)"))
    body.append("\n")
    body.append(("下一道编程题：" if zh else "Next kata: "), style="bold")
    if d["next_kata"]:
        slug, en, zh_title = d["next_kata"]
        body.append(f"{slug} — {zh_title if zh else en}")
    else:
        body.append("全部完成！" if zh else "all solved!")
    body.append(f"  ({d['katas_solved']}/{d['katas_total']})\n\n")
    body.append(("接下来可以：\n" if zh else "Next:\n"), style="bold")
    for cmd, why in d["commands"]:
        body.append(f"  {cmd}", style="cyan")
        body.append(f"   {why}\n", style="dim")
    body.append("\nnnquiz --help" + ("  查看全部命令" if zh else "  for every command"), style="dim")
    console.print(Panel(body, title="nnquiz", title_align="left", border_style="cyan"))
