"""The shipped bank meets its targets (from QUESTIONS.md), so an edit cannot silently drop below them."""

from __future__ import annotations

from collections import Counter

import pytest

from nnquiz import paths
from nnquiz.quiz import bank
from nnquiz.quiz.topics import load_coverage, load_topics

from ..snippets import run_snippet

COVERAGE = load_coverage()
TOPICS = load_topics()


@pytest.fixture(scope="module")
def questions():
    return bank.load_bank([paths.questions_dir()])


def test_bank_validates_cleanly():
    assert bank.validate_paths([paths.questions_dir()]) == []


def test_coverage_list_has_all_53_ids():
    assert len(COVERAGE) == 53


def test_at_least_150_questions(questions):
    assert len(questions) >= 150


@pytest.mark.parametrize("qtype, minimum", [("choice", 30), ("truefalse", 25), ("code", 15)])
def test_type_targets(questions, qtype, minimum):
    assert Counter(q.type for q in questions)[qtype] >= minimum


def test_every_topic_has_at_least_6_questions(questions):
    """Every seed topic, and every other topic once it has questions."""
    counts = Counter(q.topic for q in questions)
    thin = {
        t: counts[t] for t, topic in TOPICS.items() if (topic.seed or counts[t]) and counts[t] < 6
    }
    assert not thin


def test_every_question_uses_a_listed_topic(questions):
    assert sorted({q.topic for q in questions} - set(TOPICS)) == []


def test_every_coverage_id_is_covered(questions):
    covered = {c for q in questions for c in q.covers}
    assert sorted(set(COVERAGE) - covered) == []


def test_open_questions_have_2_to_5_key_points(questions):
    for q in questions:
        if q.graded_as == "open":
            assert 2 <= len(q.key_points) <= 5, q.id


def test_every_snippet_compiles(questions):
    for q in questions:
        if q.snippet:
            compile(q.snippet, q.id, "exec")


def _runnable_snippets():
    """Read at collection: the YAML files themselves, so collecting writes no cache anywhere."""
    import yaml

    found = []
    for path in sorted(paths.questions_dir().glob("*.yaml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(items, list):
            found += [
                (q["id"], q["snippet"]) for q in items if isinstance(q, dict) and q.get("runnable")
            ]
    return found


RUNNABLE = _runnable_snippets()


@pytest.mark.slow
@pytest.mark.parametrize("qid, snippet", RUNNABLE, ids=[qid for qid, _ in RUNNABLE])
def test_runnable_snippets_run(qid, snippet, tmp_path):
    returncode, stderr = run_snippet(snippet, tmp_path, timeout=60)
    assert returncode == 0, stderr[-2000:]
