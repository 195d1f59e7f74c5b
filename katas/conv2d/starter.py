"""2-D convolution and max pooling in NumPy, forward and backward, with torch's conventions.

Shapes: x (N, C, H, W), w (F, C, KH, KW), b (F,), y (N, F, H', W') with
H' = (H + 2*padding - KH) // stride + 1 (W' likewise). Like torch.nn.functional.conv2d this
is a cross-correlation: the kernel is NOT flipped.
Run `nnquiz grade conv2d` to check your work; `nnquiz hint conv2d` gives the next hint.
"""

from __future__ import annotations

import numpy as np


def conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None,
           stride: int = 1, padding: int = 0) -> np.ndarray:
    """y[n, f, i, j] = b[f] + sum_{c, u, v} xp[n, c, i*stride + u, j*stride + v] * w[f, c, u, v],
    where xp is x zero-padded by `padding` on all four sides.

    Raise ValueError when x and w have different channel counts, or when the kernel is
    larger than the padded input (KH > H + 2*padding or KW > W + 2*padding).
    """
    raise NotImplementedError("write conv2d")


def conv2d_backward(dy: np.ndarray, x: np.ndarray, w: np.ndarray,
                    stride: int = 1, padding: int = 0):
    """Given dy = dL/dy (N, F, H', W'), return (dx, dw, db) shaped like x, w and (F,)."""
    raise NotImplementedError("write conv2d_backward")


def max_pool2d(x: np.ndarray, kernel_size: int, stride: int | None = None) -> np.ndarray:
    """Max over kernel_size x kernel_size windows; stride defaults to kernel_size; no padding;
    rows/columns that do not fill a window are dropped. (N, C, H, W) -> (N, C, H', W')."""
    raise NotImplementedError("write max_pool2d")
