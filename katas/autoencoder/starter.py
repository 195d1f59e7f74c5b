"""An autoencoder for the 8x8 digits, in PyTorch.

Run `nnquiz grade autoencoder` to check your work; `nnquiz hint autoencoder` gives the next hint.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


class AutoEncoder(nn.Module):
    """encode: (N, input_dim) -> (N, latent_dim); decode: (N, latent_dim) -> (N, input_dim),
    every value in [0, 1].

    forward(x) = decode(encode(x)). decode(z) depends on z alone (no path from the input to
    the output that skips the code).
    """

    def __init__(self, input_dim: int = 64, latent_dim: int = 8):
        super().__init__()
        raise NotImplementedError("write AutoEncoder")

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("write encode")

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("write decode")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("write forward")


def train_autoencoder(X: np.ndarray, latent_dim: int = 8, epochs: int = 100,
                      seed: int = 0) -> AutoEncoder:
    """Train an AutoEncoder(X.shape[1], latent_dim) on X (N, input_dim), values in [0, 1].

    Return the trained model. Use mini-batches of about 32-64.

    The same seed gives the same model (seed torch inside).
    """
    raise NotImplementedError("write train_autoencoder")
