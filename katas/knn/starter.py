"""k-nearest neighbours classification in NumPy.

Run `nnquiz grade knn` to check your work; `nnquiz hint knn` gives the next hint.
"""

from __future__ import annotations

import numpy as np


def knn_predict(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, k: int = 3) -> np.ndarray:
    """Predict a label for each row of X_test by a majority vote of its k nearest training rows.

    X_train: (n_train, d) features; y_train: (n_train,) labels of any sortable type;
    X_test: (n_test, d). Returns (n_test,) labels with y_train's dtype.

    Rules: Euclidean distance; among equal distances the lower training index comes first;
    a vote tie goes to the smallest tied label. Raise ValueError when k < 1, k > n_train,
    the feature counts differ, or len(y_train) != n_train.
    """
    raise NotImplementedError("write knn_predict")
