"""k-means clustering with k-means++ seeding and Lloyd iterations, in NumPy.

Run `nnquiz grade kmeans` to check your work; `nnquiz hint kmeans` gives the next hint.
"""

from __future__ import annotations

import numpy as np


def kmeans_plusplus(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k starting centres (k, d), each a row of X, drawn with the generator `rng`.

    The first centre is a uniformly random row; each next one is row i with probability
    D(x_i)^2 / sum_j D(x_j)^2, where D is the distance to the nearest centre chosen so far.
    When every D is 0 (fewer distinct rows than k), draw the row uniformly.
    """
    raise NotImplementedError("write kmeans_plusplus")


def kmeans(X: np.ndarray, k: int, n_init: int = 10, max_iter: int = 300, tol: float = 1e-4,
           seed: int = 0, init: np.ndarray | None = None):
    """Cluster the rows of X (n, d) into k clusters -> (centers (k, d), labels (n,), inertia).

    n_init runs, each seeded by k-means++ from rng = np.random.default_rng(seed), each followed
    by Lloyd iterations (at most max_iter; stop once the summed squared centre shift is
    <= tol * X.var(axis=0).mean()); return the run with the lowest inertia. An empty cluster is
    re-seeded with the point farthest from its own centre. Labels are each point's nearest
    returned centre; inertia is the sum of squared distances to them.
    init: optional (k, d) starting centres; then a single run starts from them.
    ValueError: k outside 1..n, init of the wrong shape.
    """
    raise NotImplementedError("write kmeans")
