"""What a bare `nnquiz` shows: what to practise next (drawn by nnquiz.ui.home_view)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nnquiz.katas import catalogue as kata_catalogue
from nnquiz.practice import progress
from nnquiz.store import Store

MIN_ANSWERS_FOR_WEAK = 3


@dataclass
class Home:
    due: int
    answered: int
    streak_days: int
    weak: list[tuple[str, float]]  # (topic, accuracy), weakest first
    next_kata: tuple[str, str, str] | None  # (slug, English title, Chinese title)
    katas_solved: int
    katas_total: int
    # (command, why, its fields): `why` names a reason the UI words (home.why.<why>)
    commands: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


def home_data(store: Store) -> Home:
    data = progress.stats(store)
    catalogue = kata_catalogue.load_catalogue()
    solved = {s for s, r in data.katas.items() if r["status"] == "pass"}
    started = sorted(
        (r["last"], s) for s, r in data.katas.items() if s not in solved and s in catalogue
    )
    # carry on with the kata tried most recently; a new user warms up on the easiest kata of
    # the first track (the catalogue is in track order, then difficulty); else the next new one
    fresh = [k for k in catalogue.values() if k.slug not in solved]
    warm_up = not started and not solved and bool(fresh)
    next_kata = catalogue[started[-1][1]] if started else (fresh[0] if fresh else None)
    weak = sorted(
        ((t, r) for t, r in data.topics.items() if r.answered >= MIN_ANSWERS_FOR_WEAK),
        key=lambda tr: tr[1].accuracy,
    )[:3]
    commands: list[tuple[str, str, dict[str, Any]]] = []
    if data.due:
        commands.append(("nnquiz review", "due", {"n": data.due}))
    if weak:
        commands.append((f"nnquiz ask --topic {weak[0][0]}", "weak", {}))
    if next_kata is not None:
        tried = data.katas.get(next_kata.slug)
        commands.append(
            (
                f"nnquiz grade {next_kata.slug}" if tried else f"nnquiz kata {next_kata.slug}",
                "continue" if tried else ("warm_up" if warm_up else "next_kata"),
                {},
            )
        )
    if not data.answered:
        commands.insert(0, ("nnquiz ask --count 5", "first_quiz", {}))
    commands.append(("nnquiz ask --count 10", "mixed", {}))
    return Home(
        due=data.due,
        answered=data.answered,
        streak_days=data.streak_days,
        weak=[(t, r.accuracy) for t, r in weak],
        next_kata=None
        if next_kata is None
        else (next_kata.slug, next_kata.title["en"], next_kata.title["zh"]),
        katas_solved=len(solved),
        katas_total=len(catalogue),
        commands=commands[:3],
    )
