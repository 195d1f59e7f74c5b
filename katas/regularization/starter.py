"""Regularisation in NumPy: inverted dropout, an L2 penalty, early stopping.

Run `nnquiz grade regularization` to check your work;
`nnquiz hint regularization` gives the next hint.
"""

from __future__ import annotations

import numpy as np


def dropout(x: np.ndarray, p: float, rng: np.random.Generator, training: bool = True):
    """Inverted dropout. Returns (y, mask), both shaped like x.

    Training: each unit is dropped with probability p, drawn from `rng`; mask is 1 (or True)
    for kept units, 0 for dropped ones; y = x * mask / (1 - p), so E[y] = x.
    p = 0: y = x, mask all ones. p = 1: y and mask all zeros (no division by zero).
    training=False: y = x, whatever p. Raise ValueError when p is outside [0, 1].
    """
    raise NotImplementedError("write dropout")


def dropout_backward(dy: np.ndarray, mask: np.ndarray, p: float) -> np.ndarray:
    """dL/dx = dy * mask / (1 - p); zeros when p = 1."""
    raise NotImplementedError("write dropout_backward")


def l2_penalty(weights: list[np.ndarray], lam: float):
    """Returns (penalty, grads): penalty = lam/2 * sum of ||W||^2 over the list (a float),
    grads = [lam * W for each W] (same order and shapes)."""
    raise NotImplementedError("write l2_penalty")


class EarlyStopping:
    def __init__(self, patience: int, min_delta: float = 0.0):
        """Stop after `patience` (>= 1) calls in a row without improvement.

        Attributes: best (the best val_loss so far) and best_epoch (0-based index of the
        step() call that set best).
        """
        raise NotImplementedError("write EarlyStopping.__init__")

    def step(self, val_loss: float) -> bool:
        """An improvement is val_loss < best - min_delta (strict; the first call always
        improves). best and best_epoch move only on an improvement. Return True once
        `patience` consecutive calls brought no improvement."""
        raise NotImplementedError("write EarlyStopping.step")
