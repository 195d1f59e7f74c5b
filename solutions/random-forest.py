"""Reference solution: CART decision tree (Gini) and a random forest, in NumPy."""

from __future__ import annotations

import numpy as np


def gini(y) -> float:
    """Gini impurity 1 - sum_k p_k^2 of a label array (0.0 when empty)."""
    _, counts = np.unique(np.asarray(y), return_counts=True)
    if counts.sum() == 0:
        return 0.0
    p = counts / counts.sum()
    return float(1.0 - (p**2).sum())


def _n_features(max_features, d: int) -> int:
    if max_features is None:
        return d
    if max_features == "sqrt":
        return max(1, int(np.sqrt(d)))
    if isinstance(max_features, float):
        return max(1, int(max_features * d))
    return max(1, min(int(max_features), d))


def _best_split(X, Y, features):
    """Best (feature, threshold) by weighted child Gini; Y is one-hot (n, K). None if no split."""
    n = len(X)
    best = (np.inf, None, None)
    for f in features:
        order = np.argsort(X[:, f], kind="stable")
        xs = X[order, f]                           # (n,) sorted values
        left = np.cumsum(Y[order], axis=0)[:-1]    # (n-1, K) class counts left of each cut
        right = left[-1] + Y[order[-1]] - left     # (n-1, K)
        nl = np.arange(1, n)[:, None]              # (n-1, 1)
        nr = n - nl
        # n_l * gini_l + n_r * gini_r = n_l - sum(c_l^2)/n_l + n_r - sum(c_r^2)/n_r
        cost = n - (left**2).sum(1) / nl[:, 0] - (right**2).sum(1) / nr[:, 0]
        cost[xs[1:] == xs[:-1]] = np.inf           # cut only between distinct values
        i = int(np.argmin(cost))
        if cost[i] < best[0]:
            best = (cost[i], f, (xs[i] + xs[i + 1]) / 2)  # midpoint threshold
    return None if best[1] is None else best[1:]


class DecisionTree:
    """CART classifier: Gini impurity, midpoint thresholds, x <= threshold goes left."""

    def __init__(self, max_depth=None, min_samples_split=2, max_features=None, seed=0):
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.max_features = max_features
        self.seed = seed

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        self.classes_, y_idx = np.unique(np.asarray(y), return_inverse=True)
        Y = np.eye(len(self.classes_))[y_idx]      # (n, K) one-hot
        self._rng = np.random.default_rng(self.seed)
        self._k = _n_features(self.max_features, X.shape[1])
        # nodes: feature, threshold, left, right, value (class fractions at leaves)
        self._feat, self._thr, self._left, self._right, self._value = [], [], [], [], []
        self._grow(X, Y, depth=0)
        self._feat, self._thr = np.array(self._feat), np.array(self._thr)
        self._left, self._right = np.array(self._left), np.array(self._right)
        self._value = np.array(self._value)
        return self

    def _grow(self, X, Y, depth) -> int:
        node = len(self._feat)
        for table, blank in ((self._feat, -1), (self._thr, 0.0), (self._left, -1), (self._right, -1)):
            table.append(blank)  # a leaf until a split is found
        self._value.append(Y.mean(0))
        counts = Y.sum(0)
        if (counts > 0).sum() <= 1 or len(X) < self.min_samples_split or depth == self.max_depth:
            return node
        features = self._rng.permutation(X.shape[1])[: self._k]
        split = _best_split(X, Y, features)
        if split is None:
            return node
        f, thr = split
        go_left = X[:, f] <= thr
        self._feat[node], self._thr[node] = f, thr
        self._left[node] = self._grow(X[go_left], Y[go_left], depth + 1)
        self._right[node] = self._grow(X[~go_left], Y[~go_left], depth + 1)
        return node

    def _leaves(self, X):
        node = np.zeros(len(X), dtype=np.int64)    # every row starts at the root
        while True:
            inner = self._feat[node] >= 0
            if not inner.any():
                return node
            rows, at = np.nonzero(inner)[0], node[inner]
            go_left = X[rows, self._feat[at]] <= self._thr[at]
            node[rows] = np.where(go_left, self._left[at], self._right[at])

    def predict_proba(self, X):
        return self._value[self._leaves(np.asarray(X, dtype=np.float64))]  # (n, K)

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(1)]


class RandomForest:
    """Bagged CART trees with random feature subsets; averages the trees' probabilities."""

    def __init__(self, n_estimators=50, max_depth=None, max_features="sqrt", bootstrap=True, seed=0):
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.seed = seed

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        self.classes_, y_idx = np.unique(np.asarray(y), return_inverse=True)
        rng = np.random.default_rng(self.seed)
        n = len(X)
        self.trees_ = []
        for _ in range(self.n_estimators):
            rows = rng.integers(0, n, n) if self.bootstrap else np.arange(n)  # with replacement
            tree = DecisionTree(self.max_depth, max_features=self.max_features,
                                seed=int(rng.integers(2**31)))
            self.trees_.append(tree.fit(X[rows], y_idx[rows]))
        return self

    def predict_proba(self, X):
        X = np.asarray(X, dtype=np.float64)
        proba = np.zeros((len(X), len(self.classes_)))
        for tree in self.trees_:
            proba[:, tree.classes_] += tree.predict_proba(X)  # a bootstrap may miss a class
        return proba / len(self.trees_)

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(1)]
