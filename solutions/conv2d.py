"""Reference solution: conv2d (a cross-correlation, as in torch) and max pooling, with backward."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _windows(x, kh, kw, stride):
    """(N, C, H, W) -> (N, C, H', W', kh, kw) views of every window, no copy."""
    return sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]


def _check(x, w, padding):
    N, C, H, W = x.shape
    F, Cw, KH, KW = w.shape
    if C != Cw:
        raise ValueError(f"x has {C} channels but the kernel expects {Cw}")
    Hp, Wp = H + 2 * padding, W + 2 * padding
    if KH > Hp or KW > Wp:
        raise ValueError(f"kernel {KH}x{KW} is larger than the padded input {Hp}x{Wp}")


def _pad(x, padding):
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))


def conv2d(x, w, b=None, stride=1, padding=0):
    _check(x, w, padding)
    win = _windows(_pad(x, padding), w.shape[2], w.shape[3], stride)  # (N, C, H', W', KH, KW)
    # y[n, f, h, w] = sum_{c, i, j} xp[n, c, s*h + i, s*w + j] * w[f, c, i, j]
    y = np.einsum("nchwij,fcij->nfhw", win, w, optimize=True)
    return y if b is None else y + b[None, :, None, None]


def conv2d_backward(dy, x, w, stride=1, padding=0):
    _check(x, w, padding)
    F, C, KH, KW = w.shape
    H, W = x.shape[2:]
    Ho, Wo = dy.shape[2:]
    xp = _pad(x, padding)
    dw = np.einsum("nfhw,nchwij->fcij", dy, _windows(xp, KH, KW, stride), optimize=True)
    db = dy.sum(axis=(0, 2, 3))
    dxp = np.zeros_like(xp)
    for i in range(KH):  # kernel tap (i, j) read rows i, i+s, ... and columns j, j+s, ...
        for j in range(KW):
            tap = np.einsum("nfhw,fc->nchw", dy, w[:, :, i, j])  # (N, C, H', W')
            dxp[:, :, i:i + stride * Ho:stride, j:j + stride * Wo:stride] += tap
    return dxp[:, :, padding:padding + H, padding:padding + W], dw, db


def max_pool2d(x, kernel_size, stride=None):
    win = _windows(x, kernel_size, kernel_size, stride or kernel_size)  # (N, C, H', W', k, k)
    return win.max(axis=(-2, -1))
