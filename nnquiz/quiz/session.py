"""Quiz sessions as data: choose the questions, grade and record one answer, sum up.

The interactive loop that shows questions and reads answers lives in `nnquiz.ui.session`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from nnquiz import clock as clocks
from nnquiz.clock import Clock
from nnquiz.errors import UsageError
from nnquiz.quiz import bank, checking, scheduling
from nnquiz.quiz.bank import Question
from nnquiz.quiz.checking import Verdict
from nnquiz.store import AnswerRecord, Store


def validate_options(count: int, qtype: str | None, difficulty: int | None) -> None:
    if count < 1:
        raise UsageError(key="errors.count_min", count=count)
    if qtype is not None and qtype not in bank.TYPES:
        raise UsageError(key="errors.unknown_type", qtype=qtype, types=", ".join(bank.TYPES))
    if difficulty is not None and difficulty not in (1, 2, 3):
        raise UsageError(key="errors.difficulty", difficulty=difficulty)


def choose(
    store: Store,
    *,
    topics: list[str],
    qtype: str | None,
    difficulty: int | None,
    count: int,
    due: bool,
    seed: int | None,
    new_per_day: int | None = None,
) -> Chosen:
    """The session's questions: with `due`, cards due for review first, then new ones, at
    most `new_per_day` (default NEW_PER_DAY) a day counting those already seen today."""
    validate_options(count, qtype, difficulty)
    if new_per_day is not None and new_per_day < 0:
        raise UsageError(key="errors.new_min", n=new_per_day)
    questions = bank.load_bank()
    pool = bank.filter_questions(questions, topics=topics, qtype=qtype, difficulty=difficulty)
    if not pool:
        raise UsageError(key="errors.no_match")
    due_ids = [qid for qid, _ in store.due_cards(store.clock.now_iso())]
    new_limit = None
    if due:
        limit = NEW_PER_DAY if new_per_day is None else new_per_day
        new_limit = max(0, limit - store.new_cards_since(_start_of_local_day(store.clock)))
    questions = checking.select(
        pool,
        count=count,
        due_ids=due_ids,
        seen_ids=set(store.all_cards()),
        due_first=due,
        seed=seed,
        new_limit=new_limit,
    )
    return Chosen(questions, frozenset(due_ids) if due else frozenset(), marked=due)


NEW_PER_DAY = 10  # new cards a review session takes per day (Anki's "new cards/day")


@dataclass
class Chosen:
    """The questions of a session; with `marked` (review), which ones are due cards."""

    questions: list[Question]
    due_ids: frozenset[str] = frozenset()
    marked: bool = False

    def kind(self, q: Question) -> str | None:
        """'due' or 'new' in a review session; None otherwise."""
        if not self.marked:
            return None
        return "due" if q.id in self.due_ids else "new"


def _start_of_local_day(clock: Clock) -> str:
    """Midnight of today, in the user's time zone, as the stored UTC form."""
    from datetime import timezone

    local = clock.now().astimezone()
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(timezone.utc).isoformat(timespec="seconds")


def new_session_id(prefix: str = "") -> str:
    return prefix + uuid.uuid4().hex[:12]


@dataclass(eq=False)
class Asked:
    """One question asked, answered, graded and recorded."""

    question: Question
    verdict: Verdict
    rating: int
    seconds: float
    due: str

    @property
    def score(self) -> float:
        v = self.verdict
        return v.score if v.correct is None else float(bool(v.correct))


def record(
    store: Store, q: Question, v: Verdict, rating: int, seconds: float, session: str
) -> Asked:
    """Store the answer and schedule the card's next review."""
    when = store.clock.now().replace(microsecond=0)  # the logged time replays exactly
    card_json, due = scheduling.review(store.card_json(q.id), q.id, rating, when)
    store.record_answer(
        AnswerRecord(
            q.id,
            q.topic,
            v.given,
            v.correct,
            v.score,
            rating,
            round(seconds, 2),
            session,
            q.content_hash,
        ),
        card_json,
        due,
        when=when.isoformat(),
    )
    return Asked(q, v, rating, seconds, due)


@dataclass
class TopicScore:
    asked: int
    score_pct: float


@dataclass
class SessionSummary:
    asked: int
    score_pct: float
    seconds: float
    topics: dict[str, TopicScore] = field(default_factory=dict)
    due_now: int = 0
    next_due: str = ""


def summarise(
    store: Store, results: list[Asked], seconds: float, clock: Clock | None = None
) -> SessionSummary:
    clock = clock or clocks.system_clock()
    per: dict[str, list[float]] = defaultdict(list)
    for a in results:
        per[a.question.topic].append(a.score)
    dues = [a.due for a in results]
    scores = [x for s in per.values() for x in s]
    return SessionSummary(
        asked=len(results),
        score_pct=100 * sum(scores) / len(scores) if scores else 0.0,
        seconds=seconds,
        topics={t: TopicScore(len(s), 100 * sum(s) / len(s)) for t, s in sorted(per.items())},
        due_now=len(store.due_cards(clock.now_iso())),
        next_due=min(dues).replace("T", " ").replace("+00:00", " UTC") if dues else "",
    )
