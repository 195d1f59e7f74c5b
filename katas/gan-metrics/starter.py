"""GAN evaluation metrics: Frechet distance (FID) and Inception Score, NumPy + SciPy.

Run `nnquiz grade gan-metrics` to check your work; `nnquiz hint gan-metrics` gives the next hint.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg  # noqa: F401  (linalg.sqrtm)


def frechet_distance(mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray, sigma2: np.ndarray,
                     eps: float = 1e-6) -> float:
    """Frechet distance between N(mu1, sigma1) and N(mu2, sigma2): the FID formula.

    mu1, mu2: (d,) means; sigma1, sigma2: (d, d) covariances.
    FID = |mu1 - mu2|^2 + tr(sigma1) + tr(sigma2) - 2 tr(sqrtm(sigma1 @ sigma2)).
    Use scipy.linalg.sqrtm(sigma1 @ sigma2) and drop its imaginary part; only when it is not
    finite, add eps * I to both covariances and take sqrtm again (as pytorch-fid does).
    Returns a float. Raise ValueError when the dimensions do not match.
    """
    raise NotImplementedError("write frechet_distance")


def fid_from_features(f1: np.ndarray, f2: np.ndarray) -> float:
    """FID between two sets of feature rows, f1 (n1, d) and f2 (n2, d).

    Statistics: row means and np.cov(f, rowvar=False) (sample covariance, ddof 1).
    Raise ValueError when the feature counts differ.
    """
    raise NotImplementedError("write fid_from_features")


def inception_score(probs: np.ndarray, splits: int = 10) -> tuple[float, float]:
    """Inception Score of class probabilities probs (n, K), rows p(y|x) summing to 1.

    Split the rows into `splits` consecutive parts of m = n // splits rows. Per part:
    p(y) = the part's mean row, IS = exp(mean over rows of KL(p(y|x) || p(y))), 0 log 0 = 0.
    Returns (mean, std) of the per-part scores, std with ddof 0.
    Raise ValueError when a row sums to 1 +- more than 1e-6.
    """
    raise NotImplementedError("write inception_score")
