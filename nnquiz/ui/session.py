"""The interactive quiz: show a question, read the answer, show the feedback, record it.

Interactive in a terminal; without one, one answer is read per line (scripted sessions).
"""

from __future__ import annotations

import sys
from typing import IO, Any

from nnquiz import clock as clocks
from nnquiz.clock import Clock
from nnquiz.quiz import checking
from nnquiz.quiz import session as quiz_session
from nnquiz.quiz.bank import Question
from nnquiz.quiz.session import Asked
from nnquiz.store import Store, open_store
from nnquiz.ui import quiz_view


class Reader:
    """Answers from a person at a terminal, or one per line from a script."""

    def __init__(self, console: Any, stream: IO[str], interactive: bool) -> None:
        self.console, self.stream, self.interactive = console, stream, interactive

    def answer(self, multiline: bool = False) -> str | None:
        """The next answer; None at end of input. `multiline` (an open answer at a terminal):
        lines until an empty one, so a pasted paragraph stays one answer."""
        if self.interactive:
            try:
                first = str(self.console.input("[bold cyan]> [/bold cyan]"))
            except EOFError:
                return None
            lines = [first]
            while multiline and lines[-1].strip():
                try:
                    lines.append(str(self.console.input("[cyan]. [/cyan]")))
                except EOFError:
                    break
            return "\n".join(lines).strip("\n") if multiline else first
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
                raw = str(self.console.input(f"{prompt} ")).strip()
            except EOFError:
                return default
            if not raw:
                return default
            if raw in ("1", "2", "3", "4"):
                return int(raw)


def pick_console(stream: IO[str]) -> Any:
    """rich's console for a person at a terminal; plain text, and no rich import, for a script."""
    if stream.isatty() and sys.stdout.isatty():
        from nnquiz.ui.console import make_console

        return make_console()
    from nnquiz.ui.console import PlainConsole

    return PlainConsole()


def ask_one(
    store: Store,
    reader: Reader,
    console: Any,
    q: Question,
    n: int,
    total: int,
    lang: str,
    plain: bool,
    seed: int | None,
    session: str,
    kind: str | None = None,
) -> Asked | None:
    """Show `q`, read the answer, grade it, let the user rate free text, record it.
    None at end of input (nothing recorded)."""
    order = checking.choice_order(q, seed)
    quiz_view.ask_question(console, q, n, total, lang, plain, order, kind)
    asked_at = store.clock.monotonic()
    while True:
        given = reader.answer(multiline=q.graded_as == "open")
        if given is None:
            return None
        verdict = checking.check(q, given, order)
        if verdict.fits or not reader.interactive:  # a script's misfit counts as wrong
            break
        quiz_view.reask(console, q, given.strip(), lang)  # a person's typo is asked again
    quiz_view.feedback(console, q, verdict, lang, plain, order)
    rating = verdict.rating
    if q.graded_as == "open" and not verdict.dont_know:
        try:
            rating = reader.rating(quiz_view.rating_prompt(lang, verdict.rating), verdict.rating)
        except KeyboardInterrupt:  # saved with the rating the checklist suggests, then stop
            seconds = store.clock.monotonic() - asked_at
            quiz_session.record(store, q, verdict, rating, seconds, session)
            raise
    seconds = store.clock.monotonic() - asked_at
    return quiz_session.record(store, q, verdict, rating, seconds, session)


def run_session(
    *,
    topics: list[str],
    qtype: str | None,
    difficulty: int | None,
    count: int,
    lang: str,
    due: bool,
    seed: int | None,
    stream: IO[str] | None = None,
    console: Any = None,
    clock: Clock | None = None,
    new_per_day: int | None = None,
) -> int:
    stream = stream or sys.stdin
    console = console or pick_console(stream)
    interactive = stream.isatty() and console.is_terminal
    plain = not interactive
    if plain:
        console.soft_wrap = True
    with open_store(clock=clock or clocks.system_clock()) as store:
        chosen = quiz_session.choose(
            store,
            topics=topics,
            qtype=qtype,
            difficulty=difficulty,
            count=count,
            due=due,
            seed=seed,
            new_per_day=new_per_day,
        )
        if not chosen.questions:
            console.print(quiz_view.t(lang, "nothing"), markup=False)
            return 0
        reader = Reader(console, stream, interactive)
        session = quiz_session.new_session_id()
        started = store.clock.monotonic()
        results: list[Asked] = []
        stopped = False
        try:
            total = len(chosen.questions)
            for n, q in enumerate(chosen.questions, 1):
                asked = ask_one(
                    store, reader, console, q, n, total, lang, plain, seed, session, chosen.kind(q)
                )
                if asked is None:
                    stopped = True
                    break
                results.append(asked)
        except KeyboardInterrupt:
            stopped = True
            console.print()
        if stopped:
            console.print(quiz_view.t(lang, "stopped"), markup=False)
        if results:
            elapsed = store.clock.monotonic() - started
            summary = quiz_session.summarise(store, results, elapsed, store.clock)
            quiz_view.summary(console, summary, lang, plain)
    return 0
