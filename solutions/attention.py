"""Reference solution: scaled dot-product and multi-head attention in NumPy."""

from __future__ import annotations

import numpy as np


def softmax(x, axis=-1):
    x = np.asarray(x, dtype=np.float64)
    z = np.exp(x - x.max(axis=axis, keepdims=True))  # shift by the max: exp never overflows
    return z / z.sum(axis=axis, keepdims=True)


def causal_mask(L):
    return np.tril(np.ones((L, L), dtype=bool))  # (L, L), True on and below the diagonal


def scaled_dot_product_attention(q, k, v, mask=None):
    # q (..., Lq, d), k (..., Lk, d), v (..., Lk, dv), mask broadcastable to (..., Lq, Lk)
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])  # (..., Lq, Lk)
    if mask is None:
        weights = softmax(scores)
    else:
        mask = np.broadcast_to(mask, scores.shape)
        scores = np.where(mask, scores, -np.inf)
        top = scores.max(axis=-1, keepdims=True)
        z = np.exp(scores - np.where(np.isfinite(top), top, 0.0))  # masked keys: exp(-inf) = 0
        total = z.sum(axis=-1, keepdims=True)
        weights = z / np.where(total > 0, total, 1.0)  # a query with no allowed key: all zeros
    return weights @ v, weights  # (..., Lq, dv), (..., Lq, Lk)


def multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads, mask=None):
    B, L, D = x.shape
    if D % n_heads != 0:
        raise ValueError(f"model size {D} is not divisible by n_heads={n_heads}")
    dh = D // n_heads

    def split(t):  # (B, L, D) -> (B, H, L, dh): heads take consecutive slices of the last axis
        return t.reshape(B, L, n_heads, dh).transpose(0, 2, 1, 3)

    q, k, v = split(x @ w_q), split(x @ w_k), split(x @ w_v)
    out, _ = scaled_dot_product_attention(q, k, v, mask)  # (B, H, L, dh)
    return out.transpose(0, 2, 1, 3).reshape(B, L, D) @ w_o  # concat heads, then project
