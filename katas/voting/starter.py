"""A hard/soft voting ensemble in the style of scikit-learn's VotingClassifier.

Run `nnquiz grade voting` to check your work; `nnquiz hint voting` gives the next hint.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import clone  # noqa: F401 - fit needs it


class VotingEnsemble:
    """Combine classifiers by vote.

    estimators: [(name, estimator), ...] (unfitted sklearn-style classifiers);
    voting: "hard" (weighted count of predicted labels, ties to the smallest class) or
    "soft" (weighted mean of predict_proba, then argmax); weights: None (all 1) or one
    number per estimator. Raise ValueError (here or in fit) when len(weights) differs from
    len(estimators) or voting is not "hard"/"soft".
    """

    def __init__(self, estimators, voting="hard", weights=None):
        self.estimators = estimators
        self.voting = voting
        self.weights = weights

    def fit(self, X, y) -> "VotingEnsemble":
        """Fit a clone (sklearn.base.clone) of each estimator, never the originals; set
        classes_ (sorted labels); return self."""
        raise NotImplementedError("write VotingEnsemble.fit")

    def predict(self, X) -> np.ndarray:
        """(n,) labels from classes_ by hard or soft vote."""
        raise NotImplementedError("write VotingEnsemble.predict")

    def predict_proba(self, X) -> np.ndarray:
        """(n, K) weighted mean of the estimators' probabilities, columns in classes_ order.
        Raise AttributeError when voting="hard"."""
        raise NotImplementedError("write VotingEnsemble.predict_proba")
