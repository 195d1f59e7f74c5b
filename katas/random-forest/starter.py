"""CART decision tree (Gini) and random forest in NumPy.

Run `nnquiz grade random-forest` to check your work; `nnquiz hint random-forest` gives the next hint.
"""

from __future__ import annotations

import numpy as np


def gini(y: np.ndarray) -> float:
    """Gini impurity 1 - sum_k p_k^2 of the labels in y (any sortable label type)."""
    raise NotImplementedError("write gini")


class DecisionTree:
    """CART classifier with Gini impurity.

    A split threshold is the midpoint between two adjacent distinct values of a feature;
    rows with x <= threshold go left. Each node picks the (feature, threshold) with the
    lowest weighted child impurity (n_l * gini_l + n_r * gini_r) among `max_features`
    features drawn at that node (None: all; "sqrt": int(sqrt(d)); an int: that many).
    A node is a leaf when it is pure, has fewer than `min_samples_split` rows, is at
    `max_depth` (None: no limit) or has no candidate feature with two distinct values.
    Leaves store the class fractions of their training rows.
    """

    def __init__(self, max_depth=None, min_samples_split=2, max_features=None, seed=0):
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.max_features = max_features
        self.seed = seed

    def fit(self, X: np.ndarray, y: np.ndarray) -> "DecisionTree":
        """Grow the tree on X (n, d) and labels y (n,); set classes_ (sorted); return self."""
        raise NotImplementedError("write DecisionTree.fit")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(n, K) class fractions of the leaf each row lands in; columns in classes_ order."""
        raise NotImplementedError("write DecisionTree.predict_proba")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) labels: classes_[argmax of predict_proba]."""
        raise NotImplementedError("write DecisionTree.predict")


class RandomForest:
    """n_estimators trees, each grown on a bootstrap sample (n rows drawn with replacement)
    when bootstrap=True, else on all rows, with `max_features` features drawn per node.
    predict_proba averages the trees' probabilities (columns in classes_ order).
    """

    def __init__(self, n_estimators=50, max_depth=None, max_features="sqrt", bootstrap=True, seed=0):
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.seed = seed

    def fit(self, X: np.ndarray, y: np.ndarray) -> "RandomForest":
        """Grow the trees; set classes_ (sorted); return self."""
        raise NotImplementedError("write RandomForest.fit")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(n, K) mean of the trees' probabilities, columns in classes_ order."""
        raise NotImplementedError("write RandomForest.predict_proba")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) labels: classes_[argmax of predict_proba]."""
        raise NotImplementedError("write RandomForest.predict")
