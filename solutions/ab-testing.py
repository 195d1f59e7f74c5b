"""Reference solution: the statistics of an A/B test with NumPy and SciPy."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

ALTERNATIVES = ("two-sided", "greater", "less")


def _p_value(stat: float, alternative: str, dist) -> float:
    """p-value of a statistic whose null distribution is `dist` (symmetric about 0)."""
    if alternative == "two-sided":
        return float(2 * dist.sf(abs(stat)))
    if alternative == "greater":
        return float(dist.sf(stat))  # P(T >= t)
    return float(dist.cdf(stat))  # "less": P(T <= t)


def _check_alternative(alternative: str) -> None:
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")


def two_proportion_ztest(successes, trials, alternative: str = "two-sided") -> tuple[float, float]:
    """Pooled z-test of p1 = p2; z = (p1_hat - p2_hat) / sqrt(p(1 - p)(1/n1 + 1/n2))."""
    _check_alternative(alternative)
    x = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    if x.shape != (2,) or n.shape != (2,):
        raise ValueError("successes and trials must each hold two counts (group A, group B)")
    if (n <= 0).any():
        raise ValueError("every group needs at least one trial")
    if (x < 0).any() or (x > n).any():
        raise ValueError("successes must lie between 0 and the number of trials")
    p_pool = x.sum() / n.sum()
    se = math.sqrt(p_pool * (1 - p_pool) * (1 / n[0] + 1 / n[1]))
    z = 0.0 if se == 0 else float((x[0] / n[0] - x[1] / n[1]) / se)
    return z, _p_value(z, alternative, stats.norm)


def welch_ttest(a, b, alternative: str = "two-sided") -> tuple[float, float, float]:
    """Welch's t-test of mean(a) = mean(b): t, Welch-Satterthwaite df, p-value."""
    _check_alternative(alternative)
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.ndim != 1 or b.ndim != 1 or len(a) < 2 or len(b) < 2:
        raise ValueError("a and b must be 1-D samples with at least two values each")
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)  # squared standard errors
    if va + vb == 0:
        raise ValueError("both samples are constant: the t statistic is undefined")
    t = float((a.mean() - b.mean()) / math.sqrt(va + vb))
    df = float((va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)))
    return t, df, _p_value(t, alternative, stats.t(df))


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion, no continuity correction, clipped to [0, 1]."""
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError("need trials > 0 and 0 <= successes <= trials")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    p, n = successes / trials, trials
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return max(0.0, float(centre - half)), min(1.0, float(centre + half))


def sample_size_per_arm(p_base: float, mde: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Users per arm for a two-sided pooled z-test to detect p_base -> p_base + mde.

    n = (z_{1-alpha/2} sqrt(2 pbar (1 - pbar)) + z_power sqrt(p1 q1 + p2 q2))^2 / mde^2, rounded up.
    """
    p1, p2 = p_base, p_base + mde
    if not (0 < p1 < 1 and 0 < p2 < 1) or mde == 0:
        raise ValueError("need 0 < p_base < 1, 0 < p_base + mde < 1 and mde != 0")
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError("alpha and power must lie strictly between 0 and 1")
    z_a, z_b = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    pbar = (p1 + p2) / 2
    root_n = z_a * math.sqrt(2 * pbar * (1 - pbar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(root_n**2 / mde**2)


def benjamini_hochberg(pvalues, q: float = 0.05) -> np.ndarray:
    """Step-up BH: reject the i smallest p-values, i the largest with p_(i) <= i q / m."""
    p = np.asarray(pvalues, dtype=np.float64)
    if p.ndim != 1 or ((p < 0) | (p > 1) | np.isnan(p)).any():
        raise ValueError("pvalues must be a 1-D array of values in [0, 1]")
    if not 0 < q < 1:
        raise ValueError(f"q must lie strictly between 0 and 1, got {q}")
    m = len(p)
    order = np.argsort(p, kind="stable")
    below = p[order] <= q * np.arange(1, m + 1) / m
    n_reject = int(np.nonzero(below)[0][-1]) + 1 if below.any() else 0  # step-up: the last one
    mask = np.zeros(m, dtype=bool)
    mask[order[:n_reject]] = True
    return mask
