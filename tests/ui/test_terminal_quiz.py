"""The quiz at a real terminal (a pseudo-terminal), where a person mistypes, pastes and
presses Ctrl-C (issue 14, items 2 and 3)."""

from __future__ import annotations

import json
import os

import pytest

from ..conftest import MINI_BANK, run_cli
from ..terminal import Terminal


@pytest.fixture
def env(tmp_path):
    return {
        "NNQUIZ_HOME": str(tmp_path / "home"),
        "NNQUIZ_QUESTIONS": str(MINI_BANK),
        "NNQUIZ_CACHE": os.environ["NNQUIZ_CACHE"],
    }


def _answers(env) -> list[dict]:
    out = run_cli(["export"], env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["answers"]


def test_a_mistyped_choice_or_true_false_is_asked_again(env):
    term = Terminal(["ask", "--type", "choice", "--count", "1", "--seed", "1"], env)
    try:
        term.expect("> ")
        term.line("z")
        term.expect("Not an answer here")
        assert "a, b" in term.text  # says what is accepted
        term.line("a")
        term.expect("Session summary")
        assert term.wait() == 0
    finally:
        term.close()
    term = Terminal(["ask", "--type", "truefalse", "--count", "1", "--seed", "1"], env)
    try:
        term.expect("> ")
        term.line("tru")
        term.expect("t (true) or f (false)")
        term.line("x")
        term.expect("Not an answer here: 'x'")
        term.line("")  # an empty line is "don't know"
        term.expect("Not answered")
        assert term.wait() == 0
    finally:
        term.close()
    given = [a["given"] for a in _answers(env)]
    assert given == ["a", ""], given


def test_ctrl_c_at_the_rating_prompt_saves_the_answer_with_the_suggested_rating(env):
    term = Terminal(["ask", "--type", "open", "--count", "1"], env)
    try:
        term.expect("What is mode collapse?")
        term.expect("> ")
        term.line("the generator produces few modes, low diversity")
        term.line("")
        term.expect("Rate yourself")
        term.interrupt()
        term.expect("every answer given is saved")
        term.wait()
    finally:
        term.close()
    answers = _answers(env)
    assert len(answers) == 1, answers
    assert answers[0]["rating"] == 3  # both key points hit: Good, as the checklist suggests


def test_a_multi_line_paste_into_an_open_answer_is_one_answer(env):
    term = Terminal(["ask", "--type", "open", "--count", "1"], env)
    try:
        term.expect("> ")
        term.send("the generator maps many codes\rto a few modes\r")  # a paste of two lines
        term.line("")  # the empty line ends the answer
        term.expect("Rate yourself")
        term.line("4")
        term.expect("Session summary")
        assert term.wait() == 0
    finally:
        term.close()
    answers = _answers(env)
    assert len(answers) == 1
    assert answers[0]["given"] == "the generator maps many codes\nto a few modes"
    assert answers[0]["rating"] == 4
