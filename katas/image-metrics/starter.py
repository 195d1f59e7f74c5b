"""Image quality metrics: MSE, PSNR and SSIM for 2-D grayscale images, NumPy + SciPy.

Run `nnquiz grade image-metrics` to check your work;
`nnquiz hint image-metrics` gives the next hint.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage  # noqa: F401  (ndimage.uniform_filter)


def mse(a: np.ndarray, b: np.ndarray) -> float:
    """Mean squared error between two images of the same shape, computed in float64.

    Inputs may be of any real or integer dtype (uint8 included). Raise ValueError when the
    shapes differ.
    """
    raise NotImplementedError("write mse")


def psnr(a: np.ndarray, b: np.ndarray, data_range: float) -> float:
    """Peak signal-to-noise ratio in dB: 10 log10(data_range^2 / MSE); inf for identical images.

    data_range is the span of possible pixel values (1 for [0, 1], 2 for [-1, 1], 255 for uint8).
    Raise ValueError when the shapes differ.
    """
    raise NotImplementedError("write psnr")


def ssim(a: np.ndarray, b: np.ndarray, data_range: float, win_size: int = 7) -> float:
    """Mean structural similarity (Wang et al. 2004) with skimage's conventions.

    Uniform win_size x win_size window, K1 = 0.01, K2 = 0.03, C1 = (K1 R)^2, C2 = (K2 R)^2,
    sample (co)variances (divide by N - 1, N = win_size^2), and the mean taken over the
    pixels whose window lies inside the image (a border of (win_size - 1) // 2 cropped).
    Computed in float64. Raise ValueError when the shapes differ, win_size is even, or
    win_size is larger than the smaller side.
    """
    raise NotImplementedError("write ssim")
