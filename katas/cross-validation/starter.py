"""Stratified k-fold cross-validation and grid search in NumPy (models are passed in).

Run `nnquiz grade cross-validation` to check your work; `nnquiz hint cross-validation` gives
the next hint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def stratified_kfold(y: np.ndarray, n_splits: int = 5, shuffle: bool = False,
                     seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split row indices into n_splits (train_idx, test_idx) pairs, each class spread evenly.

    With shuffle=False the folds equal sklearn's StratifiedKFold(n_splits); see the
    instructions for the exact allocation. Indices are sorted integer arrays. Raise ValueError
    when y is not 1-D, n_splits < 2, or n_splits exceeds the size of the largest class.
    """
    raise NotImplementedError("write stratified_kfold")


def cross_validate(make_model: Callable[[], Any], X: np.ndarray, y: np.ndarray,
                   folds: list[tuple[np.ndarray, np.ndarray]],
                   preprocess: Callable[[], Any] | None = None) -> list[float]:
    """One score per fold: model.score(X_test, y_test) of a fresh make_model() fitted on the fold.

    When preprocess is given, a fresh preprocess() is fitted on the training rows of each fold
    only (pre.fit(X_train)) and transforms both parts before the model sees them.
    """
    raise NotImplementedError("write cross_validate")


def grid_search(make_model: Callable[..., Any], grid: dict[str, list[Any]], X: np.ndarray,
                y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]) -> tuple[dict[str, Any], float]:
    """Try every combination of grid (make_model(**params)); return (best_params, best mean score).

    Combinations in grid order (the dict's key order, the last name varying fastest); ties go
    to the first. Raise ValueError for an empty grid or a name with no values.
    """
    raise NotImplementedError("write grid_search")
