"""The seeded synthetic review corpus of the text-cnn kata (numpy only at import).

Every review has two clauses, one about a positive adjective and one about a negative
adjective, in random order; exactly one of the two is negated, possibly with intensifiers
between the negation and the adjective:

    "The food was great but the service was not really very rude"   -> positive (1)
    "The food was not so great and the service was rude"            -> negative (0)

Each review holds one positive adjective, one negative adjective and one negation, so the
word counts are the same in both classes: bag-of-words models are at chance, and only the
order of the words (which adjective the negation reaches) decides the label.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from nnquiz.grading.katalib.data import pick, split

SUBJECTS = (
    "the food",
    "the service",
    "the staff",
    "the room",
    "the plot",
    "the acting",
    "the music",
    "the price",
    "the screen",
    "the battery",
    "the delivery",
    "the packaging",
    "the ending",
    "the coffee",
    "the hotel",
    "the app",
    "the camera",
    "the dessert",
)
COPULAS = ("was", "is", "seemed", "felt", "looked")
NEGATIONS = ("not", "never")
INTENSIFIERS = (  # one word, or two: "not really very good"
    ("very",),
    ("really",),
    ("so",),
    ("quite",),
    ("truly",),
    ("rather",),
    ("particularly",),
    ("especially",),
)
DOUBLE_INTENSIFIERS = (
    ("really", "very"),
    ("very", "very"),
    ("so", "very"),
    ("just", "so"),
    ("really", "quite"),
    ("truly", "very"),
    ("really", "so"),
    ("all", "that"),
    ("really", "that"),
)
POSITIVE = (
    "good",
    "great",
    "excellent",
    "tasty",
    "friendly",
    "amazing",
    "wonderful",
    "fresh",
    "delightful",
    "superb",
    "brilliant",
    "pleasant",
    "lovely",
    "fantastic",
    "solid",
    "charming",
    "clean",
    "helpful",
    "fast",
    "comfortable",
    "impressive",
    "enjoyable",
    "perfect",
    "nice",
)
NEGATIVE = (
    "bad",
    "awful",
    "terrible",
    "boring",
    "rude",
    "bland",
    "poor",
    "horrible",
    "dull",
    "mediocre",
    "disappointing",
    "stale",
    "slow",
    "noisy",
    "ugly",
    "dirty",
    "cold",
    "overpriced",
    "broken",
    "annoying",
    "confusing",
    "greasy",
    "weak",
    "sloppy",
)
CONNECTIVES = ("and", "but", "while", "and yet", "whereas")
OPENERS = ("", "", "", "honestly", "overall", "well", "to be fair")
GAPS = (0, 1, 2)  # intensifiers between the negation (or the verb) and the adjective
GAP_P = (0.2, 0.25, 0.55)


def _clause(rng: np.random.Generator, adjective: str, negated: bool) -> str:
    words = [pick(rng, SUBJECTS), pick(rng, COPULAS)]
    if negated:
        words.append(pick(rng, NEGATIONS))
    gap = pick(rng, GAPS, GAP_P)
    if gap:
        phrases = INTENSIFIERS if gap == 1 else DOUBLE_INTENSIFIERS
        words += pick(rng, phrases)
    words.append(adjective)
    return " ".join(words)


def reviews(n: int = 3000, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """n reviews and their labels (int64, 1 = positive, 0 = negative), balanced in expectation."""
    rng = np.random.default_rng(seed)
    texts, labels = [], np.zeros(n, dtype=np.int64)
    for i in range(n):
        label = int(rng.integers(2))
        # positive review: the negative adjective is negated; negative: the positive one is
        pos = _clause(rng, pick(rng, POSITIVE), negated=label == 0)
        neg = _clause(rng, pick(rng, NEGATIVE), negated=label == 1)
        first, second = (pos, neg) if rng.random() < 0.5 else (neg, pos)
        opener = pick(rng, OPENERS)
        text = " ".join(w for w in (opener, first, pick(rng, CONNECTIVES), second) if w)
        texts.append(text[0].upper() + text[1:])  # capitalised first word: lower-casing matters
        labels[i] = label
    return texts, labels


@lru_cache(maxsize=4)
def _split(n: int, seed: int):
    texts, labels = reviews(n, seed)
    idx_train, idx_test, y_train, y_test = split(np.arange(n), labels)
    return tuple(texts[i] for i in idx_train), tuple(texts[i] for i in idx_test), y_train, y_test


def review_split(n: int = 3000, seed: int = 0):
    """train_texts, test_texts (lists), y_train, y_test with the catalogue's standard split."""
    train, test, y_train, y_test = _split(n, seed)
    return list(train), list(test), y_train.copy(), y_test.copy()
