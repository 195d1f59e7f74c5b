"""Progress figures from the store: answers, accuracy per topic, due cards, streak, katas."""

from __future__ import annotations

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


def stats(store: Store) -> dict[str, Any]:
    answers = store.answers()
    topics: dict[str, dict[str, Any]] = {}
    correct_total = 0.0
    for row in answers:
        topic = row["topic"] or "unknown"
        t = topics.setdefault(topic, {"answered": 0, "correct": 0.0})
        t["answered"] += 1
        ok = row["score"] if row["correct"] is None else float(row["correct"])
        t["correct"] += ok
        correct_total += ok
    for t in topics.values():
        t["accuracy"] = round(t["correct"] / t["answered"], 4)
        t["correct"] = round(t["correct"], 2)
    katas = store.kata_status()
    days = {_local_day(r["answered_at"]) for r in answers}
    days |= {_local_day(r["last"]) for r in katas.values()}
    days |= {_local_day(when) for when in store.attempt_times()}
    return {
        "answered": len(answers),
        "accuracy_pct": round(100 * correct_total / len(answers), 1) if answers else 0.0,
        "topics": topics,
        "due": len(store.due_cards(store.clock.now_iso())),
        "cards": len(store.all_cards()),
        "streak_days": streak(days, store.clock.now().astimezone().date()),
        "katas": katas,
    }
