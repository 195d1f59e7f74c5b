"""Reference solution: batch normalisation and layer normalisation, forward and backward, in NumPy."""

from __future__ import annotations

import numpy as np


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                      running_mean: np.ndarray, running_var: np.ndarray, training: bool,
                      momentum: float = 0.1, eps: float = 1e-5):
    x = np.asarray(x, dtype=np.float64)  # (N, D)
    if x.ndim != 2:
        raise ValueError(f"batchnorm expects x of shape (N, D), got {x.shape}")
    n = x.shape[0]
    if training:
        if n < 2:
            raise ValueError(f"training needs more than one sample per feature, got N={n}")
        mean = x.mean(axis=0)  # (D,)
        var = ((x - mean) ** 2).mean(axis=0)  # biased: normalises the batch
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)  # unbiased
    else:
        mean, var = running_mean, running_var  # eval: the batch plays no part
        new_mean, new_var = np.array(running_mean, dtype=np.float64), np.array(running_var, dtype=np.float64)
    inv_std = 1.0 / np.sqrt(var + eps)  # (D,)
    x_hat = (x - mean) * inv_std  # (N, D)
    y = gamma * x_hat + beta
    return y, new_mean, new_var, (x_hat, gamma, inv_std, training)


def batchnorm_backward(dy: np.ndarray, cache):
    x_hat, gamma, inv_std, training = cache
    dgamma = (dy * x_hat).sum(axis=0)
    dbeta = dy.sum(axis=0)
    dx_hat = dy * gamma  # (N, D)
    if not training:  # running statistics are constants
        return dx_hat * inv_std, dgamma, dbeta
    # dx = (1/sigma) (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat))
    dx = inv_std * (dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0))
    return dx, dgamma, dbeta


def layernorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5):
    x = np.asarray(x, dtype=np.float64)  # (..., D)
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)  # biased, as torch
    inv_std = 1.0 / np.sqrt(var + eps)  # (..., 1)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def layernorm_backward(dy: np.ndarray, cache):
    x_hat, gamma, inv_std = cache
    lead = tuple(range(dy.ndim - 1))  # every axis but the features
    dgamma = (dy * x_hat).sum(axis=lead)
    dbeta = dy.sum(axis=lead)
    dx_hat = dy * gamma
    dx = inv_std * (dx_hat - dx_hat.mean(axis=-1, keepdims=True)
                    - x_hat * (dx_hat * x_hat).mean(axis=-1, keepdims=True))
    return dx, dgamma, dbeta
