"""Batch normalisation and layer normalisation in NumPy, forward and backward.

Run `nnquiz grade normalization` to check your work; `nnquiz hint normalization` gives the next hint.
"""

from __future__ import annotations

import numpy as np


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                      running_mean: np.ndarray, running_var: np.ndarray, training: bool,
                      momentum: float = 0.1, eps: float = 1e-5):
    """Batch norm over the batch axis of x (N, D). Returns (y, new_running_mean, new_running_var, cache).

    training: normalise with the batch mean and biased variance; new running statistics are
    (1 - momentum) * old + momentum * batch statistic, with the UNBIASED variance (N - 1).
    Eval: normalise with running_mean and running_var, returned unchanged. Never modify the
    inputs. Raise ValueError when training with N < 2.
    """
    raise NotImplementedError("write batchnorm_forward")


def batchnorm_backward(dy: np.ndarray, cache):
    """Gradients (dx (N, D), dgamma (D,), dbeta (D,)) of sum(dy * y), for the mode the cache came from."""
    raise NotImplementedError("write batchnorm_backward")


def layernorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5):
    """Layer norm over the last axis of x (..., D) with gamma, beta (D,). Returns (y, cache)."""
    raise NotImplementedError("write layernorm_forward")


def layernorm_backward(dy: np.ndarray, cache):
    """Gradients (dx (..., D), dgamma (D,), dbeta (D,)) of sum(dy * y)."""
    raise NotImplementedError("write layernorm_backward")
