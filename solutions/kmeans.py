"""Reference solution: k-means with k-means++ seeding and Lloyd iterations, in NumPy."""

from __future__ import annotations

import numpy as np


def _sq_dists(X: np.ndarray, C: np.ndarray) -> np.ndarray:
    """(n, k) squared distances |x - c|^2 = |x|^2 - 2 x.c + |c|^2, clipped at 0."""
    d2 = (X**2).sum(1)[:, None] - 2 * X @ C.T + (C**2).sum(1)[None, :]
    return np.maximum(d2, 0.0)


def kmeans_plusplus(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k centres drawn from the rows of X: the first uniformly, each next with P ~ D(x)^2."""
    X = np.asarray(X, dtype=np.float64)
    n = len(X)
    centers = np.empty((k, X.shape[1]))
    centers[0] = X[rng.integers(n)]
    d2 = ((X - centers[0]) ** 2).sum(1)  # D(x)^2: squared distance to the nearest chosen centre
    for j in range(1, k):
        total = d2.sum()
        i = rng.choice(n, p=d2 / total) if total > 0 else rng.integers(n)
        centers[j] = X[i]
        d2 = np.minimum(d2, ((X - X[i]) ** 2).sum(1))
    return centers


def _lloyd(X: np.ndarray, C: np.ndarray, max_iter: int, tol: float):
    k = len(C)
    for _ in range(max_iter):
        d2 = _sq_dists(X, C)
        labels = d2.argmin(1)
        onehot = np.eye(k)[labels]  # (n, k)
        counts = onehot.sum(0)
        sums = onehot.T @ X  # (k, d) sum of each cluster's points
        new = C.copy()
        full = counts > 0
        new[full] = sums[full] / counts[full, None]  # centre = mean of its points
        empty = np.flatnonzero(~full)
        if empty.size:  # re-seed with the points farthest from their own centre
            own = d2[np.arange(len(X)), labels]
            new[empty] = X[np.argsort(-own, kind="stable")[: empty.size]]
        shift = ((new - C) ** 2).sum()
        C = new
        if shift <= tol:
            break
    labels = _sq_dists(X, C).argmin(1)  # labels always belong to the returned centres
    inertia = float(((X - C[labels]) ** 2).sum())
    return C, labels, inertia


def kmeans(X: np.ndarray, k: int, n_init: int = 10, max_iter: int = 300, tol: float = 1e-4,
           seed: int = 0, init: np.ndarray | None = None):
    """Best of n_init k-means++ / Lloyd runs by inertia -> (centers (k, d), labels (n,), inertia)."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError("X must be a non-empty 2-D array (n_samples, n_features)")
    if not 1 <= k <= len(X):
        raise ValueError(f"k must be between 1 and the number of samples {len(X)}, got {k}")
    if n_init < 1 or max_iter < 1 or tol < 0:
        raise ValueError("n_init and max_iter must be at least 1 and tol non-negative")
    if init is not None:
        init = np.array(init, dtype=np.float64)
        if init.shape != (k, X.shape[1]):
            raise ValueError(f"init must have shape {(k, X.shape[1])}, got {init.shape}")
    tol_abs = tol * X.var(axis=0).mean()  # tol is relative to the data's mean feature variance
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(1 if init is not None else n_init):
        start = init.copy() if init is not None else kmeans_plusplus(X, k, rng)
        run = _lloyd(X, start, max_iter, tol_abs)
        if best is None or run[2] < best[2]:
            best = run
    return best
