"""Gaussian and multinomial naive Bayes with log-space (log-sum-exp) normalisation."""

from __future__ import annotations

import numpy as np


def _logsumexp(a: np.ndarray) -> np.ndarray:
    """log Σ_c exp(a[:, c]) per row, shifted by the row max so nothing overflows or underflows."""
    m = a.max(axis=1, keepdims=True)
    return (m + np.log(np.exp(a - m).sum(axis=1, keepdims=True)))[:, 0]


class _NaiveBayes:
    classes_: np.ndarray
    class_log_prior_: np.ndarray
    n_features_in_: int

    def _fit_classes(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y)
        if X.ndim != 2 or y.ndim != 1 or len(X) != len(y) or len(X) == 0:
            raise ValueError(f"need X (n, d) and y (n,) with n >= 1, got shapes {X.shape} and {y.shape}")
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        Y = np.eye(len(self.classes_))[y_idx]  # one-hot, (n, C)
        counts = Y.sum(axis=0)
        self.class_log_prior_ = np.log(counts) - np.log(counts.sum())  # log P(c), (C,)
        return X, Y

    def _check(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise ValueError(f"expected shape (n, {self.n_features_in_}), got {X.shape}")
        return X

    def _joint_log_likelihood(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def predict_log_proba(self, X: np.ndarray) -> np.ndarray:
        jll = self._joint_log_likelihood(self._check(X))  # log P(c) + log P(x | c), (n, C)
        return jll - _logsumexp(jll)[:, None]

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return np.exp(self.predict_log_proba(X))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[self._joint_log_likelihood(self._check(X)).argmax(axis=1)]


class GaussianNB(_NaiveBayes):
    """Per class and feature a normal density; variances + var_smoothing * max feature variance."""

    def __init__(self, var_smoothing: float = 1e-9) -> None:
        if var_smoothing < 0:
            raise ValueError(f"var_smoothing must be >= 0, got {var_smoothing}")
        self.var_smoothing = var_smoothing

    def fit(self, X: np.ndarray, y: np.ndarray) -> GaussianNB:
        X, Y = self._fit_classes(X, y)
        self.n_features_in_ = X.shape[1]
        rows = [X[Y[:, c] == 1] for c in range(Y.shape[1])]
        self.theta_ = np.array([r.mean(axis=0) for r in rows])  # class means, (C, d)
        self.var_ = np.array([r.var(axis=0) for r in rows])  # class variances, ddof 0, (C, d)
        self.epsilon_ = self.var_smoothing * X.var(axis=0).max()
        self.var_ += self.epsilon_
        return self

    def _joint_log_likelihood(self, X: np.ndarray) -> np.ndarray:
        # log N(x; θ, σ²) summed over features = -½ Σ log(2πσ²) - ½ Σ (x - θ)² / σ²
        diff2 = (X[:, None, :] - self.theta_[None]) ** 2 / self.var_[None]  # (n, C, d)
        return self.class_log_prior_ - 0.5 * np.log(2 * np.pi * self.var_).sum(axis=1) - 0.5 * diff2.sum(axis=2)


class MultinomialNB(_NaiveBayes):
    """Word counts: P(w | c) = (N_cw + alpha) / (N_c + alpha * d)."""

    def __init__(self, alpha: float = 1.0) -> None:
        if alpha <= 0:
            raise ValueError(f"alpha must be > 0, got {alpha}")
        self.alpha = alpha

    def fit(self, X: np.ndarray, y: np.ndarray) -> MultinomialNB:
        X, Y = self._fit_classes(X, y)
        if (X < 0).any():
            raise ValueError("MultinomialNB needs non-negative counts")
        self.n_features_in_ = X.shape[1]
        smoothed = Y.T @ X + self.alpha  # N_cw + alpha, (C, d)
        self.feature_log_prob_ = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))
        return self

    def _joint_log_likelihood(self, X: np.ndarray) -> np.ndarray:
        if (X < 0).any():
            raise ValueError("MultinomialNB needs non-negative counts")
        return self.class_log_prior_ + X @ self.feature_log_prob_.T  # (n, C)
