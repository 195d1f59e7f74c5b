"""A timed mock interview as data: the plan (questions weighted toward weak topics, then one
kata), the kata's outcome and the report. The timed, interactive part is nnquiz.ui.mock_session.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nnquiz.errors import UsageError
from nnquiz.grading.result import GradeEvent
from nnquiz.grading.service import grade_and_record
from nnquiz.katas import catalogue as katas
from nnquiz.katas import workspace
from nnquiz.practice import progress
from nnquiz.quiz import bank
from nnquiz.store import Store

QUESTION_SHARE = 0.6  # of the minutes, for concept questions; the rest is the kata's
SECONDS_PER_QUESTION = 45  # planned; asking stops when the question share of the time is up


def weighted_questions(
    pool: list[bank.Question], accuracy: dict[str, float], count: int, rng: random.Random
) -> list[bank.Question]:
    """Sample without replacement, a topic's weight growing with its error rate."""
    by_topic: dict[str, list[bank.Question]] = defaultdict(list)
    for q in pool:
        by_topic[q.topic].append(q)
    for qs in by_topic.values():
        rng.shuffle(qs)
    chosen: list[bank.Question] = []
    while len(chosen) < count and any(by_topic.values()):
        topics = [t for t, qs in by_topic.items() if qs]
        weights = [1.0 + 2.0 * (1.0 - accuracy[t]) if t in accuracy else 1.5 for t in topics]
        topic = rng.choices(topics, weights)[0]
        chosen.append(by_topic[topic].pop())
    return chosen


def pick_kata(store: Store, catalogue: dict[str, katas.Kata], slug: str | None) -> katas.Kata:
    if slug:
        return katas.get_kata(slug, catalogue)
    status = store.kata_status()
    solved = sum(1 for s in status.values() if s["status"] == "pass")
    level = 1 if solved < 3 else (2 if solved < 10 else 3)
    open_katas = [k for k in catalogue.values() if status.get(k.slug, {}).get("status") != "pass"]
    for k in sorted(open_katas, key=lambda k: (abs(k.difficulty - level), k.difficulty, k.slug)):
        return k
    return next(iter(catalogue.values()))


@dataclass
class MockPlan:
    minutes: float
    questions: list[bank.Question]
    kata: katas.Kata

    @property
    def budget_s(self) -> float:
        return self.minutes * 60.0

    @property
    def question_budget_s(self) -> float:
        return self.budget_s * QUESTION_SHARE


def plan_mock(
    store: Store, *, minutes: float, topics: list[str], kata_slug: str | None, seed: int | None
) -> MockPlan:
    if minutes <= 0:
        raise UsageError(key="errors.minutes_positive", minutes=minutes)
    kata = pick_kata(store, katas.load_catalogue(), kata_slug)
    pool = bank.filter_questions(bank.load_bank(), topics=topics)
    if not pool:
        raise UsageError(key="errors.mock_no_match")
    accuracy = {t: r.accuracy for t, r in progress.stats(store).topics.items()}
    count = max(3, int(minutes * 60.0 * QUESTION_SHARE // SECONDS_PER_QUESTION))
    return MockPlan(minutes, weighted_questions(pool, accuracy, count, random.Random(seed)), kata)


def attempted(kata: katas.Kata, ws: workspace.Workspace) -> bool:
    """Whether the workspace file holds the user's work: it exists and is not the starter."""
    try:
        return ws.file.read_bytes() != kata.starter.read_bytes()
    except OSError:
        return False


def kata_outcome(
    store: Store,
    kata: katas.Kata,
    ws: workspace.Workspace,
    skipped: bool = False,
    on_event: Callable[[GradeEvent], None] | None = None,
) -> dict[str, Any]:
    """The kata part's line in the report: skipped, not attempted (no file, or the starter
    unchanged), or the grade of the workspace file, also when the mock created it."""
    base = {"slug": kata.slug, "passed": 0, "total": 0, "file": str(ws.file)}
    if skipped:
        return {**base, "status": "skipped"}
    if not attempted(kata, ws):
        return {**base, "status": "not attempted", "next": f"nnquiz kata {kata.slug}"}
    result = grade_and_record(store, kata, ws.file, warm=True, on_event=on_event)
    return {
        **base,
        "status": result.status.value,
        "passed": result.counts.get("passed", 0),
        "total": result.counts.get("total", 0),
    }


def build_report(
    asked: list[dict[str, Any]],
    kata: dict[str, Any],
    minutes: float,
    seconds: float,
    stopped: str,
    created_at: str,
) -> dict[str, Any]:
    per: dict[str, list[float]] = defaultdict(list)
    for a in asked:
        per[a["topic"]].append(a["score"])
    topics = {
        t: {"asked": len(s), "score_pct": round(100 * sum(s) / len(s), 1)}
        for t, s in sorted(per.items())
    }
    review_next = sorted({a["id"] for a in asked if a["score"] < 0.5})
    weak = [
        t
        for t, r in sorted(topics.items(), key=lambda kv: kv[1]["score_pct"])
        if r["score_pct"] < 70
    ]
    return {
        "created_at": created_at,
        "minutes": minutes,
        "seconds": round(seconds, 1),
        "stopped": stopped,
        "questions": asked,
        "topics": topics,
        "score_pct": round(100 * sum(a["score"] for a in asked) / len(asked), 1) if asked else 0.0,
        "kata": kata,
        "review_next": review_next,
        "suggest": ([f"nnquiz ask --topic {weak[0]}"] if weak else [])
        + (
            [kata.get("next") or f"nnquiz grade {kata['slug']}"]
            if kata.get("status") != "pass"
            else []
        ),
    }
