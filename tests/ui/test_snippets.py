"""Code snippets are never cut silently at narrow widths."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from nnquiz.quiz import bank
from nnquiz.ui import kata_view, quiz_view


@pytest.mark.parametrize("width", [40, 60])
def test_every_word_of_every_snippet_is_shown(width):
    snippets = [q for q in bank.load_bank() if q.snippet]
    assert snippets
    for q in snippets:
        out = io.StringIO()
        quiz_view.ask_question(
            Console(file=out, width=width, color_system=None), q, 1, 1, "en", plain=False
        )
        shown = iter("".join(out.getvalue().split()))
        # every character of the snippet, in order (wrapped lines may split a word)
        assert all(ch in shown for ch in "".join(q.snippet.split())), q.id


def test_solutions_are_not_cut_either():
    code = "def f(x):\n    return " + " + ".join(f"term_{i}" for i in range(20)) + "\n"
    out = io.StringIO()
    kata_view.solution(Console(file=out, width=50, color_system=None), code)
    assert "term_19" in out.getvalue()
