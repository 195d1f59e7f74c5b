"""Reference solution: k-nearest neighbours, vectorised."""

from __future__ import annotations

import numpy as np


def knn_predict(X_train, y_train, X_test, k=3):
    X_train = np.asarray(X_train, dtype=np.float64)
    X_test = np.asarray(X_test, dtype=np.float64)
    y_train = np.asarray(y_train)
    if X_train.ndim != 2 or X_test.ndim != 2:
        raise ValueError("X_train and X_test must be 2-D arrays (rows are samples)")
    if len(y_train) != len(X_train):
        raise ValueError(f"y_train has {len(y_train)} labels for {len(X_train)} training rows")
    if X_train.shape[1] != X_test.shape[1]:
        raise ValueError(f"X_train has {X_train.shape[1]} features but X_test has {X_test.shape[1]}")
    if not 1 <= k <= len(X_train):
        raise ValueError(f"k must be between 1 and {len(X_train)}, got {k}")

    # squared distances, (n_test, n_train): |a|^2 - 2 a.b + |b|^2
    d2 = (X_test**2).sum(1)[:, None] - 2 * X_test @ X_train.T + (X_train**2).sum(1)[None, :]
    np.maximum(d2, 0, out=d2)
    nearest = np.argsort(d2, axis=1, kind="stable")[:, :k]  # stable: lower index first on ties

    classes, y_idx = np.unique(y_train, return_inverse=True)  # classes sorted
    votes = np.zeros((len(X_test), len(classes)), dtype=np.int64)
    np.add.at(votes, (np.arange(len(X_test))[:, None], y_idx[nearest]), 1)
    return classes[votes.argmax(axis=1)]  # argmax takes the first max: smallest tied label
