"""Reference solution: a vanilla GAN with the non-saturating generator loss, on 2-D points."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    # BCE(real -> 1) + BCE(fake -> 0) = mean softplus(-r) + mean softplus(f); stable for any logit
    real = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
    fake = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return real + fake


def generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    # non-saturating: maximise log D(G(z)), i.e. BCE(fake -> 1) = mean softplus(-f)
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))


def build_generator(z_dim: int = 2, hidden: int = 128) -> nn.Module:
    # (N, z_dim) -> (N, 2)
    return nn.Sequential(
        nn.Linear(z_dim, hidden), nn.ReLU(),
        nn.Linear(hidden, hidden), nn.ReLU(),
        nn.Linear(hidden, 2),
    )


def build_discriminator(hidden: int = 128) -> nn.Module:
    # (N, 2) -> (N, 1) logits
    return nn.Sequential(
        nn.Linear(2, hidden), nn.LeakyReLU(0.2),
        nn.Linear(hidden, hidden), nn.LeakyReLU(0.2),
        nn.Linear(hidden, 1),
    )


def train_gan(sample_real: Callable[[int, torch.Generator], torch.Tensor], z_dim: int = 2,
              steps: int = 3000, batch_size: int = 256, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)                      # initial weights
    gen = torch.Generator().manual_seed(seed)    # data and noise
    G, D = build_generator(z_dim), build_discriminator()
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
    for _ in range(steps):
        real = sample_real(batch_size, gen)                            # (B, 2)
        fake = G(torch.randn(batch_size, z_dim, generator=gen))        # (B, 2)
        # D step: fake detached, so only D learns here
        loss_d = discriminator_loss(D(real), D(fake.detach()))
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        # G step: gradients flow through D into G; only G's optimiser steps
        loss_g = generator_loss(D(fake))
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
    return G.eval()
