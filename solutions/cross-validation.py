"""Stratified k-fold splits, leak-free cross-validation and a grid search over them."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

Folds = list[tuple[np.ndarray, np.ndarray]]


def stratified_kfold(y: np.ndarray, n_splits: int = 5, shuffle: bool = False, seed: int = 0) -> Folds:
    """[(train_idx, test_idx)] with every class spread over the folds as evenly as possible."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D, got shape {y.shape}")
    _, first, y_inv = np.unique(y, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))  # class ids by first appearance in y
    codes = order[y_inv]
    counts = np.bincount(codes)
    if n_splits < 2 or n_splits > counts.max():
        raise ValueError(f"n_splits must be in [2, {counts.max()}] (the largest class), got {n_splits}")
    # deal the class-sorted labels round-robin: fold f gets positions f, f + k, f + 2k, ...
    dealt = np.sort(codes)
    per_fold = np.array([np.bincount(dealt[f::n_splits], minlength=len(counts)) for f in range(n_splits)])
    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(y), dtype=np.int64)
    for c in range(len(counts)):
        folds_c = np.repeat(np.arange(n_splits), per_fold[:, c])  # 0,0,..,1,1,.. for the class in order
        if shuffle:
            rng.shuffle(folds_c)
        fold_of[codes == c] = folds_c
    idx = np.arange(len(y))
    return [(idx[fold_of != f], idx[fold_of == f]) for f in range(n_splits)]


def cross_validate(make_model: Callable[[], Any], X: np.ndarray, y: np.ndarray, folds: Folds,
                   preprocess: Callable[[], Any] | None = None) -> list[float]:
    """One score per fold: fresh preprocessor and model, fitted on the training rows only."""
    X, y = np.asarray(X), np.asarray(y)
    scores = []
    for train, test in folds:
        X_train, X_test = X[train], X[test]
        if preprocess is not None:
            pre = preprocess()
            pre.fit(X_train)  # statistics of the training fold only
            X_train, X_test = pre.transform(X_train), pre.transform(X_test)
        model = make_model()
        model.fit(X_train, y[train])
        scores.append(float(model.score(X_test, y[test])))
    return scores


def grid_search(make_model: Callable[..., Any], grid: dict[str, list[Any]], X: np.ndarray, y: np.ndarray,
                folds: Folds) -> tuple[dict[str, Any], float]:
    """Best (params, mean fold score); ties go to the first combination in grid order."""
    if not grid or any(len(values) == 0 for values in grid.values()):
        raise ValueError("grid must map each parameter name to a non-empty list of values")
    best_params: dict[str, Any] = {}
    best_score = -np.inf
    for combo in itertools.product(*grid.values()):  # the last name varies fastest
        params = dict(zip(grid, combo))
        score = float(np.mean(cross_validate(partial(make_model, **params), X, y, folds)))
        if score > best_score:  # strict: an equal score keeps the earlier combination
            best_params, best_score = params, score
    return best_params, best_score
