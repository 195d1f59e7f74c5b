"""The shipped bank meets its targets (from QUESTIONS.md), so an edit cannot silently drop below them."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from nnquiz import bank, paths
from nnquiz.constants import TOPICS
from nnquiz.coverage import COVERAGE

QUESTIONS = bank.load_bank([paths.questions_dir()])


def test_bank_validates_cleanly():
    assert bank.validate_paths([paths.questions_dir()]) == []


def test_coverage_list_has_all_53_ids():
    assert len(COVERAGE) == 53


def test_at_least_150_questions():
    assert len(QUESTIONS) >= 150


@pytest.mark.parametrize("qtype, minimum", [("choice", 30), ("truefalse", 25), ("code", 15)])
def test_type_targets(qtype, minimum):
    assert Counter(q.type for q in QUESTIONS)[qtype] >= minimum


def test_every_topic_has_at_least_6_questions():
    counts = Counter(q.topic for q in QUESTIONS)
    thin = {t: counts[t] for t in TOPICS if counts[t] < 6}
    assert not thin


def test_every_coverage_id_is_covered():
    covered = {c for q in QUESTIONS for c in q.covers}
    assert sorted(set(COVERAGE) - covered) == []


def test_open_questions_have_2_to_5_key_points():
    for q in QUESTIONS:
        if q.graded_as == "open":
            assert 2 <= len(q.key_points) <= 5, q.id


def test_every_snippet_compiles():
    for q in QUESTIONS:
        if q.snippet:
            compile(q.snippet, q.id, "exec")


RUNNABLE = [q for q in QUESTIONS if q.runnable]


@pytest.mark.slow
@pytest.mark.parametrize("question", RUNNABLE, ids=[q.id for q in RUNNABLE])
def test_runnable_snippets_run(question, tmp_path):
    out = subprocess.run([sys.executable, "-c", question.snippet], capture_output=True, text=True,
                         timeout=60, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
