"""Reference solution: MSE, PSNR and SSIM (skimage conventions), NumPy + SciPy."""

from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter


def _as_pair(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)  # uint8 would wrap
    if a.shape != b.shape:
        raise ValueError(f"images differ in shape: {a.shape} vs {b.shape}")
    return a, b


def mse(a, b):
    a, b = _as_pair(a, b)
    return float(np.mean((a - b) ** 2))


def psnr(a, b, data_range):
    err = mse(a, b)
    if err == 0:
        return float("inf")
    return float(10 * np.log10(data_range**2 / err))  # PSNR = 10 log10(R^2 / MSE)


def ssim(a, b, data_range, win_size=7):
    a, b = _as_pair(a, b)
    if a.ndim != 2:
        raise ValueError(f"expected 2-D grayscale images, got shape {a.shape}")
    if win_size % 2 == 0 or not 3 <= win_size <= min(a.shape):
        raise ValueError(f"win_size must be odd and between 3 and {min(a.shape)}, got {win_size}")
    mean = lambda x: uniform_filter(x, size=win_size)  # noqa: E731  local mean over win x win
    n = win_size**2
    mu_a, mu_b = mean(a), mean(b)
    cov = n / (n - 1)  # sample covariance: divide by n - 1
    var_a = cov * (mean(a * a) - mu_a**2)
    var_b = cov * (mean(b * b) - mu_b**2)
    cov_ab = cov * (mean(a * b) - mu_a * mu_b)
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    # SSIM map = (2 mu_a mu_b + C1)(2 cov_ab + C2) / ((mu_a^2 + mu_b^2 + C1)(var_a + var_b + C2))
    s = ((2 * mu_a * mu_b + c1) * (2 * cov_ab + c2)
         / ((mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2)))
    p = (win_size - 1) // 2  # crop the border where the window sticks out of the image
    return float(s[p:s.shape[0] - p, p:s.shape[1] - p].mean())
