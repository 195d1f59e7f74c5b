"""Sinusoidal position encodings and rotary position embeddings (RoPE, rotate-half) in NumPy.

Run `nnquiz grade positional-encoding` to check your work; `nnquiz hint positional-encoding` gives the next hint.
"""

from __future__ import annotations

import numpy as np


def sinusoidal_encoding(n_positions: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    """(n_positions, d_model): sin(pos * base^(-2i/d)) at dimension 2i, cos at 2i + 1.

    ValueError for an odd or non-positive d_model or a negative n_positions.
    """
    raise NotImplementedError("write sinusoidal_encoding")


def apply_rope(x: np.ndarray, positions: np.ndarray, base: float = 10000.0) -> np.ndarray:
    """Rotate x (..., L, d) by its positions (L,): dimension i turns with dimension i + d/2
    by the angle position * base^(-2i/d) ("rotate half"). ValueError for odd d or a
    positions array whose length is not L.
    """
    raise NotImplementedError("write apply_rope")
