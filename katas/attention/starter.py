"""Attention in NumPy: softmax, causal mask, scaled dot-product and multi-head attention.

Run `nnquiz grade attention` to check your work; `nnquiz hint attention` gives the next hint.
"""

from __future__ import annotations

import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax along `axis`, numerically stable (finite for logits of +-1e4)."""
    raise NotImplementedError("write softmax")


def causal_mask(L: int) -> np.ndarray:
    """Bool (L, L) mask, True where query i may attend to key j, i.e. j <= i."""
    raise NotImplementedError("write causal_mask")


def scaled_dot_product_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray,
                                 mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """softmax(q k^T / sqrt(d)) v. Returns (out, weights).

    q (..., Lq, d), k (..., Lk, d), v (..., Lk, dv) -> out (..., Lq, dv), weights (..., Lq, Lk).
    mask: bool, broadcastable to (..., Lq, Lk), True = may attend. A query with no allowed
    key gets all-zero weights and a zero output (never NaN).
    """
    raise NotImplementedError("write scaled_dot_product_attention")


def multi_head_attention(x: np.ndarray, w_q: np.ndarray, w_k: np.ndarray, w_v: np.ndarray,
                         w_o: np.ndarray, n_heads: int,
                         mask: np.ndarray | None = None) -> np.ndarray:
    """Multi-head self-attention without biases. x (B, L, D), each weight (D, D) -> (B, L, D).

    q = x @ w_q, k = x @ w_k, v = x @ w_v; head h takes columns h*D/H .. (h+1)*D/H - 1 of the
    last axis; out = concat(heads) @ w_o. mask: bool, broadcastable to (B, n_heads, L, L),
    True = may attend. Raise ValueError when D % n_heads != 0.
    """
    raise NotImplementedError("write multi_head_attention")
