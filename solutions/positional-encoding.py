"""Reference solution: sinusoidal position encodings and rotary embeddings (rotate-half) in NumPy."""

from __future__ import annotations

import numpy as np


def _frequencies(d: int, base: float) -> np.ndarray:
    if d <= 0 or d % 2:
        raise ValueError(f"the model dimension must be a positive even number, got {d}")
    return base ** (-np.arange(0, d, 2) / d)  # (d/2,): base^(-2i/d)


def sinusoidal_encoding(n_positions: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    freq = _frequencies(d_model, base)
    if n_positions < 0:
        raise ValueError(f"n_positions must be >= 0, got {n_positions}")
    angle = np.arange(n_positions)[:, None] * freq  # (P, d/2): pos * base^(-2i/d)
    pe = np.empty((n_positions, d_model))
    pe[:, 0::2] = np.sin(angle)  # even dimensions 2i
    pe[:, 1::2] = np.cos(angle)  # odd dimensions 2i + 1
    return pe


def apply_rope(x: np.ndarray, positions: np.ndarray, base: float = 10000.0) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)  # (..., L, d)
    if x.ndim < 2:
        raise ValueError(f"x must have shape (..., L, d), got {x.shape}")
    half = x.shape[-1] // 2
    freq = _frequencies(x.shape[-1], base)
    positions = np.asarray(positions, dtype=np.float64)
    if positions.shape != x.shape[-2:-1]:
        raise ValueError(f"positions must have shape ({x.shape[-2]},), got {positions.shape}")
    angle = positions[:, None] * freq  # (L, d/2)
    cos, sin = np.cos(angle), np.sin(angle)
    x1, x2 = x[..., :half], x[..., half:]  # dimension i rotates with dimension i + d/2
    return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)
