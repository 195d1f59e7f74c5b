"""Reference solution: inverted dropout, L2 penalty and early stopping."""

from __future__ import annotations

import numpy as np


def dropout(x, p, rng, training=True):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability p must be in [0, 1], got {p}")
    x = np.asarray(x, dtype=np.float64)
    if not training or p == 0.0:
        return x.copy(), np.ones_like(x)  # identity; every unit kept
    if p == 1.0:
        return np.zeros_like(x), np.zeros_like(x)  # every unit dropped, no 1/0
    mask = (rng.random(x.shape) >= p).astype(np.float64)  # 1 = kept, with probability 1 - p
    return x * mask / (1.0 - p), mask  # inverted: E[y] = x, nothing to do at test time


def dropout_backward(dy, mask, p):
    if p == 1.0:
        return np.zeros_like(dy, dtype=np.float64)
    return dy * mask / (1.0 - p)  # dL/dx = dL/dy * mask / (1 - p)


def l2_penalty(weights, lam):
    # penalty = lam/2 * sum ||W||^2, d penalty / dW = lam * W
    penalty = 0.5 * lam * sum(float(np.sum(W * W)) for W in weights)
    return penalty, [lam * W for W in weights]


class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best, self.best_epoch = float("inf"), -1
        self.epoch, self.bad_epochs = -1, 0

    def step(self, val_loss) -> bool:
        """True once `patience` calls in a row brought no improvement."""
        self.epoch += 1
        if self.epoch == 0 or val_loss < self.best - self.min_delta:  # the first call always improves; equal is not an improvement
            self.best, self.best_epoch, self.bad_epochs = val_loss, self.epoch, 0
        else:
            self.bad_epochs += 1  # best stays where it was
        return self.bad_epochs >= self.patience
