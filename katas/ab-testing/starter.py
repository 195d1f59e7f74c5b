"""The statistics behind an A/B test, with NumPy and SciPy.

Run `nnquiz grade ab-testing` to check your work; `nnquiz hint ab-testing` gives the next hint.
"""

from __future__ import annotations

import numpy as np


def two_proportion_ztest(successes, trials, alternative: str = "two-sided") -> tuple[float, float]:
    """Pooled two-proportion z-test of p_A = p_B; returns (z, p_value).

    successes = (x_A, x_B), trials = (n_A, n_B). z = (x_A/n_A - x_B/n_B) / se with the pooled
    se = sqrt(p (1 - p) (1/n_A + 1/n_B)), p = (x_A + x_B) / (n_A + n_B); z = 0 when se = 0.
    alternative: "two-sided", "greater" (p_A > p_B) or "less" (p_A < p_B).
    ValueError: not two groups, a group without trials, successes outside [0, trials],
    an unknown alternative.
    """
    raise NotImplementedError("write two_proportion_ztest")


def welch_ttest(a, b, alternative: str = "two-sided") -> tuple[float, float, float]:
    """Welch's unequal-variance t-test of mean(a) = mean(b); returns (t, df, p_value).

    Sample variances with ddof = 1; df by Welch-Satterthwaite; p from Student's t with that df.
    alternative as in two_proportion_ztest ("greater": mean(a) > mean(b)).
    ValueError: fewer than two values in a sample, both samples constant, unknown alternative.
    """
    raise NotImplementedError("write welch_ttest")


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval (no continuity correction) for successes / trials, clipped to [0, 1].

    ValueError: trials <= 0, successes outside [0, trials], confidence outside (0, 1).
    """
    raise NotImplementedError("write wilson_interval")


def sample_size_per_arm(p_base: float, mde: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Users per arm to detect p_base -> p_base + mde (absolute) with a two-sided pooled z-test.

    n = ceil((z_{1-alpha/2} sqrt(2 pbar (1 - pbar)) + z_{power} sqrt(p1 (1 - p1) + p2 (1 - p2)))^2
    / mde^2) with p1 = p_base, p2 = p_base + mde, pbar = (p1 + p2) / 2. Returns an int.
    ValueError: p1 or p2 outside (0, 1), mde = 0, alpha or power outside (0, 1).
    """
    raise NotImplementedError("write sample_size_per_arm")


def benjamini_hochberg(pvalues, q: float = 0.05) -> np.ndarray:
    """Benjamini-Hochberg step-up procedure; returns a bool mask (True = rejected), input order.

    ValueError: a p-value outside [0, 1] (or NaN), q outside (0, 1).
    """
    raise NotImplementedError("write benjamini_hochberg")
