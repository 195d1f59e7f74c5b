"""One-step-ahead forecasting of a seasonal series with an LSTM, in PyTorch.

Run `nnquiz grade lstm` to check your work; `nnquiz hint lstm` gives the next hint.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def make_windows(series: np.ndarray, n_in: int, n_out: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Sliding windows: X (m, n_in) with X[i] = series[i : i + n_in] and Y (m, n_out) with
    Y[i] = series[i + n_in : i + n_in + n_out], where m = len(series) - n_in - n_out + 1.

    Raise ValueError when m < 1, n_in < 1 or n_out < 1.
    """
    raise NotImplementedError("write make_windows")


class Forecaster(nn.Module):
    """An nn.LSTM-based model: float32 windows (N, n_in, 1) -> (N, n_out), both in series units.

    Any scaling is done inside the model (store its statistics on the model), and the model
    stores the window length it was fitted with as `self.n_in`.
    """

    def __init__(self, n_out: int = 1, hidden_size: int = 32):
        super().__init__()
        raise NotImplementedError("write Forecaster")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("write Forecaster.forward")


def fit_forecaster(series: np.ndarray, n_in: int = 12, n_out: int = 1, epochs: int = 200,
                   seed: int = 0) -> Forecaster:
    """Fit a Forecaster on the windows of `series` (1-D, series units) and return it.

    The same seed gives the same model.
    """
    raise NotImplementedError("write fit_forecaster")


def forecast(model: Forecaster, history: np.ndarray, steps: int) -> np.ndarray:
    """Forecast `steps` values after `history`, recursively: predict one step from the last
    model.n_in values, append the prediction to the window, repeat. Returns (steps,).
    """
    raise NotImplementedError("write forecast")
