"""Reference solution: gradient boosting with exact greedy regression trees, in NumPy."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

LOSSES = ("squared_error", "log_loss")


class _Tree:
    """A regression tree as flat arrays; a node with feature -1 is a leaf."""

    def __init__(self) -> None:
        self.feature: list[int] = []
        self.threshold: list[float] = []
        self.left: list[int] = []
        self.right: list[int] = []

    def _add(self) -> int:
        for column, value in ((self.feature, -1), (self.threshold, 0.0), (self.left, -1), (self.right, -1)):
            column.append(value)
        return len(self.feature) - 1

    def grow(self, X: np.ndarray, order: np.ndarray, r: np.ndarray, max_depth: int) -> _Tree:
        """Exact greedy splits minimising the squared error of the residuals r."""
        self._split(X, order, r, np.ones(len(X), dtype=bool), max_depth)
        self.feature_a, self.threshold_a = np.array(self.feature), np.array(self.threshold)
        self.left_a, self.right_a = np.array(self.left), np.array(self.right)
        return self

    def _split(self, X, order, r, mask, depth) -> int:
        node = self._add()
        m = int(mask.sum())
        if depth == 0 or m < 2 or np.ptp(r[mask]) == 0:
            return node
        d = X.shape[1]
        rows = order.T[mask[order.T]].reshape(d, m)  # (d, m): the node's rows sorted by each feature
        xs = np.take_along_axis(X.T, rows, axis=1)  # (d, m) sorted feature values
        left_sum = np.cumsum(r[rows], axis=1)[:, :-1]  # (d, m-1) residual sums left of each cut
        total = left_sum[0, -1] + r[rows[0, -1]]
        n_left = np.arange(1, m)
        # SSE = sum r^2 - S_l^2/n_l - S_r^2/n_r: maximise S_l^2/n_l + S_r^2/n_r
        score = left_sum**2 / n_left + (total - left_sum) ** 2 / (m - n_left)
        score[xs[:, 1:] <= xs[:, :-1]] = -np.inf  # cut only between distinct values
        if not np.isfinite(score).any():
            return node
        f, i = np.unravel_index(np.argmax(score), score.shape)
        lo, hi = xs[f, i], xs[f, i + 1]
        threshold = (lo + hi) / 2
        if threshold == hi:  # the midpoint rounded up onto the right value
            threshold = lo
        go_left = X[:, f] <= threshold
        self.feature[node], self.threshold[node] = int(f), float(threshold)
        self.left[node] = self._split(X, order, r, mask & go_left, depth - 1)
        self.right[node] = self._split(X, order, r, mask & ~go_left, depth - 1)
        return node

    def apply(self, X: np.ndarray) -> np.ndarray:
        """(n,) index of the leaf each row lands in."""
        node = np.zeros(len(X), dtype=np.int64)
        while True:
            f = self.feature_a[node]
            inner = f >= 0
            if not inner.any():
                return node
            x = X[np.arange(len(X)), np.where(inner, f, 0)]
            child = np.where(x <= self.threshold_a[node], self.left_a[node], self.right_a[node])
            node = np.where(inner, child, node)


def _sigmoid(F: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -F))  # 1 / (1 + e^-F) without overflow


class GradientBoosting:
    """Gradient-boosted regression trees for squared error or binary log-loss."""

    def __init__(self, loss: str = "squared_error", n_estimators: int = 100, learning_rate: float = 0.1,
                 max_depth: int = 3, seed: int = 0) -> None:
        self.loss = loss
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.seed = seed  # the search is exhaustive and deterministic: no randomness needed

    def fit(self, X: np.ndarray, y: np.ndarray) -> GradientBoosting:
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {LOSSES}, got {self.loss!r}")
        if self.n_estimators < 1 or self.learning_rate <= 0 or self.max_depth < 1:
            raise ValueError("need n_estimators >= 1, learning_rate > 0 and max_depth >= 1")
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y)
        if X.ndim != 2 or y.ndim != 1 or len(X) != len(y) or len(X) == 0:
            raise ValueError("X must be (n, d) and y (n,) with the same n > 0")
        if self.loss == "log_loss":
            self.classes_, t = np.unique(y, return_inverse=True)
            if len(self.classes_) != 2:
                raise ValueError(f"log_loss needs exactly two classes, got {len(self.classes_)}")
            t = t.astype(np.float64)
            self.init_ = float(np.log(t.mean() / (1 - t.mean())))  # log-odds of the positive class
        else:
            t = y.astype(np.float64)
            self.init_ = float(t.mean())
        order = np.argsort(X, axis=0, kind="stable")  # sort every feature once
        F = np.full(len(X), self.init_)
        self.trees_, self.values_ = [], []
        for _ in range(self.n_estimators):
            if self.loss == "squared_error":
                r, h = t - F, np.ones_like(F)  # residual; the leaf value is the mean residual
            else:
                p = _sigmoid(F)
                r, h = t - p, p * (1 - p)  # negative gradient and hessian of the log-loss
            tree = _Tree().grow(X, order, r, self.max_depth)
            leaf = tree.apply(X)
            num = np.bincount(leaf, weights=r, minlength=len(tree.feature))
            den = np.bincount(leaf, weights=h, minlength=len(tree.feature))
            # Newton step sum(r) / sum(h) per leaf (the mean residual for squared error)
            value = np.divide(num, den, out=np.zeros_like(num), where=np.abs(den) >= 1e-150)
            F += self.learning_rate * value[leaf]
            self.trees_.append(tree)
            self.values_.append(value)
        return self

    def _staged_raw(self, X: np.ndarray) -> Iterator[np.ndarray]:
        X = np.asarray(X, dtype=np.float64)
        F = np.full(len(X), self.init_)
        for tree, value in zip(self.trees_, self.values_):
            F = F + self.learning_rate * value[tree.apply(X)]
            yield F

    def _output(self, F: np.ndarray) -> np.ndarray:
        if self.loss == "squared_error":
            return F
        return self.classes_[(F > 0).astype(np.int64)]  # positive class when p > 0.5

    def staged_predict(self, X: np.ndarray) -> Iterator[np.ndarray]:
        """predict(X) after 1, 2, ..., n_estimators trees."""
        for F in self._staged_raw(X):
            yield self._output(F)

    def staged_predict_proba(self, X: np.ndarray) -> Iterator[np.ndarray]:
        """predict_proba(X) after 1, 2, ..., n_estimators trees (log_loss only)."""
        if self.loss != "log_loss":
            raise ValueError("predict_proba needs loss='log_loss'")
        for F in self._staged_raw(X):
            p = _sigmoid(F)
            yield np.column_stack([1 - p, p])

    def predict(self, X: np.ndarray) -> np.ndarray:
        *_, F = self._staged_raw(X)
        return self._output(F)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        *_, proba = self.staged_predict_proba(X)
        return proba
