"""Reference solution: a variational autoencoder (VAE) on 8x8 digits."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor,
                   gen: torch.Generator | None = None) -> torch.Tensor:
    # z = mu + sigma * eps, sigma = exp(logvar / 2), eps ~ N(0, I): differentiable in mu and logvar
    eps = torch.randn(mu.shape, generator=gen, dtype=mu.dtype)
    return mu + torch.exp(0.5 * logvar) * eps


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    # KL(N(mu, sigma^2) || N(0, I)) = -0.5 * sum(1 + logvar - mu^2 - exp(logvar)), (N,)
    return -0.5 * (1 + logvar - mu**2 - logvar.exp()).sum(dim=-1)


def vae_loss(recon_logits: torch.Tensor, x: torch.Tensor, mu: torch.Tensor,
             logvar: torch.Tensor) -> torch.Tensor:
    # negative ELBO per sample = BCE summed over pixels + KL, then the batch mean
    bce = F.binary_cross_entropy_with_logits(recon_logits, x, reduction="none").sum(dim=-1)  # (N,)
    return (bce + kl_divergence(mu, logvar)).mean()


class VAE(nn.Module):
    def __init__(self, input_dim: int = 64, latent_dim: int = 8, hidden: int = 128):
        super().__init__()
        self.latent_dim = latent_dim
        self.encoder = nn.Sequential(nn.Linear(input_dim, hidden), nn.ReLU(),
                                     nn.Linear(hidden, 2 * latent_dim))   # -> (mu, logvar)
        self.decoder = nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(),
                                     nn.Linear(hidden, input_dim))        # -> logits

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mu, logvar = self.encoder(x).chunk(2, dim=-1)  # (N, latent_dim) each
        return mu, logvar

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)  # (N, input_dim) logits

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mu, logvar = self.encode(x)
        z = reparameterize(mu, logvar) if self.training else mu
        return self.decode(z), mu, logvar

    @torch.no_grad()
    def sample(self, n: int, gen: torch.Generator | None = None) -> torch.Tensor:
        z = torch.randn(n, self.latent_dim, generator=gen)  # from the prior N(0, I)
        return torch.sigmoid(self.decode(z))                 # (n, input_dim) in [0, 1]


def train_vae(X: np.ndarray, latent_dim: int = 8, epochs: int = 100, seed: int = 0) -> VAE:
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    X = torch.as_tensor(X, dtype=torch.float32)
    model = VAE(X.shape[1], latent_dim)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        for idx in torch.randperm(len(X), generator=gen).split(64):  # mini-batches of 64
            x = X[idx]
            mu, logvar = model.encode(x)
            logits = model.decode(reparameterize(mu, logvar, gen))
            loss = vae_loss(logits, x, mu, logvar)
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model.eval()
