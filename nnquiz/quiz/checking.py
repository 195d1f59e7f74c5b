"""Quiz logic: choose questions, check answers, score free text against key points."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import NamedTuple

from nnquiz.quiz.bank import Question

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
TRUE_WORDS = {"t", "true", "y", "yes", "1", "对", "是", "正确", "真"}
FALSE_WORDS = {"f", "false", "n", "no", "0", "错", "否", "错误", "假"}
FUZZY_CUTOFF = 85


class KeyPointMark(NamedTuple):
    """Whether an answer probably covers key point number `point`."""

    point: int
    hit: bool


@dataclass(eq=False)
class Verdict:
    """How one answer went. `correct` is None for self-rated free text."""

    given: str
    correct: bool | None
    score: float
    rating: int
    dont_know: bool = False
    fits: bool = True
    marks: tuple[KeyPointMark, ...] = ()


def letters(n: int) -> str:
    return "abcdef"[:n]


def parse_choice(given: str, n_choices: int) -> tuple[int, ...] | None:
    """'a', 'AC', 'a, c' -> choice indices; None when the text is not a set of valid letters."""
    cleaned = re.sub(r"[\s,;/]+", "", given.strip().lower())
    if not cleaned or not cleaned.isalpha():
        return None
    valid = letters(n_choices)
    if any(ch not in valid for ch in cleaned):
        return None
    return tuple(sorted({valid.index(ch) for ch in cleaned}))


def choice_order(q: Question, seed: int | None) -> tuple[int, ...]:
    """The order choices are shown in: shuffled (seeded per question), so the answer's letter
    is never a pattern to learn. Display letter i shows choice order[i]."""
    order = list(range(len(q.choices)))
    random.Random(None if seed is None else f"{seed}:{q.id}").shuffle(order)
    return tuple(order)


def check_choice(q: Question, given: str, order: tuple[int, ...] | None = None) -> Verdict:
    if not given.strip():
        return Verdict(given, False, 0.0, AGAIN, dont_know=True)
    shown = parse_choice(given, len(q.choices))
    if shown is None:
        return Verdict(given, False, 0.0, AGAIN, fits=False)
    order = order or tuple(range(len(q.choices)))
    chosen = tuple(sorted(order[i] for i in shown))
    right = tuple(i for i, c in enumerate(q.choices) if c.correct)
    ok = chosen == right
    return Verdict(given, ok, 1.0 if ok else 0.0, GOOD if ok else AGAIN)


def parse_truefalse(given: str) -> bool | None:
    word = given.strip().lower().rstrip(".!")
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def check_truefalse(q: Question, given: str) -> Verdict:
    if not given.strip():
        return Verdict(given, False, 0.0, AGAIN, dont_know=True)
    value = parse_truefalse(given)
    if value is None:
        return Verdict(given, False, 0.0, AGAIN, fits=False)
    ok = value is q.answer
    return Verdict(given, ok, 1.0 if ok else 0.0, GOOD if ok else AGAIN)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()


def keyword_hit(answer: str, keyword: str) -> bool:
    """Substring match, or a fuzzy match for longer keywords (typos, plurals, word order)."""
    from rapidfuzz import fuzz

    text, word = _normalise(answer), _normalise(keyword)
    if not word:
        return False
    if word in text:
        return True
    if len(word) < 4 or len(text) < len(word):
        return False
    return fuzz.partial_ratio(word, text) >= FUZZY_CUTOFF


def mark_key_points(q: Question, answer: str) -> tuple[KeyPointMark, ...]:
    """Each key point probably hit (any keyword in either language matched) or missed."""
    marks = []
    for i, point in enumerate(q.key_points):
        words = [w for lang in point.keywords for w in point.keywords[lang]]
        marks.append(KeyPointMark(i, any(keyword_hit(answer, w) for w in words)))
    return tuple(marks)


def suggested_rating(score: float) -> int:
    """The rating free text gets without a terminal (and the default offered with one)."""
    if score >= 0.999:
        return GOOD
    if score >= 0.5:
        return HARD
    return AGAIN


def check_open(q: Question, given: str) -> Verdict:
    if not given.strip():
        return Verdict(
            given,
            False,
            0.0,
            AGAIN,
            dont_know=True,
            marks=tuple(KeyPointMark(i, False) for i in range(len(q.key_points))),
        )
    marks = mark_key_points(q, given)
    score = sum(m.hit for m in marks) / max(len(marks), 1)
    return Verdict(given, None, score, suggested_rating(score), marks=marks)


def check(q: Question, given: str, order: tuple[int, ...] | None = None) -> Verdict:
    kind = q.graded_as
    if kind == "choice":
        return check_choice(q, given, order)
    if kind == "truefalse":
        return check_truefalse(q, given)
    return check_open(q, given)


def select(
    pool: list[Question],
    *,
    count: int,
    due_ids: Sequence[str] = (),
    seen_ids: AbstractSet[str] = frozenset(),
    due_first: bool = False,
    seed: int | None = None,
    new_limit: int | None = None,
) -> list[Question]:
    """`count` questions: with due_first, due cards (most overdue first) then at most
    `new_limit` new ones (None: no limit)."""
    rng = random.Random(seed)
    if not due_first:
        chosen = list(pool)
        rng.shuffle(chosen)
        return chosen[:count]
    by_id = {q.id: q for q in pool}
    due = [by_id[i] for i in due_ids if i in by_id]
    new = [q for q in pool if q.id not in seen_ids]
    rng.shuffle(new)
    if new_limit is not None:
        new = new[: max(0, new_limit)]
    return (due + new)[:count]
