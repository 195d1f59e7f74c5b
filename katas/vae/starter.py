"""A variational autoencoder (VAE) in PyTorch, trained on 8x8 digits.

Run `nnquiz grade vae` to check your work; `nnquiz hint vae` gives the next hint.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor,
                   gen: torch.Generator | None = None) -> torch.Tensor:
    """z = mu + exp(logvar / 2) * eps with eps ~ N(0, I) drawn from `gen`; same shape as mu.

    Gradients must flow from z to mu and logvar.
    """
    raise NotImplementedError("write reparameterize")


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, exp(logvar)) || N(0, I)) for each row: (N, latent_dim) -> (N,)."""
    raise NotImplementedError("write kl_divergence")


def vae_loss(recon_logits: torch.Tensor, x: torch.Tensor, mu: torch.Tensor,
             logvar: torch.Tensor) -> torch.Tensor:
    """Negative ELBO: batch mean of (BCE-with-logits summed over pixels + KL); a scalar tensor."""
    raise NotImplementedError("write vae_loss")


class VAE(nn.Module):
    """Encoder x -> (mu, logvar), decoder z -> logits over input_dim pixels."""

    def __init__(self, input_dim: int = 64, latent_dim: int = 8, hidden: int = 128):
        super().__init__()
        raise NotImplementedError("build the encoder and the decoder")

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(N, input_dim) -> (mu, logvar), each (N, latent_dim)."""
        raise NotImplementedError

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """(N, latent_dim) -> (N, input_dim) logits."""
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(logits, mu, logvar); z is sampled in training mode (eval mode may use z = mu)."""
        raise NotImplementedError

    def sample(self, n: int, gen: torch.Generator | None = None) -> torch.Tensor:
        """n images from the prior: z ~ N(0, I) drawn from `gen`, returned as (n, input_dim) probabilities."""
        raise NotImplementedError


def train_vae(X: np.ndarray, latent_dim: int = 8, epochs: int = 100, seed: int = 0) -> VAE:
    """Train a VAE on X (N, 64) with values in [0, 1] and return it; the same seed gives the same model."""
    raise NotImplementedError("write train_vae")
