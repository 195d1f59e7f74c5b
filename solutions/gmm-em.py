"""Reference solution: a Gaussian mixture fitted by EM in log space, with NumPy and SciPy."""

from __future__ import annotations

import numpy as np
from scipy.linalg import cho_factor, solve_triangular
from scipy.special import logsumexp


def kmeans_plusplus(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k rows of X: the first uniformly, each next with probability D(x)^2 / sum D^2."""
    X = np.asarray(X, dtype=np.float64)
    n = len(X)
    idx = [int(rng.integers(n))]
    d2 = ((X - X[idx[0]]) ** 2).sum(1)
    for _ in range(1, k):
        total = d2.sum()
        i = int(rng.choice(n, p=d2 / total)) if total > 0 else int(rng.integers(n))
        idx.append(i)
        d2 = np.minimum(d2, ((X - X[i]) ** 2).sum(1))
    return X[idx].copy()


def _log_gaussians(X: np.ndarray, means: np.ndarray, covs: np.ndarray) -> np.ndarray:
    """(n, k) log N(x | mu_j, Sigma_j) through Cholesky factors (no determinant, no inverse)."""
    n, d = X.shape
    out = np.empty((n, len(means)))
    for j, (mu, cov) in enumerate(zip(means, covs)):
        L, _ = cho_factor(cov, lower=True)
        z = solve_triangular(L, (X - mu).T, lower=True)  # (d, n): L z = x - mu
        log_det = 2 * np.log(np.diag(L)).sum()
        out[:, j] = -0.5 * (d * np.log(2 * np.pi) + log_det + (z**2).sum(0))
    return out


def _e_step(X, weights, means, covs):
    """Mean log-likelihood and responsibilities, normalised in log space (log-sum-exp)."""
    log_joint = np.log(weights) + _log_gaussians(X, means, covs)  # (n, k) log w_j N_j(x)
    log_px = logsumexp(log_joint, axis=1)  # (n,) log p(x)
    return float(log_px.mean()), np.exp(log_joint - log_px[:, None])


def _m_step(X, resp, reg_covar):
    n, d = X.shape
    nk = resp.sum(0) + 10 * np.finfo(np.float64).eps  # (k,) soft counts, never exactly 0
    means = resp.T @ X / nk[:, None]  # (k, d)
    covs = np.empty((len(nk), d, d))
    for j in range(len(nk)):
        diff = X - means[j]
        covs[j] = (resp[:, j] * diff.T) @ diff / nk[j] + reg_covar * np.eye(d)
    return nk / n, means, covs


def fit_gmm(X: np.ndarray, k: int, max_iter: int = 100, tol: float = 1e-3, reg_covar: float = 1e-6,
            seed: int = 0, init_means: np.ndarray | None = None):
    """EM for a k-component full-covariance GMM -> (weights, means, covariances, history)."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError("X must be a non-empty 2-D array (n_samples, n_features)")
    n, d = X.shape
    if not 1 <= k <= n:
        raise ValueError(f"k must be between 1 and the number of samples {n}, got {k}")
    if max_iter < 1 or tol < 0 or reg_covar < 0:
        raise ValueError("need max_iter >= 1, tol >= 0 and reg_covar >= 0")
    if init_means is None:
        centres = kmeans_plusplus(X, k, np.random.default_rng(seed))
    else:
        centres = np.array(init_means, dtype=np.float64)
        if centres.shape != (k, d):
            raise ValueError(f"init_means must have shape {(k, d)}, got {centres.shape}")
    # start: every point fully responsible to its nearest centre, then one M-step
    nearest = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(-1).argmin(1)
    weights, means, covs = _m_step(X, np.eye(k)[nearest], reg_covar)
    ll, resp = _e_step(X, weights, means, covs)
    history = [ll]
    for _ in range(max_iter):
        weights, means, covs = _m_step(X, resp, reg_covar)
        ll_new, resp = _e_step(X, weights, means, covs)
        history.append(ll_new)
        if abs(ll_new - ll) < tol:
            break
        ll = ll_new
    return weights, means, covs, history
