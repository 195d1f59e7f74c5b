"""L2-regularised logistic regression (binary and multinomial) in NumPy.

Run `nnquiz grade logistic-regression` to check your work; `nnquiz hint logistic-regression`
gives the next hint.
"""

from __future__ import annotations

import numpy as np


class LogisticRegression:
    """Minimise sklearn's objective ½||W||² + C · Σ_i log-loss_i (intercepts not penalised).

    Two classes: coef_ (1, d), intercept_ (1,), P(classes_[1] | x) = sigmoid(x·w + b).
    More classes: coef_ (K, d), intercept_ (K,), P(· | x) = softmax(W x + b) (multinomial).
    max_iter and tol bound your optimizer; only the objective value it reaches is judged.
    Raise ValueError for C <= 0, fewer than two classes, and mismatched shapes.
    """

    def __init__(self, C: float = 1.0, max_iter: int = 100, tol: float = 1e-10) -> None:
        self.C = C
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray, y: np.ndarray) -> LogisticRegression:
        """Learn classes_ (sorted labels), coef_ and intercept_; return self."""
        raise NotImplementedError("write LogisticRegression.fit")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(n, n_classes) probabilities, columns in classes_ order, rows summing to 1."""
        raise NotImplementedError("write LogisticRegression.predict_proba")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) labels: the most probable class."""
        raise NotImplementedError("write LogisticRegression.predict")
