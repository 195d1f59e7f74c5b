"""Reference solution: linear soft-margin SVM trained on the primal by subgradient descent."""

from __future__ import annotations

import numpy as np


class LinearSVM:
    """Minimises 0.5*||w||^2 + C * sum_i max(0, 1 - t_i (w.x_i + b)), t = +1 for classes_[1]."""

    def __init__(self, C=1.0, lr=0.01, epochs=200, seed=0):
        self.C = C
        self.lr = lr
        self.epochs = epochs
        self.seed = seed  # full-batch descent from zero is deterministic; kept for the API

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)   # (n, d)
        y = np.asarray(y)
        self.classes_ = np.unique(y)          # sorted
        if len(self.classes_) != 2:
            raise ValueError(f"LinearSVM needs exactly two classes, got {len(self.classes_)}")
        t = np.where(y == self.classes_[1], 1.0, -1.0)  # (n,) targets in {-1, +1}
        w, b = np.zeros(X.shape[1]), 0.0
        for _ in range(self.epochs):
            v = t * (X @ w + b) < 1           # (n,) points inside the margin or misclassified
            # subgradient: dJ/dw = w - C sum_v t_i x_i ; dJ/db = -C sum_v t_i
            w = w - self.lr * (w - self.C * t[v] @ X[v])
            b = b + self.lr * self.C * t[v].sum()
        self.coef_, self.intercept_ = w, float(b)
        return self

    def decision_function(self, X):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(self.coef_):
            raise ValueError(f"expected {len(self.coef_)} features, got shape {X.shape}")
        return X @ self.coef_ + self.intercept_  # (n,)

    def predict(self, X):
        return self.classes_[(self.decision_function(X) > 0).astype(int)]
