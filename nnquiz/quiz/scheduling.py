"""Spaced repetition with the `fsrs` library: one card per question id."""

from __future__ import annotations

import zlib
from datetime import datetime, timezone

_scheduler = None


def _get_scheduler():
    global _scheduler
    if _scheduler is None:
        from fsrs import Scheduler

        _scheduler = Scheduler(enable_fuzzing=False)
    return _scheduler


def card_id(question_id: str) -> int:
    return zlib.crc32(question_id.encode("utf-8")) + 1


def review(
    card_json: str | None, question_id: str, rating: int, when: datetime | None = None
) -> tuple[str, str]:
    """Apply one review; returns the card's new JSON and its due time (ISO, UTC)."""
    import json

    from fsrs import Card, Rating

    when = when or datetime.now(timezone.utc)  # callers pass their clock's time
    card = (
        Card.from_dict(json.loads(card_json))
        if card_json
        else Card(card_id=card_id(question_id), due=when)
    )
    card, _log = _get_scheduler().review_card(card, Rating(rating), review_datetime=when)
    return json.dumps(card.to_dict()), card.due.astimezone(timezone.utc).isoformat(
        timespec="seconds"
    )


def replay(question_id: str, reviews: list[tuple[str, int]]) -> tuple[str, str]:
    """A card rebuilt from its review history [(ISO time, rating)], oldest first."""
    card_json: str | None = None
    due = ""
    for when, rating in sorted(reviews):
        card_json, due = review(card_json, question_id, rating, datetime.fromisoformat(when))
    assert card_json is not None
    return card_json, due
