"""Symmetric per-channel int8 weight quantisation, dequantisation and an integer matmul, in NumPy.

Run `nnquiz grade quantization` to check your work; `nnquiz hint quantization` gives the next hint.
"""

from __future__ import annotations

import numpy as np


def quantize_per_channel(w: np.ndarray, bits: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Quantise each row of w (out, in): scale = max|row| / (2^(bits-1) - 1) (1 for an all-zero
    row), q = round-half-to-even(w / scale) clipped to +-(2^(bits-1) - 1), stored as int8.
    Returns (q int8 (out, in), scale float64 (out,)). ValueError for bits outside 2..8 or w not 2-D.
    """
    raise NotImplementedError("write quantize_per_channel")


def dequantize(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """float64 (out, in): q * scale per row. ValueError when scale does not have one entry per row."""
    raise NotImplementedError("write dequantize")


def quantized_matmul(x: np.ndarray, q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Approximate x @ w.T for x (n, in): quantise x per tensor to int8 (scale max|x| / 127, 1 if
    x is all zeros), accumulate the integer products in int32, rescale -> float64 (n, out).
    ValueError for mismatched shapes.
    """
    raise NotImplementedError("write quantized_matmul")
