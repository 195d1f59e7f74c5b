"""A Gaussian mixture model with full covariances, fitted by EM in log space (NumPy + SciPy).

Run `nnquiz grade gmm-em` to check your work; `nnquiz hint gmm-em` gives the next hint.
"""

from __future__ import annotations

import numpy as np


def kmeans_plusplus(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k starting centres (k, d), each a row of X, drawn with the generator `rng`.

    The first centre is a uniformly random row; each next one is row i with probability
    D(x_i)^2 / sum_j D(x_j)^2, D the distance to the nearest centre chosen so far (uniform when
    every D is 0). fit_gmm starts from kmeans_plusplus(X, k, np.random.default_rng(seed)).
    """
    raise NotImplementedError("write kmeans_plusplus")


def fit_gmm(X: np.ndarray, k: int, max_iter: int = 100, tol: float = 1e-3, reg_covar: float = 1e-6,
            seed: int = 0, init_means: np.ndarray | None = None):
    """Fit k full-covariance Gaussians to X (n, d) by EM.

    Returns (weights (k,), means (k, d), covariances (k, d, d), log_likelihood_history), the
    history a list of mean log-likelihoods per sample: the starting parameters' first, then one
    after every EM iteration (at most max_iter), the last belonging to the returned parameters.

    Start: kmeans_plusplus(X, k, np.random.default_rng(seed)) (or init_means, (k, d));
    each point fully responsible for its nearest centre; one M-step. Iterate E-step (in log
    space, log-sum-exp) and M-step (covariances + reg_covar * I); stop when the mean
    log-likelihood changes by less than tol.
    ValueError: k outside 1..n, max_iter < 1, tol < 0, reg_covar < 0, init_means of the wrong shape.
    """
    raise NotImplementedError("write fit_gmm")
