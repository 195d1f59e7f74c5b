"""`review` shows due cards first, marks each question due or new, and limits new cards per
day (default 10, `--new N`), as Anki does (issue 14, item 13)."""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest

from nnquiz.clock import FixedClock
from nnquiz.quiz import checking
from nnquiz.ui.console import PlainConsole
from nnquiz.ui.session import run_session


def _session(clock, answers, *, due=True, new=None, count=20):
    out = io.StringIO()
    console = PlainConsole(file=out)
    run_session(
        topics=[],
        qtype=None,
        difficulty=None,
        count=count,
        lang="en",
        due=due,
        seed=1,
        stream=io.StringIO(answers),
        console=console,
        clock=clock,
        new_per_day=new,
    )
    return out.getvalue()


def _headers(text):
    import re

    return [line for line in text.splitlines() if re.match(r"Q\d+/\d+ · ", line)]


def test_due_first_then_new_cards_up_to_the_daily_limit(mini_bank):
    clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    _session(clock, "\n\n", due=False, count=2)  # two new cards today, both missed
    clock.advance(3600)
    text = _session(clock, "\n" * 20, new=3)
    headers = _headers(text)
    assert len(headers) == 3, text  # 2 due + (3 - 2 new already today) new
    assert all("due" in h for h in headers[:2]) and "new" in headers[2], headers
    clock.advance(3600)
    assert len(_headers(_session(clock, "\n" * 20, new=3))) == 3  # just the due ones now


def test_review_takes_ten_new_cards_by_default_and_new_n(runner, curriculum, monkeypatch):
    from nnquiz.ui.cli import app

    monkeypatch.delenv("NNQUIZ_QUESTIONS", raising=False)
    monkeypatch.delenv("NNQUIZ_CONTENT", raising=False)  # the shipped bank: many questions
    result = runner.invoke(app, ["review"], input="\n" * 30)
    assert len(_headers(result.stdout)) == 10, result.stdout
    result = runner.invoke(app, ["review", "--new", "12"], input="\n" * 30)
    assert len(_headers(result.stdout)) == 2, result.stdout  # 10 of 12 new cards seen today
    result = runner.invoke(app, ["review", "--new", "-1"])
    assert result.exit_code == 2 and "--new" in result.output


@pytest.mark.parametrize("limit, expected", [(10, 12), (0, 2), (None, 20)])
def test_select_limits_new_cards(limit, expected):
    class Q:
        def __init__(self, i):
            self.id = f"q{i}"

    pool = [Q(i) for i in range(30)]
    chosen = checking.select(
        pool,
        count=20,
        due_ids=["q1", "q2"],
        seen_ids={"q1", "q2"},
        due_first=True,
        new_limit=limit,
    )
    assert len(chosen) == expected
    assert [q.id for q in chosen[:2]] == ["q1", "q2"]
