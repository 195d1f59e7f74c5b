"""Linear soft-margin SVM in NumPy, trained on the primal objective by subgradient descent.

Run `nnquiz grade svm` to check your work; `nnquiz hint svm` gives the next hint.
"""

from __future__ import annotations

import numpy as np


class LinearSVM:
    """Linear SVM minimising J(w, b) = 0.5*||w||^2 + C * sum_i max(0, 1 - t_i (w.x_i + b)).

    t_i = +1 for samples of classes_[1] and -1 for classes_[0]; classes_ is sorted.
    Expected training: start from w = 0, b = 0; each of `epochs` epochs takes one full-batch
    subgradient step with learning rate `lr` (see the instructions). `seed` makes any
    randomness you use (shuffling, initialisation) reproducible.
    """

    def __init__(self, C: float = 1.0, lr: float = 0.01, epochs: int = 200, seed: int = 0):
        self.C = C
        self.lr = lr
        self.epochs = epochs
        self.seed = seed

    def fit(self, X: np.ndarray, y: np.ndarray) -> "LinearSVM":
        """Train on X (n, d) and labels y (n,) with exactly two distinct values; return self.

        Sets coef_ (d,), intercept_ (float) and classes_ (the two labels, sorted).
        Raise ValueError unless y has exactly two distinct labels.
        """
        raise NotImplementedError("write LinearSVM.fit")

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """f(x) = x . coef_ + intercept_ for each row: (n,). Positive means classes_[1].

        Raise ValueError when X does not have d columns.
        """
        raise NotImplementedError("write LinearSVM.decision_function")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """classes_[1] where decision_function > 0, else classes_[0]: (n,) labels."""
        raise NotImplementedError("write LinearSVM.predict")
