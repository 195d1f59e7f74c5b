"""Gradient boosting with regression trees written from scratch, in NumPy.

Run `nnquiz grade gradient-boosting` to check your work; `nnquiz hint gradient-boosting` gives the next hint.
"""

from __future__ import annotations

import numpy as np


class GradientBoosting:
    """Gradient-boosted regression trees for loss="squared_error" or binary loss="log_loss".

    Trees: exact greedy splits minimising the squared error of the current residuals, depth at
    most max_depth; a threshold is the midpoint of two neighbouring distinct values, x <= t goes
    left. Squared error starts from mean(y) and a leaf's value is its mean residual; log-loss
    starts from the log-odds of classes_[1] and a leaf's value is sum(r) / sum(p (1 - p)).
    Each stage adds learning_rate * the tree's value. `seed` may only break ties between
    equally good splits.
    """

    def __init__(self, loss: str = "squared_error", n_estimators: int = 100, learning_rate: float = 0.1,
                 max_depth: int = 3, seed: int = 0) -> None:
        self.loss = loss
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.seed = seed

    def fit(self, X: np.ndarray, y: np.ndarray) -> GradientBoosting:
        """Fit on X (n, d) and y (n,) (two labels of any sortable type for log_loss); return self.

        ValueError: unknown loss, n_estimators < 1, learning_rate <= 0, max_depth < 1,
        len(X) != len(y), log_loss without exactly two classes.
        """
        raise NotImplementedError("write GradientBoosting.fit")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) values (squared_error) or labels from classes_ (log_loss: classes_[1] when p > 0.5)."""
        raise NotImplementedError("write GradientBoosting.predict")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(n, 2) probabilities [P(classes_[0]), P(classes_[1])]; ValueError for squared_error."""
        raise NotImplementedError("write GradientBoosting.predict_proba")

    def staged_predict(self, X: np.ndarray):
        """Yield predict(X) after 1, 2, ..., n_estimators trees."""
        raise NotImplementedError("write GradientBoosting.staged_predict")

    def staged_predict_proba(self, X: np.ndarray):
        """Yield predict_proba(X) after 1, 2, ..., n_estimators trees (log_loss only)."""
        raise NotImplementedError("write GradientBoosting.staged_predict_proba")
