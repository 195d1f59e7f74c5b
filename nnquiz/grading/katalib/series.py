"""The seeded seasonal series of the lstm kata (numpy only)."""

from __future__ import annotations

import numpy as np

LENGTH = 240
HOLDOUT = 24  # the last 24 points are held out
PERIOD = 12


def seasonal_series(n: int = LENGTH, seed: int = 0) -> np.ndarray:
    """x_t = 10 + 0.05 t + 3 sin(2 pi t / 12) + N(0, 0.3^2), t = 0 .. n-1, float64 (n,)."""
    t = np.arange(n, dtype=np.float64)
    noise = np.random.default_rng(seed).normal(0.0, 0.3, size=n)
    return 10.0 + 0.05 * t + 3.0 * np.sin(2 * np.pi * t / PERIOD) + noise


def series_split(n: int = LENGTH, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(train, full): the first n - 24 points to fit on, and the whole series to test with."""
    full = seasonal_series(n, seed)
    return full[:-HOLDOUT].copy(), full
