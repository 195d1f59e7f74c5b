"""Log-softmax and cross-entropy (label smoothing, ignore_index, reductions) with its gradient, in NumPy.

Run `nnquiz grade cross-entropy` to check your work; `nnquiz hint cross-entropy` gives the next hint.
"""

from __future__ import annotations

import numpy as np


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(softmax(z)) along `axis`, finite for logits of magnitude 1e4."""
    raise NotImplementedError("write log_softmax")


def cross_entropy(logits: np.ndarray, targets: np.ndarray, label_smoothing: float = 0.0,
                  ignore_index: int = -100, reduction: str = "mean"):
    """Cross-entropy of logits (N, C) against class indices targets (N,), as torch's F.cross_entropy.

    Target distribution (1 - label_smoothing) * one_hot + label_smoothing / C. Rows whose target
    equals ignore_index count for nothing. reduction: "mean" (over the rows not ignored; nan if
    none), "sum" or "none" (N,). ValueError for targets out of range, an unknown reduction or
    label_smoothing outside [0, 1].
    """
    raise NotImplementedError("write cross_entropy")


def cross_entropy_grad(logits: np.ndarray, targets: np.ndarray, label_smoothing: float = 0.0,
                       ignore_index: int = -100, reduction: str = "mean") -> np.ndarray:
    """d loss / d logits (N, C) for the same arguments ("none": the gradient of the summed losses)."""
    raise NotImplementedError("write cross_entropy_grad")
