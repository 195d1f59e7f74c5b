"""Gaussian and multinomial naive Bayes in NumPy.

Run `nnquiz grade naive-bayes` to check your work; `nnquiz hint naive-bayes` gives the next hint.
"""

from __future__ import annotations

import numpy as np


class GaussianNB:
    """Naive Bayes with one normal density per class and feature (as sklearn's GaussianNB).

    Priors are the class frequencies; variances are the per-class variances (ddof 0) plus
    epsilon = var_smoothing * (the largest variance of any feature over all training rows).
    After fit: classes_ (sorted labels). Raise ValueError for var_smoothing < 0.
    """

    def __init__(self, var_smoothing: float = 1e-9) -> None:
        self.var_smoothing = var_smoothing

    def fit(self, X: np.ndarray, y: np.ndarray) -> GaussianNB:
        raise NotImplementedError("write GaussianNB.fit")

    def predict_log_proba(self, X: np.ndarray) -> np.ndarray:
        """(n, n_classes) log-probabilities, normalised with log-sum-exp (never NaN)."""
        raise NotImplementedError("write GaussianNB.predict_log_proba")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(n, n_classes) probabilities, columns in classes_ order."""
        raise NotImplementedError("write GaussianNB.predict_proba")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) labels from classes_."""
        raise NotImplementedError("write GaussianNB.predict")


class MultinomialNB:
    """Naive Bayes for counts (as sklearn's MultinomialNB).

    P(word w | class c) = (N_cw + alpha) / (N_c + alpha * n_features), where N_cw is the total
    count of w in class c and N_c the total count of all words in class c; priors are the
    class frequencies. Raise ValueError for alpha <= 0 and for negative counts.
    """

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = alpha

    def fit(self, X: np.ndarray, y: np.ndarray) -> MultinomialNB:
        raise NotImplementedError("write MultinomialNB.fit")

    def predict_log_proba(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("write MultinomialNB.predict_log_proba")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("write MultinomialNB.predict_proba")

    def predict(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("write MultinomialNB.predict")
