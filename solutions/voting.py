"""Reference solution: a hard/soft voting ensemble in the style of scikit-learn."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone


class VotingEnsemble:
    """Majority (hard) or mean-probability (soft) vote over clones of the given estimators."""

    def __init__(self, estimators, voting="hard", weights=None):
        if voting not in ("hard", "soft"):
            raise ValueError(f"voting must be 'hard' or 'soft', got {voting!r}")
        if weights is not None and len(weights) != len(estimators):
            raise ValueError(f"{len(weights)} weights for {len(estimators)} estimators")
        self.estimators = estimators
        self.voting = voting
        self.weights = weights

    def fit(self, X, y):
        y = np.asarray(y)
        self.classes_, y_idx = np.unique(y, return_inverse=True)  # sorted classes
        # clones fit on class indices 0..K-1, so every vote is an index into classes_
        self.estimators_ = [clone(est).fit(X, y_idx) for _, est in self.estimators]
        return self

    def _w(self):
        m = len(self.estimators_)
        return np.ones(m) if self.weights is None else np.asarray(self.weights, dtype=float)

    @property
    def predict_proba(self):
        if self.voting == "hard":
            raise AttributeError("predict_proba is not available when voting='hard'")
        return self._predict_proba

    def _predict_proba(self, X):
        probas = np.stack([est.predict_proba(X) for est in self.estimators_])  # (m, n, K)
        return np.average(probas, axis=0, weights=self._w())                   # (n, K)

    def predict(self, X):
        if self.voting == "soft":
            return self.classes_[self._predict_proba(X).argmax(1)]
        votes = np.stack([est.predict(X) for est in self.estimators_]).astype(int)  # (m, n)
        counts = np.zeros((votes.shape[1], len(self.classes_)))                  # (n, K)
        for w, v in zip(self._w(), votes):
            counts[np.arange(votes.shape[1]), v] += w
        return self.classes_[counts.argmax(1)]  # argmax: ties go to the smallest class index
