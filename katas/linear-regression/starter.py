"""Linear regression in NumPy: least squares, ridge and batch gradient descent.

Run `nnquiz grade linear-regression` to check your work; `nnquiz hint linear-regression`
gives the next hint.
"""

from __future__ import annotations

import numpy as np


def fit_ols(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Ordinary least squares with an intercept.

    X: (n, d), y: (n,). Returns (coef (d,), intercept). When X is rank-deficient, coef is the
    least-squares solution of smallest norm ||coef|| (the intercept is not part of the norm).
    Raise ValueError for X not 2-D, y not 1-D, no rows, or len(X) != len(y).
    """
    raise NotImplementedError("write fit_ols")


def fit_ridge(X: np.ndarray, y: np.ndarray, alpha: float) -> tuple[np.ndarray, float]:
    """Ridge regression: minimise ||y - X coef - intercept||² + alpha ||coef||².

    The intercept is not penalised (as sklearn's Ridge). alpha = 0 gives fit_ols's answer.
    Raise ValueError for alpha < 0 and for the same bad shapes as fit_ols.
    """
    raise NotImplementedError("write fit_ridge")


def fit_gd(X: np.ndarray, y: np.ndarray, lr: float = 0.1, epochs: int = 1000) -> tuple[np.ndarray, float]:
    """Batch gradient descent on the mean squared error mean((X coef + intercept - y)²).

    Start from coef = 0, intercept = 0; each epoch takes one step of size lr on the full
    gradient, coef and intercept updated together. Raise ValueError for lr <= 0, epochs < 1
    and the same bad shapes as fit_ols.
    """
    raise NotImplementedError("write fit_gd")
