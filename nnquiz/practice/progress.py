"""Progress figures from the store: answers, accuracy per topic, due cards, streak, katas."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from nnquiz.store import Store


def streak(days: set[date], today: date) -> int:
    """Consecutive days practised, ending today (or yesterday, if not yet today)."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def _local_day(iso: str) -> date:
    return datetime.fromisoformat(iso).astimezone().date()


@dataclass
class TopicStats:
    answered: int = 0
    correct: float = 0.0  # free-text answers count their key-point score
    accuracy: float = 0.0


@dataclass
class Stats:
    answered: int
    accuracy_pct: float
    topics: dict[str, TopicStats]
    due: int
    cards: int
    streak_days: int
    katas: dict[str, dict[str, Any]]  # per slug: attempts, best status, last time

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def stats(store: Store) -> Stats:
    answers = store.answers()
    topics: dict[str, TopicStats] = {}
    correct_total = 0.0
    for row in answers:
        t = topics.setdefault(row["topic"] or "unknown", TopicStats())
        t.answered += 1
        ok = row["score"] if row["correct"] is None else float(row["correct"])
        t.correct += ok
        correct_total += ok
    for t in topics.values():
        t.accuracy = round(t.correct / t.answered, 4)
        t.correct = round(t.correct, 2)
    katas = store.kata_status()
    days = {_local_day(r["answered_at"]) for r in answers}
    days |= {_local_day(r["last"]) for r in katas.values()}
    days |= {_local_day(when) for when in store.attempt_times()}
    return Stats(
        answered=len(answers),
        accuracy_pct=round(100 * correct_total / len(answers), 1) if answers else 0.0,
        topics=topics,
        due=len(store.due_cards(store.clock.now_iso())),
        cards=len(store.all_cards()),
        streak_days=streak(days, store.clock.now().astimezone().date()),
        katas=katas,
    )
