"""Reference solution: symmetric per-channel int8 weight quantisation and an integer matmul, in NumPy."""

from __future__ import annotations

import numpy as np

ACT_QMAX = 127  # activations: 8 bits, symmetric, one scale per tensor


def _qmax(bits: int) -> int:
    if not 2 <= bits <= 8:
        raise ValueError(f"bits must be between 2 and 8, got {bits}")
    return 2 ** (bits - 1) - 1


def quantize_per_channel(w: np.ndarray, bits: int = 8) -> tuple[np.ndarray, np.ndarray]:
    w = np.asarray(w, dtype=np.float64)  # (out, in)
    if w.ndim != 2:
        raise ValueError(f"w must be a matrix (out, in), got shape {w.shape}")
    qmax = _qmax(bits)
    amax = np.abs(w).max(axis=1)  # (out,)
    scale = np.where(amax > 0, amax / qmax, 1.0)  # an all-zero row gets scale 1
    q = np.clip(np.rint(w / scale[:, None]), -qmax, qmax)  # rint: round half to even
    return q.astype(np.int8), scale


def dequantize(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    q, scale = np.asarray(q), np.asarray(scale, dtype=np.float64)
    if q.ndim != 2 or scale.shape != (q.shape[0],):
        raise ValueError(f"need q (out, in) and scale (out,), got {q.shape} and {scale.shape}")
    return q.astype(np.float64) * scale[:, None]


def quantized_matmul(x: np.ndarray, q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)  # (n, in)
    q, scale = np.asarray(q), np.asarray(scale, dtype=np.float64)
    if x.ndim != 2 or q.ndim != 2 or x.shape[1] != q.shape[1] or scale.shape != (q.shape[0],):
        raise ValueError(f"need x (n, in), q (out, in), scale (out,); got {x.shape}, {q.shape}, {scale.shape}")
    amax = np.abs(x).max()
    sx = amax / ACT_QMAX if amax > 0 else 1.0
    xq = np.clip(np.rint(x / sx), -ACT_QMAX, ACT_QMAX).astype(np.int8)
    acc = xq.astype(np.int32) @ q.astype(np.int32).T  # (n, out), exact integer sums
    return acc * sx * scale  # y_ij = sx * s_j * sum_k xq_ik q_jk
