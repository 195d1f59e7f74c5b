"""Checks of a `kmeans_plusplus(X, k, rng)` (the kmeans and gmm-em katas share the contract):
the first centre uniform, each next one drawn with probability D(x)^2 / sum D^2."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

from nnquiz.grading.katalib.checks import CheckFailure, assert_at_least, assert_equal, to_numpy

# Four points on a line: every ordered choice of centres has a different probability.
LINE = np.array([[0.0], [1.0], [3.0], [7.0]])
MIN_P_VALUE = 1e-4


def seeding_probabilities(X: np.ndarray, k: int) -> dict[tuple[int, ...], float]:
    """Exact probability of every ordered choice of k rows under D^2 sampling."""
    n = len(X)
    d2 = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    probs = {}
    for seq in itertools.permutations(range(n), k):
        p = 1.0 / n
        nearest = d2[seq[0]].copy()
        for nxt in seq[1:]:
            p *= nearest[nxt] / nearest.sum()
            nearest = np.minimum(nearest, d2[nxt])
        probs[seq] = p
    return probs


def draw_sequences(kmeans_plusplus: Callable[..., Any], X: np.ndarray, k: int, draws: int) -> list:
    """Row indices chosen over many draws from one seeded generator."""
    rng = np.random.default_rng(2024)
    out = []
    for _ in range(draws):
        centres = to_numpy(kmeans_plusplus(X.copy(), k, rng), np.float64, "kmeans_plusplus centres")
        if centres.shape != (k, X.shape[1]):
            raise CheckFailure(
                f"kmeans_plusplus: expected shape {(k, X.shape[1])}, got {centres.shape}"
            )
        hit = (centres[:, None, :] == X[None, :, :]).all(-1)
        if not hit.any(1).all():
            raise CheckFailure(
                f"kmeans_plusplus: every centre must be a row of X, got {centres.ravel().tolist()}"
            )
        out.append(tuple(int(i) for i in hit.argmax(1)))
    return out


def check_d2_sampling(
    kmeans_plusplus: Callable[..., Any], X: np.ndarray, k: int, draws: int
) -> None:
    """Chi-square of `draws` seedings of X against the exact D^2 probabilities."""
    probs = seeding_probabilities(X, k)
    seqs = draw_sequences(kmeans_plusplus, X, k, draws)
    impossible = [s for s in seqs if s not in probs or probs[s] == 0]
    if impossible:
        raise CheckFailure(
            f"kmeans_plusplus chose a point twice (rows {impossible[0]}), which has probability 0"
        )
    cells = list(probs)
    observed = np.array([sum(1 for s in seqs if s == c) for c in cells], dtype=np.float64)
    expected = np.array([probs[c] for c in cells]) * draws
    from scipy import stats

    worst = int(np.argmax(np.abs(observed - expected) / np.sqrt(expected)))
    assert_at_least(
        stats.chisquare(observed, expected).pvalue,
        MIN_P_VALUE,
        what=(
            f"chi-square p-value of {draws} seedings of the points {X.ravel().tolist()} "
            f"(rows {cells[worst]}: expected {expected[worst]:.0f} times, seen {observed[worst]:.0f})"
        ),
    )


# Five rows, two distinct: the third centre has D^2 = 0 everywhere.
FEW_DISTINCT = np.array([[1.0, 2.0], [1.0, 2.0], [5.0, 5.0], [5.0, 5.0], [1.0, 2.0]])


def check_too_few_distinct_rows(kmeans_plusplus: Callable[..., Any]) -> np.ndarray:
    """k = 3 on two distinct rows, X given as a list: 3 finite centres, rows of X, both
    distinct rows among them. Returns X."""
    X = FEW_DISTINCT
    centres = to_numpy(
        kmeans_plusplus(X.tolist(), 3, np.random.default_rng(0)), np.float64, "centres"
    )
    if centres.shape != (3, 2) or not np.isfinite(centres).all():
        raise CheckFailure(f"expected 3 finite centres, got {centres.tolist()}")
    if not (centres[:, None, :] == X[None, :, :]).all(-1).any(1).all():
        raise CheckFailure(f"every centre must be a row of X, got {centres.tolist()}")
    assert_equal(
        np.unique(centres, axis=0), [[1.0, 2.0], [5.0, 5.0]], what="the distinct centres chosen"
    )
    return X
