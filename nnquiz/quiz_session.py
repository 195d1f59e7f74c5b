"""One quiz session: ask, check, record, schedule; interactive in a terminal, scripted otherwise."""

from __future__ import annotations

import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import IO, Any

from nnquiz import bank, quiz, review
from nnquiz.errors import UsageError
from nnquiz.store import AnswerRecord, Store, now_iso, open_store


def validate_options(count: int, qtype: str | None, difficulty: int | None) -> None:
    if count < 1:
        raise UsageError(f"--count must be at least 1 (got {count})")
    if qtype is not None and qtype not in bank.TYPES:
        raise UsageError(f"unknown --type {qtype!r}: use one of {', '.join(bank.TYPES)}")
    if difficulty is not None and difficulty not in (1, 2, 3):
        raise UsageError(f"--difficulty must be 1, 2 or 3 (got {difficulty})")


def choose(store: Store, *, topics: list[str], qtype: str | None, difficulty: int | None, count: int,
           due: bool, seed: int | None) -> list[bank.Question]:
    validate_options(count, qtype, difficulty)
    questions = bank.load_bank()
    pool = bank.filter_questions(questions, topics=topics, qtype=qtype, difficulty=difficulty)
    if not pool:
        raise UsageError("no question matches those options; loosen --topic/--type/--difficulty")
    due_ids = [qid for qid, _ in store.due_cards(now_iso())]
    return quiz.select(pool, count=count, due_ids=due_ids, seen_ids=set(store.all_cards()),
                       due_first=due, seed=seed)


def record(store: Store, q: bank.Question, v: quiz.Verdict, rating: int, seconds: float, session: str) -> str:
    """Store the answer and the card's next review; returns the due time."""
    when = datetime.now(timezone.utc).replace(microsecond=0)  # the logged time replays exactly
    card_json, due = review.review(store.card_json(q.id), q.id, rating, when)
    store.record_answer(
        AnswerRecord(q.id, q.topic, v.given, v.correct, v.score, rating, round(seconds, 2), session,
                     q.content_hash), card_json, due, when=when.isoformat())
    return due


class Reader:
    """Answers from a person at a terminal, or one per line from a script."""

    def __init__(self, console: Any, stream: IO[str], interactive: bool) -> None:
        self.console, self.stream, self.interactive = console, stream, interactive

    def answer(self) -> str | None:
        """The next answer; None at end of input."""
        if self.interactive:
            try:
                return self.console.input("[bold cyan]> [/bold cyan]")
            except EOFError:
                return None
        line = self.stream.readline()
        if not line:
            return None
        text = line.rstrip("\r\n")
        self.console.print(f"> {text}", markup=False)
        return text

    def rating(self, prompt: str, default: int) -> int:
        if not self.interactive:
            return default
        while True:
            try:
                raw = self.console.input(f"{prompt} ").strip()
            except EOFError:
                return default
            if not raw:
                return default
            if raw in ("1", "2", "3", "4"):
                return int(raw)


@dataclass(eq=False)
class Asked:
    """One question asked, answered, graded and recorded."""

    question: bank.Question
    verdict: quiz.Verdict
    rating: int
    seconds: float
    due: str

    @property
    def score(self) -> float:
        v = self.verdict
        return v.score if v.correct is None else float(bool(v.correct))


def ask_one(store: Store, reader: Reader, console: Any, q: bank.Question, n: int, total: int, lang: str,
            plain: bool, seed: int | None, session: str) -> Asked | None:
    """Show `q`, read the answer, grade it, let the user rate free text, record it.
    None at end of input (nothing recorded)."""
    from nnquiz import quiz_render as ui

    order = quiz.choice_order(q, seed)
    ui.ask_question(console, q, n, total, lang, plain, order)
    asked_at = time.monotonic()
    given = reader.answer()
    if given is None:
        return None
    verdict = quiz.check(q, given, order)
    ui.feedback(console, q, verdict, lang, plain, order)
    rating = verdict.rating
    if q.graded_as == "open" and not verdict.dont_know:
        rating = reader.rating(ui.rating_prompt(lang, verdict.rating), verdict.rating)
    seconds = time.monotonic() - asked_at
    return Asked(q, verdict, rating, seconds, record(store, q, verdict, rating, seconds, session))


def run_session(*, topics: list[str], qtype: str | None, difficulty: int | None, count: int, lang: str,
                due: bool, seed: int | None, stream: IO[str] | None = None, console: Any = None) -> int:
    from nnquiz import quiz_render as ui

    stream = stream or sys.stdin
    if console is None:
        if stream.isatty() and sys.stdout.isatty():
            from nnquiz.render import make_console

            console = make_console()
        else:  # scripted: plain text, and no rich import on the way to the first question
            from nnquiz.plain import PlainConsole

            console = PlainConsole()
    interactive = stream.isatty() and console.is_terminal
    plain = not interactive
    if plain:
        console.soft_wrap = True
    with open_store() as store:
        chosen = choose(store, topics=topics, qtype=qtype, difficulty=difficulty, count=count, due=due, seed=seed)
        if not chosen:
            console.print(ui.t(lang, "nothing"), markup=False)
            return 0
        reader = Reader(console, stream, interactive)
        session = uuid.uuid4().hex[:12]
        started = time.monotonic()
        results: list[Asked] = []
        stopped = False
        try:
            for n, q in enumerate(chosen, 1):
                asked = ask_one(store, reader, console, q, n, len(chosen), lang, plain, seed, session)
                if asked is None:
                    stopped = True
                    break
                results.append(asked)
        except KeyboardInterrupt:
            stopped = True
            console.print()
        if stopped:
            console.print(ui.t(lang, "stopped"), markup=False)
        if results:
            ui.summary(console, session_summary(store, results, time.monotonic() - started), lang, plain)
    return 0


def session_summary(store: Store, results: list[Asked], seconds: float) -> dict[str, Any]:
    per: dict[str, list[float]] = defaultdict(list)
    for a in results:
        per[a.question.topic].append(a.score)
    dues = [a.due for a in results]
    topics = {topic: {"asked": len(s), "score_pct": 100 * sum(s) / len(s)} for topic, s in sorted(per.items())}
    allscores = [x for s in per.values() for x in s]
    return {
        "asked": len(results), "score_pct": 100 * sum(allscores) / len(allscores), "seconds": seconds,
        "topics": topics, "due_now": len(store.due_cards(now_iso())),
        "next_due": min(dues).replace("T", " ").replace("+00:00", " UTC") if dues else "",
    }
