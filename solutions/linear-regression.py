"""Linear regression three ways: least squares, ridge, batch gradient descent."""

from __future__ import annotations

import numpy as np


def _check(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or y.ndim != 1:
        raise ValueError(f"X must be 2-D and y 1-D, got shapes {X.shape} and {y.shape}")
    if len(X) != len(y) or len(X) == 0:
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} values (need the same, at least 1)")
    return X, y


def fit_ols(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Least squares; the minimum-norm coef when X is rank-deficient. Returns (coef (d,), intercept)."""
    X, y = _check(X, y)
    x_mean, y_mean = X.mean(axis=0), y.mean()
    coef = np.linalg.lstsq(X - x_mean, y, rcond=None)[0]  # min ||Xc w - y||, then min ||w|| (1 ⟂ Xc's columns)
    return coef, float(y_mean - x_mean @ coef)  # b = ȳ - x̄·w


def fit_ridge(X: np.ndarray, y: np.ndarray, alpha: float) -> tuple[np.ndarray, float]:
    """min ||y - Xw - b||² + alpha ||w||² (b not penalised). Returns (coef (d,), intercept)."""
    X, y = _check(X, y)
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    x_mean, y_mean = X.mean(axis=0), y.mean()
    d = X.shape[1]
    # ridge = least squares on [Xc; sqrt(alpha) I] w ≈ [y; 0]
    A = np.vstack([X - x_mean, np.sqrt(alpha) * np.eye(d)])
    coef = np.linalg.lstsq(A, np.concatenate([y, np.zeros(d)]), rcond=None)[0]
    return coef, float(y_mean - x_mean @ coef)


def fit_gd(X: np.ndarray, y: np.ndarray, lr: float = 0.1, epochs: int = 1000) -> tuple[np.ndarray, float]:
    """Batch gradient descent on MSE = mean((Xw + b - y)²) from w = 0, b = 0."""
    X, y = _check(X, y)
    if lr <= 0 or epochs < 1:
        raise ValueError(f"lr must be > 0 and epochs >= 1, got lr={lr}, epochs={epochs}")
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    for _ in range(epochs):
        r = X @ w + b - y  # residuals, (n,)
        w, b = w - lr * (2.0 / n) * (X.T @ r), b - lr * (2.0 / n) * r.sum()  # ∇w = 2/n Xᵀr, ∂b = 2/n Σr
    return w, float(b)
