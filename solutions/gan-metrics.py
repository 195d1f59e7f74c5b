"""Reference solution: Frechet distance (FID) and Inception Score, NumPy + SciPy."""

from __future__ import annotations

import numpy as np
from scipy import linalg
from scipy.special import rel_entr


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    mu1, mu2 = np.asarray(mu1, dtype=np.float64), np.asarray(mu2, dtype=np.float64)
    sigma1, sigma2 = np.asarray(sigma1, dtype=np.float64), np.asarray(sigma2, dtype=np.float64)
    d = mu1.shape[0] if mu1.ndim == 1 else -1
    if mu1.shape != mu2.shape or sigma1.shape != (d, d) or sigma2.shape != (d, d):
        raise ValueError(f"dimension mismatch: mu {mu1.shape} and {mu2.shape}, "
                         f"sigma {sigma1.shape} and {sigma2.shape}")
    diff = mu1 - mu2
    covmean = linalg.sqrtm(sigma1 @ sigma2)  # (d, d), complex when round-off says so
    if not np.isfinite(covmean).all():  # singular product: nudge both diagonals (pytorch-fid)
        offset = eps * np.eye(d)
        covmean = linalg.sqrtm((sigma1 + offset) @ (sigma2 + offset))
    # FID = |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^(1/2)), imaginary part dropped
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean).real)


def fid_from_features(f1, f2):
    f1, f2 = np.asarray(f1, dtype=np.float64), np.asarray(f2, dtype=np.float64)
    if f1.ndim != 2 or f2.ndim != 2 or f1.shape[1] != f2.shape[1]:
        raise ValueError(f"features must be (n, d) with the same d, got {f1.shape} and {f2.shape}")
    # (d,) means and (d, d) sample covariances (ddof 1)
    mu1, mu2 = f1.mean(axis=0), f2.mean(axis=0)
    sigma1 = np.atleast_2d(np.cov(f1, rowvar=False))  # np.cov gives a 0-d array when d = 1
    sigma2 = np.atleast_2d(np.cov(f2, rowvar=False))
    return frechet_distance(mu1, sigma1, mu2, sigma2)


def inception_score(probs, splits=10):
    p = np.asarray(probs, dtype=np.float64)  # (n, K) rows p(y|x)
    if p.ndim != 2:
        raise ValueError(f"probs must be (n, K), got shape {p.shape}")
    if np.any(np.abs(p.sum(axis=1) - 1) > 1e-6):
        raise ValueError("every row of probs must sum to 1 (within 1e-6): pass probabilities")
    if not 1 <= splits <= len(p):
        raise ValueError(f"splits must be between 1 and {len(p)}, got {splits}")
    m = len(p) // splits
    parts = p[: m * splits].reshape(splits, m, -1)  # (splits, m, K), consecutive rows
    py = parts.mean(axis=1, keepdims=True)  # p(y) per split, (splits, 1, K)
    kl = rel_entr(parts, py).sum(axis=2)  # KL(p(y|x) || p(y)), 0 log 0 = 0, (splits, m)
    scores = np.exp(kl.mean(axis=1))  # IS per split = exp(E_x KL)
    return float(scores.mean()), float(scores.std())
