"""Reference solution: log-softmax and cross-entropy with label smoothing and ignore_index, in NumPy."""

from __future__ import annotations

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    shifted = z - z.max(axis=axis, keepdims=True)  # the largest logit becomes 0
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _prepare(logits, targets, label_smoothing, ignore_index, reduction):
    logits = np.asarray(logits, dtype=np.float64)  # (N, C)
    targets = np.asarray(targets)  # (N,)
    n, c = logits.shape
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    keep = targets != ignore_index  # (N,)
    if np.any((targets[keep] < 0) | (targets[keep] >= c)):
        raise ValueError(f"targets must be class indices in [0, {c}) or ignore_index")
    # q = (1 - eps) * one_hot(target) + eps / C: the smoothed target distribution
    q = np.full((n, c), label_smoothing / c)
    q[np.flatnonzero(keep), targets[keep]] += 1.0 - label_smoothing
    q[~keep] = 0.0  # an ignored row contributes nothing
    return logits, q, keep


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100, reduction="mean"):
    logits, q, keep = _prepare(logits, targets, label_smoothing, ignore_index, reduction)
    losses = -(q * log_softmax(logits)).sum(axis=1)  # (N,): H(q, softmax(z))
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    return losses.sum() / keep.sum() if keep.any() else np.float64(np.nan)


def cross_entropy_grad(logits, targets, label_smoothing=0.0, ignore_index=-100, reduction="mean"):
    logits, q, keep = _prepare(logits, targets, label_smoothing, ignore_index, reduction)
    grad = np.exp(log_softmax(logits)) * keep[:, None] - q  # d H(q, p) / dz = p - q per kept row
    if reduction == "mean":
        return grad / max(keep.sum(), 1)  # every row ignored: zeros, as torch's autograd gives
    return grad
